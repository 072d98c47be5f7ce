// How Python and numpy print numbers and strings, for output that must read like h5pyd's tools.
// Written by hand: no library reproduces CPython's float repr, numpy's scalar/array str or bytes repr.

/** Python's `f"{x:.{digits}f}"`: like toFixed, but exact ties round to even, as CPython does. */
export function pyFixed(x: number, digits: number): string {
  const scale = 10 ** digits;
  const doubled = x * scale * 2;
  const isExactTie = Number.isInteger(doubled) && Math.abs(doubled % 2) === 1 && doubled / 2 / scale === x;
  if (!isExactTie) return x.toFixed(digits);
  const down = Math.floor(x * scale);
  const even = down % 2 === 0 ? down : down + 1;
  return (even / scale).toFixed(digits);
}

/** Python's `f"{n:,}"` for an integer. */
export function groupThousands(n: number): string {
  const sign = n < 0 ? "-" : "";
  return sign + String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Python's str() of a list of ints: "[10, 10]". */
export function pyIntList(values: readonly number[]): string {
  return `[${values.join(", ")}]`;
}

/** Shortest decimal digits and exponent that read back as `x` (as a float64, or as a float32). */
function shortestDigits(x: number, single: boolean): { digits: string; exponent: number } {
  let text = Math.abs(x).toExponential();
  if (single) {
    for (let p = 1; p <= 9; p++) {
      const candidate = Math.abs(x).toExponential(p - 1);
      if (Math.fround(Number(candidate)) === Math.abs(x)) {
        text = candidate;
        break;
      }
    }
  }
  const [mantissa, exp] = text.split("e") as [string, string];
  return { digits: mantissa.replace(".", ""), exponent: Number(exp) };
}

/**
 * numpy's str() of a float64 or float32 scalar (the same as Python's repr for float64): positional
 * between 1e-4 and 1e16, else scientific with a two-digit exponent ("1e-05", "1.5e+20").
 * With `arrayItem`, the form numpy uses inside printed arrays, where integral values end in "."
 * ("[-999.]") instead of ".0".
 */
export function pyFloat(x: number, options: { single?: boolean; arrayItem?: boolean } = {}): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return `${sign}0${options.arrayItem ? "." : ".0"}`;
  const { digits, exponent } = shortestDigits(x, options.single === true);
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    let text: string;
    if (exponent >= 0) {
      const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
      const fraction = digits.slice(exponent + 1);
      text = `${intPart}.${fraction || (options.arrayItem ? "" : "0")}`;
    } else {
      text = `0.${"0".repeat(-exponent - 1)}${digits}`;
    }
    return sign + text;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : `${digits}${options.arrayItem ? "." : ""}`;
  const expSign = exponent < 0 ? "-" : "+";
  return `${sign}${mantissa}e${expSign}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

export { pyStrRepr } from "../../model/python-repr.js";

/** Python's repr() of the UTF-8 bytes of `text`: b'abc', non-ASCII bytes as \xNN. */
export function pyBytesRepr(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = "";
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b === 0x09) out += "\\t";
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `b${quote}${out}${quote}`;
}
