// Python-dialect JSON, written by hand because no npm parser accepts both of HSDS's quirks:
// json.dumps emits NaN / Infinity / -Infinity as bare tokens, and Python ints may exceed 2^53
// (int64 attributes, chunk offsets). JSON.parse is the fast path; the slow path runs only when the
// text has one of those tokens or a long digit run.

export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

const NEEDS_SLOW_PATH = /NaN|Infinity|\d{16,}/;

export function parseJson(text: string): unknown {
  if (!NEEDS_SLOW_PATH.test(text)) return JSON.parse(text);
  return new PythonJsonParser(text).parseDocument();
}

export function parseJsonBytes(bytes: Uint8Array): unknown {
  return parseJson(new TextDecoder().decode(bytes));
}

class PythonJsonParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    const value = this.parseValue();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail("unexpected trailing text");
    return value;
  }

  private fail(why: string): never {
    throw new SyntaxError(`invalid JSON at position ${this.pos}: ${why}`);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      this.pos++;
    }
  }

  private parseValue(): JsonValue {
    this.skipSpace();
    const t = this.text;
    const c = t[this.pos];
    if (c === "{") return this.parseObject();
    if (c === "[") return this.parseArray();
    if (c === '"') return this.parseString();
    if (t.startsWith("true", this.pos)) return this.literal(4, true);
    if (t.startsWith("false", this.pos)) return this.literal(5, false);
    if (t.startsWith("null", this.pos)) return this.literal(4, null);
    if (t.startsWith("NaN", this.pos)) return this.literal(3, NaN);
    if (t.startsWith("Infinity", this.pos)) return this.literal(8, Infinity);
    if (t.startsWith("-Infinity", this.pos)) return this.literal(9, -Infinity);
    return this.parseNumber();
  }

  private literal<T extends JsonValue>(length: number, value: T): T {
    this.pos += length;
    return value;
  }

  private parseObject(): JsonValue {
    const out: { [key: string]: JsonValue } = {};
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail("expected a key");
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail("expected ':'");
      this.pos++;
      out[key] = this.parseValue();
      this.skipSpace();
      const sep = this.text[this.pos++];
      if (sep === "}") return out;
      if (sep !== ",") this.fail("expected ',' or '}'");
    }
  }

  private parseArray(): JsonValue {
    const out: JsonValue[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.parseValue());
      this.skipSpace();
      const sep = this.text[this.pos++];
      if (sep === "]") return out;
      if (sep !== ",") this.fail("expected ',' or ']'");
    }
  }

  private parseString(): string {
    // Find the closing quote, honouring escapes, then let JSON.parse decode the escapes.
    const start = this.pos;
    let i = start + 1;
    const t = this.text;
    for (;;) {
      const c = t[i];
      if (c === undefined) this.fail("unterminated string");
      if (c === "\\") i += 2;
      else if (c === '"') break;
      else i++;
    }
    this.pos = i + 1;
    return JSON.parse(t.slice(start, i + 1)) as string;
  }

  private parseNumber(): JsonValue {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) this.fail("unexpected character");
    this.pos += match[0].length;
    const isInteger = match[2] === undefined && match[3] === undefined;
    if (isInteger) {
      const n = Number(match[0]);
      return Number.isSafeInteger(n) ? n : BigInt(match[0]);
    }
    return Number(match[0]);
  }
}

/** Serialise like Python's json.dumps: bare NaN/Infinity tokens, BigInt as plain digits. */
export function stringifyJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join("");
}

function write(value: unknown, out: string[]): void {
  switch (typeof value) {
    case "number":
      if (Number.isFinite(value)) out.push(JSON.stringify(value));
      else out.push(Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
      return;
    case "bigint":
      out.push(value.toString());
      return;
    case "string":
      out.push(JSON.stringify(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "undefined":
    case "function":
    case "symbol":
      out.push("null");
      return;
  }
  if (value === null) {
    out.push("null");
    return;
  }
  if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item, i) => {
      if (i > 0) out.push(",");
      write(item, out);
    });
    out.push("]");
    return;
  }
  out.push("{");
  let first = true;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined) continue;
    if (!first) out.push(",");
    first = false;
    out.push(JSON.stringify(key), ":");
    write(item, out);
  }
  out.push("}");
}

export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(stringifyJson(value));
}

/** NaN and ±Infinity as null (HSDS's `ignore_nan=1`), for clients whose JSON parser rejects them. */
export function nonFiniteToNull(value: JsonValue): JsonValue {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(nonFiniteToNull);
  if (value !== null && typeof value === "object" && typeof value !== "bigint") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nonFiniteToNull(v)]));
  }
  return value;
}
