// Byte counts as h5pyd's hsls and hsstat print them: plain, with thousands separators, or
// "human readable" with 1024-based units.
import { groupThousands, pyFixed } from "./python-style.js";

const UNITS = ["B", "K", "M", "G", "T"] as const;

/** Value and unit the way h5pyd reduces a size: divide by 1024 until below 1024. */
function humanParts(bytes: number): { value: number; unit: string } {
  let value = bytes;
  for (const unit of UNITS) {
    if (value < 1024) return { value, unit };
    value /= 1024;
  }
  // From 1024 TiB on, h5pyd has divided once more and prints a blank unit.
  return { value, unit: " " };
}

/** hsstat's -H form: "123B", "5.9K". */
export function humanSize(bytes: number): string {
  const { value, unit } = humanParts(bytes);
  return unit === "B" ? `${value}B` : `${pyFixed(value, 1)}${unit}`;
}

/** hsls -v -H size column: right-aligned in 7 characters before the unit ("   4.3K", "   1000B"). */
export function paddedHumanSize(bytes: number): string {
  const { value, unit } = humanParts(bytes);
  return unit === "B" ? `${String(value).padStart(7)}B` : `${pyFixed(value, 1).padStart(7)}${unit}`;
}

/** hsls -v counts: "1327104", or "1,327,104" with -H. */
export function countText(n: number, humanReadable: boolean): string {
  return humanReadable ? groupThousands(n) : String(n);
}
