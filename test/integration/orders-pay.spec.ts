/**
 * Paying orders through HTTP (API.md POST /api/orders/:id/pay, and checkout with a card), in the
 * embedded mode and in cluster mode: captures, declines, payments down, and resumed payments.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { QueryTypes } from "sequelize";
import type { Catalog } from "../helpers/order-catalog.ts";
import {
  ADDRESS,
  CARDS,
  checkout,
  eventually,
  newKey,
  payOrder,
  shopperWithCart,
} from "../helpers/orders.ts";
import { ordersDb, startPayments, stopPayments } from "../helpers/orders-shop.ts";
import { ORDER_KEYS, ordersModes, useOrdersShop } from "../helpers/orders-suite.ts";
import type { TestShop } from "../helpers/shop.ts";

const modes = await ordersModes();

for (const mode of modes) {
  describe(`orders: payment (${mode} mode)`, () => {
    const suite = useOrdersShop(mode);
    let shop: TestShop;
    let catalog: Catalog;
    before(() => ({ shop, catalog } = suite));
    const { api, product, pendingOrder, paidOrder, payments } = suite;

    describe("POST /api/orders/:id/pay", () => {
      it("pays a pending order: 200 paid, with its payment, and the stock is committed", async () => {
        const o = await pendingOrder(2500);
        const res = await payOrder(shop.url, o.shopper, o.order.id);
        assert.equal(res.status, 200);
        assert.deepEqual(Object.keys(res.body).sort(), ORDER_KEYS);
        assert.equal(res.body.status, "paid");
        assert.deepEqual(Object.keys(res.body.payment).sort(), [
          "amount",
          "cardBrand",
          "cardLast4",
          "createdAt",
          "id",
          "refundedAmount",
          "status",
          "transactionId",
        ]);
        assert.equal(res.body.payment.amount, 2500);
        await eventually("the stock to be committed", async () =>
          (await catalog.reservation(o.order.id)).status === "committed" ? true : undefined,
        );
        assert.equal((await api(o.shopper).get(`/api/orders/${o.order.id}`)).body.status, "paid");
      });

      it("answers 402 for declined cards and insufficient funds; the order stays pending", async () => {
        const o = await pendingOrder();
        const declined = await payOrder(shop.url, o.shopper, o.order.id, CARDS.declined);
        assert.equal(declined.status, 402);
        assert.equal(declined.body.type, "PAYMENT_DECLINED");
        const poor = await payOrder(shop.url, o.shopper, o.order.id, CARDS.insufficient);
        assert.equal(poor.status, 402);
        assert.equal(poor.body.type, "INSUFFICIENT_FUNDS");
        const order = (await api(o.shopper).get(`/api/orders/${o.order.id}`)).body;
        assert.equal(order.status, "pending");
        assert.deepEqual(
          (await payments(o.order.id)).map((p) => p.status),
          ["declined", "declined"],
          "a payment record per attempt",
        );
        assert.equal((await payOrder(shop.url, o.shopper, o.order.id)).status, 200);
      });

      it("answers 422 for a bad card and records no payment", async () => {
        const o = await pendingOrder();
        for (const card of [CARDS.badLuhn, CARDS.expired, CARDS.badCvv]) {
          const res = await payOrder(shop.url, o.shopper, o.order.id, card);
          assert.equal(res.status, 422, JSON.stringify(res.body));
        }
        const missing = await payOrder(shop.url, o.shopper, o.order.id, {
          number: "4242",
        } as never);
        assert.equal(missing.status, 422);
        assert.deepEqual(await payments(o.order.id), []);
        assert.equal(
          (await api(o.shopper).get(`/api/orders/${o.order.id}`)).body.status,
          "pending",
        );
      });

      it("answers 409 ORDER_NOT_PENDING for a paid or a cancelled order", async () => {
        const paid = await paidOrder();
        const again = await payOrder(shop.url, paid.shopper, paid.order.id);
        assert.equal(again.status, 409);
        assert.equal(again.body.type, "ORDER_NOT_PENDING");
        const o = await pendingOrder();
        assert.equal((await api(o.shopper).post(`/api/orders/${o.order.id}/cancel`)).status, 200);
        const late = await payOrder(shop.url, o.shopper, o.order.id);
        assert.equal(late.status, 409);
        assert.equal(late.body.type, "ORDER_NOT_PENDING");
        assert.deepEqual(await payments(o.order.id), [], "nothing was charged");
      });

      it("keeps no card number or CVV anywhere, only the last four digits", async () => {
        const o = await pendingOrder();
        const card = { ...CARDS.ok, number: "5555555555554444", cvv: "987" };
        assert.equal((await payOrder(shop.url, o.shopper, o.order.id, card)).status, 200);
        const db = ordersDb(shop);
        for (const table of [
          "payments",
          "orders",
          "idempotency_keys",
          "order_outbox",
          "payment_outbox",
        ]) {
          const rows = await db.query(`SELECT * FROM ${table}`, { type: QueryTypes.SELECT });
          const dump = JSON.stringify(rows);
          assert.ok(!dump.includes("5555555555554444"), `no card number in ${table}`);
          assert.ok(!dump.includes("555555555555"), `no partial card number in ${table}`);
          assert.ok(!dump.includes('"987"') && !dump.includes(":987"), `no CVV in ${table}`);
        }
        const [payment] = await payments(o.order.id);
        assert.equal((payment as unknown as { cardLast4: string }).cardLast4, "4444");
      });

      it("answers 503 PAYMENT_UNAVAILABLE while payments is down, keeps the order pending, and the same key works later", async () => {
        const o = await pendingOrder();
        const key = newKey();
        await stopPayments(shop);
        try {
          const res = await payOrder(shop.url, o.shopper, o.order.id, CARDS.ok, key);
          assert.equal(res.status, 503, JSON.stringify(res.body));
          assert.equal(res.body.type, "PAYMENT_UNAVAILABLE");
          assert.equal(
            (await api(o.shopper).get(`/api/orders/${o.order.id}`)).body.status,
            "pending",
          );
          // Ordering keeps working without payments.
          const p = await product();
          const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
          assert.equal((await checkout(shop.url, s)).status, 201);
        } finally {
          await startPayments(shop);
        }
        const later = await payOrder(shop.url, o.shopper, o.order.id, CARDS.ok, key);
        assert.equal(later.status, 200, JSON.stringify(later.body));
        assert.equal(later.body.status, "paid");
      });

      it("resumes a checkout with a card that got 503 PAYMENT_UNAVAILABLE: the same key pays the same order", async () => {
        const p = await product();
        const s = await shopperWithCart(shop.url, catalog, [[p, 2]]);
        const key = newKey();
        const body = { address: ADDRESS, card: CARDS.ok };
        await stopPayments(shop);
        let first;
        try {
          first = await checkout(shop.url, s, body, key);
          assert.equal(first.status, 503, JSON.stringify(first.body));
          assert.equal(first.body.type, "PAYMENT_UNAVAILABLE");
        } finally {
          await startPayments(shop);
        }
        // The 503 released the key: the retry runs on a new key row and finds the order by it.
        const retry = await checkout(shop.url, s, body, key);
        assert.equal(retry.status, 201, JSON.stringify(retry.body));
        assert.equal(retry.body.status, "paid");
        const orders = (await api(s).get("/api/orders")).body;
        assert.equal(orders.total, 1, "one order, paid on the retry");
        assert.equal(orders.rows[0].id, retry.body.id);
        assert.equal(await catalog.stock(p), 48, "the stock was taken once");
      });
    });
  });
}
