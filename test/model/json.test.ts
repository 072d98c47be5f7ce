import { describe, expect, it } from "vitest";
import { parseJson, stringifyJson } from "../../src/model/json.js";

describe("Python-dialect JSON", () => {
  it("reads the bare NaN/Infinity tokens that json.dumps writes", () => {
    expect(parseJson('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN"}')).toEqual({
      a: NaN,
      b: [Infinity, -Infinity],
      c: "NaN",
    });
  });

  it("keeps integers beyond 2^53 exact as BigInt", () => {
    const v = parseJson('{"big": 9223372036854775807, "small": 12, "neg": -9223372036854775808, "f": 1.5e300}') as Record<string, unknown>;
    expect(v.big).toBe(9223372036854775807n);
    expect(v.neg).toBe(-9223372036854775808n);
    expect(v.small).toBe(12);
    expect(v.f).toBe(1.5e300);
  });

  it("decodes escapes in strings on the slow path", () => {
    expect(parseJson('["a\\"b\\u00e9", NaN]')).toEqual(['a"bé', NaN]);
  });

  it("rejects malformed text with a position", () => {
    expect(() => parseJson("[1, NaN,")).toThrow(/position/);
    expect(() => parseJson('{"a" 1, "b": NaN}')).toThrow(/expected ':'/);
  });

  it("writes what it reads", () => {
    const value = { a: NaN, b: [Infinity, 1, "x"], c: 12345678901234567890n, d: null, e: { f: true } };
    expect(stringifyJson(value)).toBe('{"a":NaN,"b":[Infinity,1,"x"],"c":12345678901234567890,"d":null,"e":{"f":true}}');
    expect(parseJson(stringifyJson(value))).toEqual(value);
  });
});
