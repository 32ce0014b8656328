import { describe, expect, it } from "vitest";
import { formatMoney, minorDigits, parseMoney, toMajorText } from "./money.ts";

describe("formatMoney", () => {
  it("shows minor units as yuan with the ¥ sign by default", () => {
    expect(formatMoney(1999)).toBe("¥19.99");
    expect(formatMoney(1999, "CNY")).toBe("¥19.99");
  });

  it("keeps the cents of whole and tiny amounts", () => {
    expect(formatMoney(0)).toBe("¥0.00");
    expect(formatMoney(5)).toBe("¥0.05");
    expect(formatMoney(100)).toBe("¥1.00");
  });

  it("groups thousands", () => {
    expect(formatMoney(123456789)).toBe("¥1,234,567.89");
  });

  it("formats by the currency code", () => {
    expect(formatMoney(1999, "USD")).toBe("$19.99");
    expect(formatMoney(1999, "EUR")).toBe("€19.99");
  });

  it("treats a currency without minor units as whole units", () => {
    expect(minorDigits("JPY")).toBe(0);
    expect(formatMoney(1999, "JPY")).toBe("¥1,999");
  });

  it("still shows something for an unknown currency code", () => {
    expect(formatMoney(1999, "XYZ1")).toBe("XYZ1 19.99");
  });
});

describe("parseMoney", () => {
  it("reads what people type into minor units without float errors", () => {
    expect(parseMoney("19.99")).toBe(1999);
    expect(parseMoney("0.29")).toBe(29);
    expect(parseMoney("19")).toBe(1900);
    expect(parseMoney("19.9")).toBe(1990);
    expect(parseMoney(" 1,234.50 ")).toBe(123450);
    expect(parseMoney("19.")).toBe(1900);
  });

  it("refuses negative, over-precise and non-numeric input", () => {
    expect(parseMoney("-1")).toBeNull();
    expect(parseMoney("19.999")).toBeNull();
    expect(parseMoney("abc")).toBeNull();
    expect(parseMoney("")).toBeNull();
    expect(parseMoney("1e3")).toBeNull();
  });

  it("follows the currency's decimals", () => {
    expect(parseMoney("1999", "JPY")).toBe(1999);
    expect(parseMoney("19.5", "JPY")).toBeNull();
  });
});

describe("toMajorText", () => {
  it("turns minor units into an editable amount and back", () => {
    expect(toMajorText(1999)).toBe("19.99");
    expect(toMajorText(5)).toBe("0.05");
    expect(toMajorText(1999, "JPY")).toBe("1999");
    for (const n of [0, 1, 10, 99, 100, 123456]) expect(parseMoney(toMajorText(n))).toBe(n);
  });
});
