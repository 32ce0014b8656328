import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  assertStockShown,
  assertTotalAllowed,
  linesFromCart,
  priceLines,
} from "../../lib/orders/cart.ts";
import { isIsoCurrency } from "../../lib/products/merchant.ts";
import {
  attemptIdOf,
  canonicalJson,
  isRemembered,
  requestHash,
  scopeOf,
} from "../../lib/orders/idempotency.ts";
import { lineTotal, orderTotal, singleCurrency } from "../../lib/orders/money.ts";
import {
  cancellation,
  canTransition,
  FULFILMENT,
  isPayable,
  isPublicStatus,
  nextStatus,
  ORDER_STATUSES,
} from "../../lib/orders/state.ts";

describe("the order state machine", () => {
  it("allows exactly the transitions of API.md (plus the internal checkout states)", () => {
    const allowed = ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`),
    );
    assert.deepEqual(allowed.sort(), [
      "paid>refunded",
      "paid>shipped",
      "pending>cancelled",
      "pending>paid",
      "reserving>failed",
      "reserving>pending",
      "shipped>completed",
    ]);
  });

  it("never leaves a final status", () => {
    for (const final of ["failed", "completed", "cancelled", "refunded"] as const) {
      assert.ok(
        ORDER_STATUSES.every((to) => !canTransition(final, to)),
        final,
      );
    }
  });

  it("hides the internal statuses from clients", () => {
    assert.equal(isPublicStatus("reserving"), false);
    assert.equal(isPublicStatus("failed"), false);
    assert.equal(isPublicStatus("pending"), true);
    assert.equal(isPublicStatus("refunded"), true);
  });

  it("cancels a pending order, refunds a paid one, and refuses the rest", () => {
    assert.equal(cancellation("pending"), "cancel");
    assert.equal(cancellation("paid"), "refund");
    for (const s of ["shipped", "completed", "cancelled", "refunded", "reserving"] as const) {
      assert.equal(cancellation(s), undefined, s);
    }
  });

  it("fulfils in order: paid → shipped → completed", () => {
    assert.equal(nextStatus("paid", FULFILMENT.shipped), "shipped");
    assert.equal(nextStatus("shipped", FULFILMENT.completed), "completed");
    assert.equal(nextStatus("pending", FULFILMENT.shipped), undefined);
    assert.equal(nextStatus("paid", FULFILMENT.completed), undefined);
  });

  it("takes payment only while pending and before expiry", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const later = new Date(now.getTime() + 1000);
    const earlier = new Date(now.getTime() - 1);
    assert.equal(isPayable({ status: "pending", expiresAt: later }, now), true);
    assert.equal(isPayable({ status: "pending", expiresAt: earlier }, now), false);
    assert.equal(isPayable({ status: "pending", expiresAt: now }, now), false);
    assert.equal(isPayable({ status: "cancelled", expiresAt: later }, now), false);
  });
});

describe("order money", () => {
  it("multiplies and sums integers in minor units", () => {
    assert.equal(lineTotal({ price: 1999, quantity: 3 }), 5997);
    assert.equal(
      orderTotal([
        { price: 1999, quantity: 3 },
        { price: 1, quantity: 1 },
      ]),
      5998,
    );
    assert.equal(orderTotal([]), 0);
  });

  it("refuses floats, negatives and overflow", () => {
    assert.throws(() => lineTotal({ price: 19.99, quantity: 1 }), RangeError);
    assert.throws(() => lineTotal({ price: -1, quantity: 1 }), RangeError);
    assert.throws(() => lineTotal({ price: 1, quantity: 0 }), RangeError);
    assert.throws(() => lineTotal({ price: 1, quantity: 1.5 }), RangeError);
    assert.throws(() => lineTotal({ price: Number.MAX_SAFE_INTEGER, quantity: 2 }), RangeError);
  });

  it("knows a single currency from a mix", () => {
    assert.equal(singleCurrency([{ currency: "CNY" }, { currency: "CNY" }]), "CNY");
    assert.equal(singleCurrency([{ currency: "CNY" }, { currency: "USD" }]), undefined);
    assert.equal(singleCurrency([]), undefined);
  });
});

describe("cart to order lines", () => {
  const product = (price: number, currency = "CNY") => ({
    name: "P",
    price,
    currency,
    available: true,
  });

  it("merges lines of the same product and keeps the cart's order", () => {
    const lines = linesFromCart({
      items: [
        { productId: 2, quantity: 1, product: product(100) },
        { productId: "1", quantity: 2, product: product(50) },
        { productId: "2", quantity: 3, product: product(100) },
      ],
    });
    assert.deepEqual(
      lines.map((l) => [l.productId, l.quantity]),
      [
        ["2", 4],
        ["1", 2],
      ],
    );
  });

  it("refuses a cart whose catalog view shows too little stock, as the reservation would", () => {
    const cart = {
      items: [
        { productId: "1", quantity: 2, product: { ...product(10), stock: 5 } },
        { productId: "2", quantity: 1, product: { ...product(10), stock: 0 } },
        { productId: "3", quantity: 4, product: product(10) },
      ],
    };
    const lines = linesFromCart(cart);
    assert.throws(
      () => assertStockShown(cart, lines),
      (err: { code: number; type: string; data: unknown }) => {
        assert.equal(err.code, 409);
        assert.equal(err.type, "OUT_OF_STOCK");
        assert.deepEqual(err.data, [{ productId: "2", requested: 1, available: 0 }]);
        return true;
      },
    );
    const enough = { items: [cart.items[0], cart.items[2]] };
    assert.doesNotThrow(
      () => assertStockShown(enough, linesFromCart(enough)),
      "unknown stock is left to the reservation",
    );
  });

  it("answers CART_EMPTY, PRODUCT_UNAVAILABLE and MIXED_CURRENCY", () => {
    const typeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as { type: string; code: number }).type;
      }
      return "none";
    };
    assert.equal(
      typeOf(() => linesFromCart({ items: [] })),
      "CART_EMPTY",
    );
    assert.equal(
      typeOf(() =>
        linesFromCart({ items: [{ productId: "1", quantity: 0, product: product(1) }] }),
      ),
      "CART_EMPTY",
    );
    assert.equal(
      typeOf(() =>
        linesFromCart({
          items: [{ productId: "1", quantity: 1, product: { ...product(1), available: false } }],
        }),
      ),
      "PRODUCT_UNAVAILABLE",
    );
    assert.equal(
      typeOf(() =>
        linesFromCart({
          items: [
            { productId: "1", quantity: 1, product: product(1, "CNY") },
            { productId: "2", quantity: 1, product: product(1, "USD") },
          ],
        }),
      ),
      "MIXED_CURRENCY",
    );
  });

  it("prices the order from the reservation, not from the cart", () => {
    const priced = priceLines(
      [
        { productId: "1", quantity: 2 },
        { productId: "2", quantity: 1 },
      ],
      [
        { productId: 2, quantity: 1, name: "B", price: 700, currency: "CNY" },
        { productId: "1", quantity: 2, name: "A", price: 250, currency: "CNY" },
      ],
    );
    assert.deepEqual(priced, {
      lines: [
        { productId: "1", quantity: 2, name: "A", price: 250, currency: "CNY" },
        { productId: "2", quantity: 1, name: "B", price: 700, currency: "CNY" },
      ],
      total: 1200,
      currency: "CNY",
    });
  });

  it("refuses a reservation that does not match the order", () => {
    const ordered = [{ productId: "1", quantity: 2 }];
    const item = { productId: "1", quantity: 2, name: "A", price: 250, currency: "CNY" };
    assert.equal(priceLines(ordered, []), undefined);
    assert.equal(priceLines(ordered, [{ ...item, quantity: 1 }]), undefined);
    assert.equal(priceLines(ordered, [{ ...item, price: 2.5 }]), undefined);
    assert.equal(priceLines(ordered, [item, { ...item, productId: "9" }]), undefined);
    assert.equal(
      priceLines(
        [...ordered, { productId: "2", quantity: 1 }],
        [item, { ...item, productId: "2", quantity: 1, currency: "USD" }],
      ),
      undefined,
    );
  });
});

describe("order limits", () => {
  it("refuses a cart whose total passes 99,999,999 minor units with 422 ORDER_TOTAL_TOO_LARGE", () => {
    const cart = (price: number, quantity: number) => ({
      items: [{ productId: "1", quantity, product: { name: "Gold", price, currency: "CNY" } }],
    });
    assert.equal(linesFromCart(cart(33_333_333, 3))[0].quantity, 3);
    assert.throws(() => linesFromCart(cart(49_999_999, 3)), {
      code: 422,
      type: "ORDER_TOTAL_TOO_LARGE",
    });
    assert.doesNotThrow(() => assertTotalAllowed(99_999_999));
    assert.throws(() => assertTotalAllowed(100_000_000), { type: "ORDER_TOTAL_TOO_LARGE" });
  });

  it("knows ISO 4217 currency codes", () => {
    for (const code of ["CNY", "USD", "EUR", "JPY"]) assert.ok(isIsoCurrency(code), code);
    for (const code of ["ABC", "ZZZ", "cny", "US", ""]) assert.ok(!isIsoCurrency(code), code);
  });
});

describe("idempotency keys", () => {
  it("scopes a key to its user and route", () => {
    const a = scopeOf("1", "POST /checkout", "k");
    assert.equal(a, scopeOf("1", "POST /checkout", "k"));
    assert.notEqual(a, scopeOf("2", "POST /checkout", "k"));
    assert.notEqual(a, scopeOf("1", "POST /orders/:id/pay", "k"));
    assert.notEqual(a, scopeOf("1", "POST /checkout", "K"));
    assert.match(a, /^[0-9a-f]{64}$/);
  });

  it("hashes equal requests equally, whatever the key order", () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 1 }], c: null } }),
      '{"a":{"c":null,"d":[1,{"e":1,"f":2}]},"b":1}',
    );
    assert.equal(
      requestHash({ address: { city: "X", name: "N" }, email: "a@b.c" }),
      requestHash({ email: "a@b.c", address: { name: "N", city: "X" } }),
    );
    assert.equal(requestHash({ a: 1, b: undefined }), requestHash({ a: 1 }));
  });

  it("tells different requests apart", () => {
    assert.notEqual(
      requestHash({ address: { city: "X" } }),
      requestHash({ address: { city: "Y" } }),
    );
    assert.notEqual(requestHash({ id: "1" }), requestHash({ id: "2" }));
  });

  it("keeps no recoverable card number or CVV in the hash", () => {
    const card = { number: "4242424242424242", expMonth: 12, expYear: 2030, cvv: "123" };
    // Only the last four digits and expiry count: the hash cannot be brute-forced into a card.
    assert.equal(
      requestHash({ card }),
      requestHash({
        card: { ...card, number: "4000056655665556".slice(0, 12) + "4242", cvv: "999" },
      }),
    );
    assert.notEqual(
      requestHash({ card }),
      requestHash({ card: { ...card, number: "4000000000000002" } }),
    );
    assert.notEqual(requestHash({ card }), requestHash({ card: { ...card, expYear: 2031 } }));
  });

  it("derives one payment attempt per key and order", () => {
    const scope = scopeOf("1", "POST /orders/:id/pay", "k");
    assert.equal(attemptIdOf(scope, "7"), attemptIdOf(scope, "7"));
    assert.notEqual(attemptIdOf(scope, "7"), attemptIdOf(scope, "8"));
    assert.ok(attemptIdOf(scope, "7").length <= 64);
  });

  it("remembers successes and client errors, never server errors", () => {
    assert.equal(isRemembered(200), true);
    assert.equal(isRemembered(201), true);
    assert.equal(isRemembered(402), true);
    assert.equal(isRemembered(409), true);
    assert.equal(isRemembered(500), false);
    assert.equal(isRemembered(503), false);
    assert.equal(isRemembered(504), false);
  });
});
