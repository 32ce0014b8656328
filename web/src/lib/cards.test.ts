import { describe, expect, it } from "vitest";
import {
  groupCardNumber,
  luhnValid,
  parseExpiry,
  TEST_CARDS,
  toCard,
  validateCard,
} from "./cards.ts";

describe("cards", () => {
  it("accepts every test card as a valid number", () => {
    for (const c of TEST_CARDS) expect(luhnValid(c.number)).toBe(true);
    expect(luhnValid("4242 4242 4242 4241")).toBe(false);
  });

  it("groups digits in fours as they are typed", () => {
    expect(groupCardNumber("4242424242424242")).toBe("4242 4242 4242 4242");
    expect(groupCardNumber("42-42 4")).toBe("4242 4");
  });

  it("reads MM/YY and MM/YYYY", () => {
    expect(parseExpiry("12/30")).toEqual({ month: 12, year: 2030 });
    expect(parseExpiry("3 / 2031")).toEqual({ month: 3, year: 2031 });
    expect(parseExpiry("13/30")).toBeNull();
    expect(parseExpiry("1230")).toBeNull();
  });

  it("flags an expired card, a bad number and a bad CVV", () => {
    const now = new Date(2026, 5, 15);
    expect(validateCard({ number: "4242424242424242", expiry: "06/26", cvv: "123" }, now)).toEqual(
      {},
    );
    expect(validateCard({ number: "4242424242424242", expiry: "05/26", cvv: "123" }, now)).toEqual({
      "card.expiry": "This card has expired.",
    });
    expect(
      Object.keys(validateCard({ number: "1234", expiry: "x", cvv: "1" }, now)).sort(),
    ).toEqual(["card.cvv", "card.expiry", "card.number"]);
  });

  it("builds the API's card object", () => {
    expect(toCard({ number: "4242 4242 4242 4242", expiry: "12/30", cvv: " 123 " })).toEqual({
      number: "4242424242424242",
      expMonth: 12,
      expYear: 2030,
      cvv: "123",
    });
  });
});
