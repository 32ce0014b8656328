/** A merchant's view of orders, its right to ship, its sales summary; the order tabs and search. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  merchantOrderView,
  shipRight,
  summarize,
  summaryDays,
  summaryStart,
} from "../../lib/orders/merchant.ts";
import type { Order } from "../../lib/orders/models.ts";
import { PUBLIC_STATUSES } from "../../lib/orders/state.ts";
import { containsPattern, ORDER_TABS, statusesOf, STATUS_FILTERS } from "../../lib/orders/tabs.ts";
import { orderView } from "../../lib/orders/view.ts";

const at = new Date("2026-03-10T08:00:00.000Z");
const order = {
  id: "7",
  userId: "3",
  status: "paid",
  currency: "CNY",
  total: 3500,
  address: { name: "A", phone: "13800138000", city: "杭州市", line1: "1", country: "CN" },
  email: "buyer@example.com",
  payment: null,
  paidAt: at,
  shippedAt: null,
  carrier: null,
  trackingNumber: null,
  expiresAt: at,
  createdAt: at,
  updatedAt: at,
} as unknown as Order;
const lines = [
  { productId: "1", name: "Kettle", price: 1000, quantity: 2, merchantId: 11 },
  { productId: "2", name: "Mug", price: 500, quantity: 3, merchantId: "12" },
];

describe("merchantOrderView", () => {
  it("shows only the merchant's lines and their subtotal, never email or payment", () => {
    const view = merchantOrderView(order, lines, "11");
    assert.deepEqual(view.items, [
      {
        productId: "1",
        name: "Kettle",
        price: 1000,
        quantity: 2,
        lineTotal: 2000,
        refundedQuantity: 0,
        merchantId: "11",
      },
    ]);
    assert.equal(view.total, 2000);
    assert.equal(view.paidAt, at.toISOString());
    assert.equal(view.shipment, null);
    assert.ok(!("email" in view) && !("payment" in view) && !("userId" in view));
    assert.equal(merchantOrderView(order, lines, "12").total, 1500);
  });

  it("shows the shipment once shipped, in the buyer's view too", () => {
    const shipped = {
      ...order,
      status: "shipped",
      shippedAt: new Date("2026-03-11T00:00:00Z"),
      carrier: "SF",
      trackingNumber: "SF1",
    } as unknown as Order;
    const expected = {
      carrier: "SF",
      trackingNumber: "SF1",
      shippedAt: "2026-03-11T00:00:00.000Z",
    };
    assert.deepEqual(merchantOrderView(shipped, lines, "11").shipment, expected);
    assert.deepEqual(orderView(shipped, lines).shipment, expected);
    assert.equal(orderView(order, lines).shipment, null);
    assert.deepEqual(
      orderView(order, [{ productId: "9", name: "Old", price: 1, quantity: 1 }]).items[0]
        .merchantId,
      null,
    );
  });
});

describe("shipRight", () => {
  it("is own only when every line is the merchant's; mixed; not_found without a line", () => {
    assert.equal(shipRight([lines[0]], "11"), "own");
    assert.equal(shipRight(lines, "11"), "mixed");
    assert.equal(shipRight(lines, "13"), "not_found");
    assert.equal(shipRight([{ ...lines[0], merchantId: null }], "11"), "not_found");
  });
});

describe("the sales summary", () => {
  it("starts at UTC midnight days-1 ago and lists every day, oldest first", () => {
    assert.equal(summaryStart(1, at).toISOString(), "2026-03-10T00:00:00.000Z");
    assert.equal(summaryStart(10, at).toISOString(), "2026-03-01T00:00:00.000Z");
    assert.deepEqual(summaryDays(3, at), ["2026-03-08", "2026-03-09", "2026-03-10"]);
    assert.equal(summaryDays(90, at).length, 90);
    assert.equal(summaryDays(3, new Date("2026-03-01T01:00:00Z"))[0], "2026-02-27");
  });

  it("adds up the grouped rows, zero on days without sales, numbers from strings", () => {
    const s = summarize(
      3,
      at,
      [
        { day: "2026-03-08", revenue: "2500", orders: 2, units: "5" },
        { day: "2026-03-10", revenue: 700, orders: "1", units: 1n },
      ],
      [{ productId: 5, name: "Kettle", units: "4", revenue: "2000" }],
    );
    assert.deepEqual(s, {
      revenue: 3200,
      orders: 3,
      unitsSold: 6,
      byDay: [
        { date: "2026-03-08", revenue: 2500, orders: 2 },
        { date: "2026-03-09", revenue: 0, orders: 0 },
        { date: "2026-03-10", revenue: 700, orders: 1 },
      ],
      topProducts: [{ productId: "5", name: "Kettle", units: 4, revenue: 2000 }],
    });
  });

  it("is all zeros without sales", () => {
    const s = summarize(2, at, [], []);
    assert.equal(s.revenue + s.orders + s.unitsSold, 0);
    assert.deepEqual(s.byDay, [
      { date: "2026-03-09", revenue: 0, orders: 0 },
      { date: "2026-03-10", revenue: 0, orders: 0 },
    ]);
  });
});

describe("order tabs", () => {
  it("map each tab to its statuses, a status to itself, none to every public status", () => {
    assert.deepEqual(statusesOf("to_pay"), ["pending"]);
    assert.deepEqual(statusesOf("to_ship"), ["paid"]);
    assert.deepEqual(statusesOf("to_receive"), ["shipped"]);
    assert.deepEqual(statusesOf("done"), ["completed"]);
    assert.deepEqual(statusesOf("after_sale"), ["return_requested", "refunded"]);
    assert.deepEqual(statusesOf("cancelled"), ["cancelled"]);
    assert.deepEqual(statusesOf(undefined), [...PUBLIC_STATUSES]);
  });

  it("group only public statuses, and the filter takes both", () => {
    for (const statuses of Object.values(ORDER_TABS)) {
      for (const s of statuses) assert.ok((PUBLIC_STATUSES as readonly string[]).includes(s));
    }
    assert.ok(STATUS_FILTERS.includes("paid") && STATUS_FILTERS.includes("after_sale"));
  });

  it("escapes LIKE wildcards and the escape character", () => {
    assert.equal(containsPattern("100%_x"), "%100!%!_x%");
    assert.equal(containsPattern("a!b"), "%a!!b%");
    assert.equal(containsPattern("耳机"), "%耳机%");
  });
});
