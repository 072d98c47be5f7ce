/** True when every byte is zero; word-wise where alignment allows (it runs on every chunk a load or export moves). */
export function isAllZero(bytes: Uint8Array): boolean {
  const words = bytes.byteOffset % 4 === 0 ? Math.floor(bytes.length / 4) : 0;
  const view = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
  for (let i = 0; i < words; i++) if (view[i] !== 0) return false;
  for (let i = words * 4; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}
