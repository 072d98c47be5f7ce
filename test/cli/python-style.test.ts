import { describe, expect, it } from "vitest";
import { groupThousands, pyBytesRepr, pyFixed, pyFloat, pyIntList, pyStrRepr } from "../../src/cli/format/python-style.js";

describe("pyFixed", () => {
  it("matches Python's f'{x:.2f}' on the utilization values of golden/cli", () => {
    expect(pyFixed((4998 / 10368) * 100, 2)).toBe("48.21");
    expect(pyFixed((1310720 / 120) * 100, 2)).toBe("1092266.67");
    expect(pyFixed(100, 2)).toBe("100.00");
    expect(pyFixed(0, 2)).toBe("0.00");
  });

  it("rounds exact binary ties to even like CPython (toFixed would round them up)", () => {
    expect(pyFixed(0.125, 2)).toBe("0.12");
    expect(pyFixed(0.375, 2)).toBe("0.38");
    expect(pyFixed(2.5, 0)).toBe("2");
    expect(pyFixed(1.25, 1)).toBe("1.2");
    expect(pyFixed(-0.125, 2)).toBe("-0.12");
    // Not a tie in binary: 1.005 is 1.00499999999999989...
    expect(pyFixed(1.005, 2)).toBe("1.00");
  });
});

describe("numbers and lists", () => {
  it("groups thousands like f'{n:,}'", () => {
    expect(groupThousands(1327104)).toBe("1,327,104");
    expect(groupThousands(999)).toBe("999");
    expect(groupThousands(-1234567)).toBe("-1,234,567");
  });

  it("prints int lists like str(list)", () => {
    expect(pyIntList([512, 36, 18])).toBe("[512, 36, 18]");
    expect(pyIntList([1])).toBe("[1]");
  });
});

describe("pyFloat", () => {
  it("prints float64 like Python's repr", () => {
    expect(pyFloat(1)).toBe("1.0");
    expect(pyFloat(0.1)).toBe("0.1");
    expect(pyFloat(-9999.9)).toBe("-9999.9");
    expect(pyFloat(1e15)).toBe("1000000000000000.0");
    expect(pyFloat(1e16)).toBe("1e+16");
    expect(pyFloat(1.5e20)).toBe("1.5e+20");
    expect(pyFloat(0.0001)).toBe("0.0001");
    expect(pyFloat(0.00001)).toBe("1e-05");
    expect(pyFloat(123456789.125)).toBe("123456789.125");
    expect(pyFloat(Number.NaN)).toBe("nan");
    expect(pyFloat(-Infinity)).toBe("-inf");
    expect(pyFloat(-0)).toBe("-0.0");
  });

  it("prints float32 values with the shortest digits that survive float32", () => {
    expect(pyFloat(Math.fround(-9999.9), { single: true })).toBe("-9999.9");
    expect(pyFloat(Math.fround(0.1), { single: true })).toBe("0.1");
    expect(pyFloat(Math.fround(1 / 3), { single: true })).toBe("0.33333334");
  });

  it("writes integral values inside arrays the numpy way", () => {
    expect(pyFloat(-999, { single: true, arrayItem: true })).toBe("-999.");
    expect(pyFloat(0.5, { arrayItem: true })).toBe("0.5");
    expect(pyFloat(1e20, { arrayItem: true })).toBe("1.e+20");
  });
});

describe("string reprs", () => {
  it("quotes str and bytes like Python", () => {
    expect(pyStrRepr("abc")).toBe("'abc'");
    expect(pyStrRepr("it's")).toBe(`"it's"`);
    expect(pyStrRepr("a\nb")).toBe("'a\\nb'");
    expect(pyBytesRepr("DIMENSION_SCALE")).toBe("b'DIMENSION_SCALE'");
    expect(pyBytesRepr("é")).toBe("b'\\xc3\\xa9'");
    expect(pyBytesRepr("tab\there")).toBe("b'tab\\there'");
  });
});
