/**
 * Limits that keep one buyer from hoarding stock or money going wrong: MAX_PENDING_ORDERS, a
 * product's maxPerOrder, the cap on an order's total, ISO 4217 currencies; the merchant's stock
 * as units on hand; and a capture refunded because a cancel won stays shown on its order.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ordersModes, useOrdersShop } from "../helpers/orders-suite.ts";
import type { Catalog } from "../helpers/order-catalog.ts";
import { ADDRESS, CARDS, checkout, eventually, shopperWithCart } from "../helpers/orders.ts";
import { client, userWithRole } from "../helpers/http.ts";
import { ADMIN, type TestShop } from "../helpers/shop.ts";
import { reconcileHeldStock } from "../../services/orders/reconcile.ts";
import type { OrdersDeps } from "../../services/orders/deps.ts";

const modes = await ordersModes();

for (const mode of modes) {
  describe(`orders limits (${mode} mode)`, () => {
    const suite = useOrdersShop(mode);
    let shop: TestShop;
    let catalog: Catalog;
    let merchant: ReturnType<typeof client>;
    before(async () => {
      ({ shop, catalog } = suite);
      merchant = client(shop.url, (await userWithRole(shop.url, ADMIN, "merchant")).accessToken);
    });

    const newProduct = async (body: Record<string, unknown>) => {
      const res = await merchant.post("/api/products", {
        name: "Limited product",
        description: "A product for the limits tests",
        price: 1000,
        stock: 100,
        ...body,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return String(res.body.id);
    };

    it("a 4th pending order is 409 TOO_MANY_PENDING_ORDERS until one is paid or cancelled", async () => {
      const p = await suite.product(300, 50);
      const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        if (i > 0) await catalog.addToCart(s, p, 1);
        const r = await checkout(shop.url, s);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        ids.push(r.body.id);
      }
      await catalog.addToCart(s, p, 1);
      const fourth = await checkout(shop.url, s);
      assert.equal(fourth.status, 409, JSON.stringify(fourth.body));
      assert.equal(fourth.body.type, "TOO_MANY_PENDING_ORDERS");
      assert.equal(await catalog.stock(p), 47, "the refused checkout holds nothing");
      const cancel = await client(shop.url, s.accessToken).post(`/api/orders/${ids[0]}/cancel`);
      assert.equal(cancel.status, 200);
      const fifth = await checkout(shop.url, s);
      assert.equal(fifth.status, 201, JSON.stringify(fifth.body));
    });

    it("an order takes at most a product's maxPerOrder (default 10): 422 QUANTITY_LIMIT", async () => {
      const p = await newProduct({});
      const s = await shopperWithCart(shop.url, catalog, [[p, 11]]);
      const over = await checkout(shop.url, s);
      assert.equal(over.status, 422, JSON.stringify(over.body));
      assert.equal(over.body.type, "QUANTITY_LIMIT");
      assert.equal(await catalog.stock(p), 100, "nothing reserved");
      const raised = await merchant.patch(`/api/products/${p}`, { maxPerOrder: 20 });
      assert.equal(raised.status, 200, JSON.stringify(raised.body));
      const ok = await checkout(shop.url, s);
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(await catalog.stock(p), 89);
      for (const maxPerOrder of [0, 100, 1.5]) {
        const bad = await merchant.patch(`/api/products/${p}`, { maxPerOrder });
        assert.equal(bad.status, 422, `maxPerOrder ${maxPerOrder}: ${JSON.stringify(bad.body)}`);
      }
    });

    it("an order's total past 99,999,999 minor units is 422 ORDER_TOTAL_TOO_LARGE, never charged", async () => {
      const p = await newProduct({ price: 50_000_000 });
      const s = await shopperWithCart(shop.url, catalog, [[p, 2]]);
      const res = await checkout(shop.url, s, { address: ADDRESS, card: CARDS.ok });
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.type, "ORDER_TOTAL_TOO_LARGE");
      assert.equal(await catalog.stock(p), 100);
      const orders = await client(shop.url, s.accessToken).get("/api/orders");
      assert.equal(orders.body.total, 0);
    });

    it("a product's currency is an ISO 4217 code: 422 INVALID_CURRENCY otherwise", async () => {
      for (const currency of ["ABC", "ZZZ"]) {
        const res = await merchant.post("/api/products", {
          name: "Odd money",
          description: "x",
          price: 100,
          stock: 1,
          currency,
        });
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.equal(res.body.type, "INVALID_CURRENCY");
      }
      const p = await newProduct({ currency: "USD" });
      const patched = await merchant.patch(`/api/products/${p}`, { currency: "QQQ" });
      assert.equal(patched.status, 422);
      assert.equal(patched.body.type, "INVALID_CURRENCY");
    });

    it("the merchant's stock is units on hand: a release never brings back units the merchant removed", async () => {
      const p = await newProduct({ stock: 10 });
      const s = await shopperWithCart(shop.url, catalog, [[p, 4]]);
      const order = await checkout(shop.url, s);
      assert.equal(order.status, 201);
      assert.equal(await catalog.stock(p), 6, "4 held by the pending order");
      // The merchant counts 7 units on hand (3 went missing): 4 of them are held, 3 can be bought.
      const set = await merchant.patch(`/api/products/${p}`, { stock: 7 });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.stock, 3);
      const below = await merchant.patch(`/api/products/${p}`, { stock: 3 });
      assert.equal(below.status, 409, JSON.stringify(below.body));
      assert.equal(below.body.type, "STOCK_RESERVED");
      const cancel = await client(shop.url, s.accessToken).post(
        `/api/orders/${order.body.id}/cancel`,
      );
      assert.equal(cancel.status, 200);
      await eventually("the released stock", async () =>
        (await catalog.stock(p)) === 7 ? true : undefined,
      );
      assert.equal(await catalog.stock(p), 7, "what the merchant set, never 11");
    });

    it("the reconciler releases stock still held for an order that is over", async () => {
      const { order, productId } = await suite.pendingOrder(800);
      const before = await catalog.stock(productId);
      const node = shop.nodes.find((n) => n.broker.getLocalService("orders"))!;
      const deps = (node.broker.getLocalService("orders") as unknown as { deps: OrdersDeps }).deps;
      // A leak as a frozen node left one: the order failed, its reservation still held.
      await deps.models.Order.update({ status: "failed" }, { where: { id: order.id } });
      assert.equal((await catalog.reservation(order.id)).status, "held");
      const now = { ...deps, settings: { ...deps.settings, recoveryMs: 0 } };
      assert.ok((await reconcileHeldStock(now)) >= 1);
      await eventually("the leaked stock released", async () =>
        (await catalog.reservation(order.id)).status === "released" ? true : undefined,
      );
      assert.equal(await catalog.stock(productId), before + 1);
      assert.equal(await reconcileHeldStock(now), 0, "nothing left to release");
    });

    it("a capture refunded because a cancel won is shown as the order's payment", async () => {
      const { shopper, order } = await suite.pendingOrder(1200);
      const api = client(shop.url, shopper.accessToken);
      assert.equal((await api.post(`/api/orders/${order.id}/cancel`)).status, 200);
      // The capture of a payment that was in flight when the cancel won.
      const payment = await catalog.broker.call<Record<string, unknown>, object>(
        "payments.charge",
        {
          orderId: order.id,
          attemptId: `late-${order.id}`,
          userId: shopper.user.id,
          amount: order.total,
          currency: order.currency,
          card: CARDS.ok,
        },
      );
      assert.equal(payment.status, "captured");
      await catalog.broker.call("orders.paymentCaptured", { payment });
      const shown = await eventually("the refunded payment on the order", async () => {
        const res = await api.get(`/api/orders/${order.id}`);
        return res.body.payment?.status === "refunded" ? res.body : undefined;
      });
      assert.equal(shown.status, "cancelled");
      assert.equal(shown.payment.id, payment.id);
    });
  });
}
