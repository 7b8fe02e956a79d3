import { describe, expect, it } from "vitest";
import { toMajorUnits } from "../../src/domain/stores/currency.js";

describe("toMajorUnits (seed 003's amounts)", () => {
  it("divides by the currency's exponent", () => {
    expect(toMajorUnits(2999, "USD")).toBe(29.99);
    expect(toMajorUnits(500, "JPY")).toBe(500);
    expect(toMajorUnits(1234, "KWD")).toBe(1.234);
    expect(toMajorUnits(1, "BHD")).toBe(0.001);
    expect(toMajorUnits(0, "EUR")).toBe(0);
  });

  it("never shows binary floating-point noise", () => {
    for (const [minor, major] of [
      [1, 0.01],
      [10, 0.1],
      [1999, 19.99],
      [100_000_007, 1_000_000.07],
      [2_147_483_647, 21_474_836.47],
    ] as const) {
      expect(toMajorUnits(minor, "USD")).toBe(major);
      expect(JSON.stringify(toMajorUnits(minor, "USD"))).toBe(String(major));
    }
    expect(JSON.stringify(toMajorUnits(2734, "KWD"))).toBe("2.734");
  });

  it("takes two decimals for a code Intl does not know", () => {
    expect(toMajorUnits(12345, "XYZ")).toBe(123.45);
  });
});
