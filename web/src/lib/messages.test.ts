import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors.ts";
import { errorMessage, explain } from "./messages.ts";

const err = (status: number, type: string, data?: unknown, retryAfter?: number) =>
  new ApiError(status, type, `server says ${type}`, data, retryAfter);

describe("explain", () => {
  it.each([
    [409, "OUT_OF_STOCK", /isn't enough stock/i],
    [402, "PAYMENT_DECLINED", /card was declined/i],
    [402, "INSUFFICIENT_FUNDS", /insufficient funds/i],
    [409, "ORDER_NOT_PENDING", /can no longer be paid.*expired or was cancelled/i],
    [403, "USER_BANNED", /account has been suspended/i],
    [422, "CART_EMPTY", /cart is empty/i],
    [409, "EMAIL_TAKEN", /already exists/i],
    [401, "INVALID_CREDENTIALS", /wrong email or password/i],
    [503, "PAYMENT_UNAVAILABLE", /payments are unavailable.*pay it later/i],
    [0, "NETWORK_ERROR", /can't reach the shop/i],
  ])("explains %i %s in plain words", (status, type, pattern) => {
    expect(errorMessage(err(status, type))).toMatch(pattern);
  });

  it("says how long to wait when rate limited", () => {
    expect(errorMessage(err(429, "RATE_LIMITED", undefined, 30))).toBe(
      "Too many requests. Please wait 30 seconds and try again.",
    );
    expect(errorMessage(err(429, "RATE_LIMITED", undefined, 1))).toMatch(/wait 1 second and/);
    expect(errorMessage(err(429, "RATE_LIMITED"))).toMatch(/wait a moment/);
    expect(explain(err(429, "RATE_LIMITED")).tone).toBe("warning");
  });

  it("names how many are left when the server says", () => {
    expect(errorMessage(err(409, "OUT_OF_STOCK", { available: 2, name: "Green tea" }))).toBe(
      "Sorry, only 2 of “Green tea” left in stock. Lower the quantity and try again.",
    );
    expect(errorMessage(err(409, "OUT_OF_STOCK", { available: 0 }))).toMatch(/out of stock/);
  });

  it("hands validation messages to the fields they belong to", () => {
    const e = err(422, "VALIDATION_ERROR", [
      { field: "address.city", message: "The 'address.city' field is required.", type: "required" },
      { field: "email", message: "Not an email" },
    ]);
    const explained = explain(e);
    expect(explained.message).toBe("Please correct the highlighted fields.");
    expect(explained.fields).toEqual({
      "address.city": "The 'address.city' field is required.",
      email: "Not an email",
    });
  });

  it("falls back to the server's message for a validation error without fields", () => {
    expect(errorMessage(err(422, "VALIDATION_ERROR"))).toBe("server says VALIDATION_ERROR");
  });

  it("never shows internals for a server error of an unknown type", () => {
    const e = new ApiError(500, "INTERNAL_ERROR", "TypeError: x is undefined at foo.js:1");
    expect(errorMessage(e)).toBe("Something went wrong on our side. Please try again in a moment.");
  });

  it("uses the server's message for an unknown client error", () => {
    expect(errorMessage(err(409, "SOMETHING_NEW"))).toBe("server says SOMETHING_NEW");
  });

  it("copes with values that are not API errors", () => {
    expect(errorMessage(new Error("boom"))).toBe("Something went wrong. Please try again.");
    expect(errorMessage(undefined)).toBe("Something went wrong. Please try again.");
  });
});
