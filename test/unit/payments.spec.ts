import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  cardBrand,
  cardProblems,
  fullYear,
  isExpired,
  last4,
  luhnValid,
  normalizeCardNumber,
} from "../../lib/payments/card.ts";
import { decide, TEST_CARDS } from "../../lib/payments/processor.ts";

const NOW = new Date("2030-06-15T12:00:00Z");
const good = { number: "4242 4242 4242 4242", expMonth: 12, expYear: 2031, cvv: "123" };

describe("card checks", () => {
  it("validates the Luhn checksum", () => {
    for (const n of [
      TEST_CARDS.success,
      TEST_CARDS.declined,
      TEST_CARDS.insufficientFunds,
      "378282246310005",
      "5555555555554444",
      "79927398713",
    ]) {
      assert.equal(luhnValid(n), true, n);
    }
    for (const n of [
      "4242424242424241",
      "79927398710",
      "1234567812345678",
      "",
      "42424242x4242424",
    ]) {
      assert.equal(luhnValid(n), false, n);
    }
  });

  it("recognises brands", () => {
    assert.equal(cardBrand("4242424242424242"), "visa");
    assert.equal(cardBrand("5555555555554444"), "mastercard");
    assert.equal(cardBrand("2223003122003222"), "mastercard");
    assert.equal(cardBrand("378282246310005"), "amex");
    assert.equal(cardBrand("6011111111111117"), "discover");
    assert.equal(cardBrand("6200000000000005"), "unionpay");
    assert.equal(cardBrand("9999999999999995"), "unknown");
  });

  it("is good through the last day of its expiry month", () => {
    assert.equal(isExpired(6, 2030, NOW), false);
    assert.equal(isExpired(6, 2030, new Date("2030-06-30T23:59:59Z")), false);
    assert.equal(isExpired(6, 2030, new Date("2030-07-01T00:00:00Z")), true);
    assert.equal(isExpired(5, 2030, NOW), true);
    assert.equal(isExpired(12, 30, NOW), false);
    assert.equal(fullYear(31), 2031);
    assert.equal(fullYear(2031), 2031);
  });

  it("accepts a good card, with the spaces people type", () => {
    assert.deepEqual(cardProblems(good, NOW), []);
    assert.equal(normalizeCardNumber("4242-4242 4242 4242"), "4242424242424242");
    assert.equal(last4(good.number), "4242");
  });

  it("names each problem with its field and type", () => {
    const types = (card: typeof good) => cardProblems(card, NOW).map((p) => `${p.field}:${p.type}`);
    assert.deepEqual(types({ ...good, number: "4242424242424241" }), [
      "number:INVALID_CARD_NUMBER",
    ]);
    assert.deepEqual(types({ ...good, number: "42" }), ["number:INVALID_CARD_NUMBER"]);
    assert.deepEqual(types({ ...good, expMonth: 13 }), ["expMonth:INVALID_EXPIRY"]);
    assert.deepEqual(types({ ...good, expMonth: 5, expYear: 2030 }), ["expYear:CARD_EXPIRED"]);
    assert.deepEqual(types({ ...good, expYear: 2090 }), ["expYear:INVALID_EXPIRY"]);
    assert.deepEqual(types({ ...good, cvv: "12" }), ["cvv:INVALID_CVV"]);
    assert.deepEqual(types({ ...good, cvv: "12a" }), ["cvv:INVALID_CVV"]);
    assert.deepEqual(types({ ...good, number: "378282246310005", cvv: "123" }), [
      "cvv:INVALID_CVV",
    ]);
    assert.deepEqual(types({ ...good, number: "378282246310005", cvv: "1234" }), []);
  });
});

describe("the simulated processor", () => {
  it("answers the test cards of API.md", () => {
    assert.deepEqual(decide(TEST_CARDS.success), { status: "captured" });
    assert.equal(decide("4242 4242 4242 4242").status, "captured");
    const declined = decide(TEST_CARDS.declined);
    assert.equal(declined.status === "declined" && declined.code, "PAYMENT_DECLINED");
    const funds = decide(TEST_CARDS.insufficientFunds);
    assert.equal(funds.status === "declined" && funds.code, "INSUFFICIENT_FUNDS");
  });

  it("approves any other valid card", () => {
    assert.equal(decide("5555555555554444").status, "captured");
  });
});
