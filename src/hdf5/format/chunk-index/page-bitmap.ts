/** Page-initialised bitmaps of paged array blocks number their bits from the most significant bit of each byte. */
export function pageInitialized(bitmap: Uint8Array, bit: number): boolean {
  return (bitmap[bit >> 3]! & (0x80 >> (bit & 7))) !== 0;
}
