/**
 * Receipt, completion and returns as plain rules (lib/orders/returns.ts): the delivery time and
 * the return window, the auto-complete cutoff, the units a return covers, who decides it, and the
 * order's returnRequest.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  autoCompleteCutoff,
  checkDecider,
  checkReturnable,
  DAY_MS,
  deliveredAt,
  refundForReturn,
  returnDeadline,
  returnItems,
  returnRequestView,
  type ReturnableOrder,
} from "../../lib/orders/returns.ts";
import { refundOf } from "../../lib/payments/refund.ts";
import { within } from "../../lib/products/stock.ts";

const shippedAt = new Date("2030-03-01T10:00:00Z");
const completedAt = new Date("2030-03-04T10:00:00Z");
const order = (o: Partial<ReturnableOrder>): ReturnableOrder => ({
  id: "7",
  status: "shipped",
  shippedAt,
  completedAt: null,
  ...o,
});
const typeOf = (fn: () => unknown) => {
  try {
    fn();
    return "none";
  } catch (err) {
    return (err as { type?: string }).type;
  }
};

describe("the return window", () => {
  it("counts from completion, or from shipping while the order is still shipped", () => {
    assert.equal(deliveredAt(order({})), shippedAt);
    assert.equal(deliveredAt(order({ status: "completed", completedAt })), completedAt);
    assert.equal(deliveredAt(order({ shippedAt: null })), null);
    assert.equal(
      returnDeadline(order({ status: "completed", completedAt }), 7)?.toISOString(),
      "2030-03-11T10:00:00.000Z",
    );
  });

  it("accepts a request up to the deadline, inclusive, and refuses it a moment later", () => {
    const done = order({ status: "completed", completedAt });
    const deadline = new Date(completedAt.getTime() + 7 * DAY_MS);
    assert.equal(
      typeOf(() => checkReturnable(done, deadline, 7)),
      "none",
    );
    const late = new Date(deadline.getTime() + 1);
    assert.equal(
      typeOf(() => checkReturnable(done, late, 7)),
      "RETURN_WINDOW_CLOSED",
    );
    // Still shipped: the window runs from shipping.
    const shipped = order({});
    assert.equal(
      typeOf(() => checkReturnable(shipped, new Date(shippedAt.getTime() + DAY_MS), 1)),
      "none",
    );
    assert.equal(
      typeOf(() => checkReturnable(shipped, new Date(shippedAt.getTime() + DAY_MS + 1), 1)),
      "RETURN_WINDOW_CLOSED",
    );
  });

  it("refuses orders that are not shipped or completed with 409 ORDER_NOT_RETURNABLE", () => {
    for (const status of [
      "pending",
      "paid",
      "cancelled",
      "refunded",
      "return_requested",
    ] as const) {
      assert.equal(
        typeOf(() => checkReturnable(order({ status }), shippedAt, 7)),
        "ORDER_NOT_RETURNABLE",
      );
    }
  });

  it("completes orders shipped before now − ORDER_AUTO_COMPLETE_DAYS", () => {
    const now = new Date("2030-03-11T10:00:00Z");
    assert.equal(autoCompleteCutoff(now, 10).toISOString(), "2030-03-01T10:00:00.000Z");
  });
});

describe("the units a return covers", () => {
  const lines = [
    { productId: "1", quantity: 2 },
    { productId: "5", quantity: 1 },
  ];

  it("is every line in full when the buyer names none", () => {
    assert.deepEqual(returnItems(lines), lines);
    assert.deepEqual(returnItems(lines, []), lines);
  });

  it("is the named lines, duplicates merged, at most what was ordered", () => {
    assert.deepEqual(
      returnItems(lines, [
        { productId: "1", quantity: 1 },
        { productId: "1", quantity: 1 },
      ]),
      [{ productId: "1", quantity: 2 }],
    );
    assert.equal(
      typeOf(() => returnItems(lines, [{ productId: "1", quantity: 3 }])),
      "INVALID_RETURN_ITEMS",
    );
    assert.equal(
      typeOf(() => returnItems(lines, [{ productId: "9", quantity: 1 }])),
      "INVALID_RETURN_ITEMS",
    );
  });

  it("restocks no more than the reservation held", () => {
    const reserved = [
      { productId: "1", quantity: 2 },
      { productId: "5", quantity: 1 },
    ];
    assert.deepEqual(
      within(reserved, [
        { productId: "1", quantity: 5 },
        { productId: "9", quantity: 1 },
      ]),
      [{ productId: "1", quantity: 2 }],
    );
  });
});

describe("what an approved return refunds", () => {
  const lines = [
    { id: "11", productId: "1", price: 5900, quantity: 2 },
    { id: "12", productId: "5", price: 1250, quantity: 3 },
    // The same product on a second line (a price change between two adds): its first line first.
    { id: "13", productId: "1", price: 6100, quantity: 1 },
  ];

  it("is the price of the returned units only: the kept ones stay paid for", () => {
    assert.deepEqual(refundForReturn(lines, [{ productId: "5", quantity: 1 }]), {
      lines: [{ id: "12", refundedQuantity: 1 }],
      amount: 1250,
    });
    assert.deepEqual(refundForReturn(lines, [{ productId: "1", quantity: 3 }]), {
      lines: [
        { id: "11", refundedQuantity: 2 },
        { id: "13", refundedQuantity: 1 },
      ],
      amount: 2 * 5900 + 6100,
    });
  });

  it("is the whole order when every unit comes back", () => {
    const all = refundForReturn(lines, returnItems(lines));
    assert.equal(all.amount, 2 * 5900 + 3 * 1250 + 6100);
    assert.deepEqual(
      all.lines.map((l) => l.refundedQuantity),
      [2, 3, 1],
    );
  });

  it("is paid back as `partially_refunded` unless it is the whole capture", () => {
    const captured = { status: "captured" as const, amount: 21650 };
    assert.deepEqual(refundOf(captured, 1250), {
      status: "partially_refunded",
      refundedAmount: 1250,
    });
    assert.deepEqual(refundOf(captured), { status: "refunded", refundedAmount: 21650 });
    assert.deepEqual(refundOf(captured, 21650), { status: "refunded", refundedAmount: 21650 });
    for (const bad of [0, -1, 21651, 12.5]) {
      assert.equal(
        typeOf(() => refundOf(captured, bad)),
        "VALIDATION_ERROR",
        String(bad),
      );
    }
    for (const status of ["declined", "refunded", "partially_refunded"] as const) {
      assert.equal(
        typeOf(() => refundOf({ status, amount: 100 })),
        "PAYMENT_NOT_REFUNDABLE",
      );
    }
  });
});

describe("who decides a return", () => {
  const mine = [{ merchantId: "3" }, { merchantId: 3 }];
  it("an admin always; a merchant when every line is its own", () => {
    assert.equal(
      typeOf(() => checkDecider({ id: "1", role: "admin" }, "7", [{ merchantId: null }])),
      "none",
    );
    assert.equal(
      typeOf(() => checkDecider({ id: "3", role: "merchant" }, "7", mine)),
      "none",
    );
  });
  it("another merchant's order is 404; a mixed one 403 NOT_ORDER_MERCHANT", () => {
    assert.equal(
      typeOf(() => checkDecider({ id: "4", role: "merchant" }, "7", mine)),
      "NOT_FOUND",
    );
    assert.equal(
      typeOf(() =>
        checkDecider({ id: "3", role: "merchant" }, "7", [...mine, { merchantId: "4" }]),
      ),
      "NOT_ORDER_MERCHANT",
    );
    assert.equal(
      typeOf(() =>
        checkDecider({ id: "3", role: "merchant" }, "7", [...mine, { merchantId: null }]),
      ),
      "NOT_ORDER_MERCHANT",
    );
  });
});

describe("the order's returnRequest", () => {
  it("is null before any request, else the last request and its decision", () => {
    const none = {
      returnStatus: null,
      returnReason: null,
      returnItems: null,
      returnDecisionReason: null,
      returnRequestedAt: null,
      returnDecidedAt: null,
    };
    assert.equal(returnRequestView(none), null);
    assert.deepEqual(
      returnRequestView({
        ...none,
        returnStatus: "rejected",
        returnReason: "broken",
        returnItems: [{ productId: "1", quantity: 1 }],
        returnDecisionReason: "used",
        returnRequestedAt: shippedAt,
        returnDecidedAt: completedAt,
      }),
      {
        reason: "broken",
        status: "rejected",
        items: [{ productId: "1", quantity: 1 }],
        decisionReason: "used",
        createdAt: shippedAt.toISOString(),
        decidedAt: completedAt.toISOString(),
      },
    );
  });
});
