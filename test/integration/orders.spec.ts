/**
 * Orders, checkout and payment through HTTP (API.md), in the embedded mode and in cluster mode
 * (users, orders, payments and the catalog on separate brokers over NATS, two gateways, MariaDB,
 * Redis).
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Catalog } from "../helpers/order-catalog.ts";
import { client, loginAdmin, registerUser } from "../helpers/http.ts";
import {
  ADDRESS,
  CARDS,
  checkout,
  eventually,
  newKey,
  payOrder,
  shopperWithCart,
  shortLines,
} from "../helpers/orders.ts";
import { ORDER_KEYS, ordersModes, useOrdersShop } from "../helpers/orders-suite.ts";
import { ADMIN, type TestShop } from "../helpers/shop.ts";

const modes = await ordersModes();

for (const mode of modes) {
  describe(`orders (${mode} mode)`, () => {
    const suite = useOrdersShop(mode);
    let shop: TestShop;
    let catalog: Catalog;
    before(() => ({ shop, catalog } = suite));
    const { api, product, pendingOrder, paidOrder, payments } = suite;

    describe("POST /api/checkout", () => {
      it("turns the cart into a pending order at catalog prices, holds the stock and empties the cart", async () => {
        const a = await product(1999, 10);
        const b = await product(500, 5);
        const s = await shopperWithCart(shop.url, catalog, [
          [a, 2],
          [b, 1],
        ]);
        const res = await checkout(shop.url, s, { address: ADDRESS, email: "Buyer@Example.com" });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const order = res.body;
        assert.deepEqual(Object.keys(order).sort(), ORDER_KEYS);
        assert.equal(order.status, "pending");
        assert.equal(order.userId, s.user.id);
        const seller = order.items[0].merchantId;
        assert.equal(typeof seller, "string", "the line names the merchant selling the product");
        assert.deepEqual(order.items, [
          {
            productId: a,
            name: order.items[0].name,
            price: 1999,
            quantity: 2,
            lineTotal: 3998,
            refundedQuantity: 0,
            merchantId: seller,
          },
          {
            productId: b,
            name: order.items[1].name,
            price: 500,
            quantity: 1,
            lineTotal: 500,
            refundedQuantity: 0,
            merchantId: seller,
          },
        ]);
        assert.equal(order.shipment, null);
        assert.equal(order.total, 4498);
        assert.equal(order.currency, "CNY");
        assert.deepEqual(order.address, ADDRESS);
        assert.equal(order.email, "buyer@example.com");
        assert.equal(order.payment, null);
        const ttl = Date.parse(order.expiresAt) - Date.parse(order.createdAt);
        assert.ok(
          ttl > 890_000 && ttl <= 901_000,
          `expires after ORDER_PAYMENT_TTL_SECONDS (${ttl})`,
        );
        assert.equal(res.headers.get("location"), `/api/orders/${order.id}`);

        assert.equal(await catalog.stock(a), 8);
        assert.equal(await catalog.stock(b), 4);
        const reservation = await catalog.reservation(order.id);
        assert.equal(reservation.status, "held");
        assert.deepEqual(await catalog.cartItems(s), [], "the cart is emptied");
        const got = await api(s).get(`/api/orders/${order.id}`);
        assert.equal(got.status, 200);
        assert.deepEqual(got.body, order);
      });

      it("charges the catalog's current price, not the one the cart was filled at", async () => {
        const p = await product(1000, 5);
        const s = await shopperWithCart(shop.url, catalog, [[p, 2]]);
        await catalog.setPrice(p, 1250);
        const res = await checkout(shop.url, s);
        assert.equal(res.status, 201);
        assert.equal(res.body.items[0].price, 1250);
        assert.equal(res.body.total, 2500);
      });

      it("answers 422 CART_EMPTY for an empty cart and creates nothing", async () => {
        const s = await registerUser(shop.url);
        const res = await checkout(shop.url, s);
        assert.equal(res.status, 422);
        assert.equal(res.body.type, "CART_EMPTY");
        assert.equal((await api(s).get("/api/orders")).body.total, 0);
      });

      it("answers 409 OUT_OF_STOCK and reserves nothing when one line of a multi-line order is short", async () => {
        const plenty = await product(100, 10);
        const scarce = await product(200, 2);
        const s = await shopperWithCart(shop.url, catalog, [
          [plenty, 3],
          [scarce, 2],
        ]);
        // Someone else buys one of the two scarce items first.
        const rival = await shopperWithCart(shop.url, catalog, [[scarce, 1]]);
        assert.equal((await checkout(shop.url, rival)).status, 201);

        const res = await checkout(shop.url, s);
        assert.equal(res.status, 409, JSON.stringify(res.body));
        assert.equal(res.body.type, "OUT_OF_STOCK");
        assert.deepEqual(shortLines(res.body.data), [
          { productId: scarce, requested: 2, available: 1 },
        ]);
        assert.equal(await catalog.stock(plenty), 10, "the line that had stock reserved nothing");
        assert.equal(await catalog.stock(scarce), 1);
        assert.equal((await api(s).get("/api/orders")).body.total, 0, "no order is left behind");
        assert.equal((await catalog.cartItems(s)).length, 2, "the cart is kept");
      });

      it("needs an Idempotency-Key of 1 to 255 characters (400)", async () => {
        const p = await product();
        const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
        const missing = await checkout(shop.url, s, { address: ADDRESS }, null);
        assert.equal(missing.status, 400);
        assert.equal(missing.body.type, "IDEMPOTENCY_KEY_REQUIRED");
        const long = await checkout(shop.url, s, { address: ADDRESS }, "k".repeat(256));
        assert.equal(long.status, 400);
        assert.equal(await catalog.stock(p), 50);
      });

      it("never takes userId, total, status, price or items from the body", async () => {
        const p = await product(1000, 5);
        const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
        const other = await registerUser(shop.url);
        const forged: Array<Record<string, unknown>> = [
          { userId: other.user.id },
          { total: 1 },
          { status: "paid" },
          { price: 1 },
          { items: [{ productId: p, quantity: 1, price: 1 }] },
          { address: { ...ADDRESS, price: 1 } },
        ];
        for (const extra of forged) {
          const res = await checkout(shop.url, s, { address: ADDRESS, ...extra });
          assert.equal(res.status, 422, JSON.stringify(extra));
          assert.equal(res.body.type, "VALIDATION_ERROR");
        }
        const bad = await checkout(shop.url, s, { address: { ...ADDRESS, city: undefined } });
        assert.equal(bad.status, 422);
        assert.equal(await catalog.stock(p), 5);
        const ok = await checkout(shop.url, s);
        assert.equal(ok.body.userId, s.user.id);
        assert.equal(ok.body.total, 1000);
      });

      it("pays in the same call with a card and returns the paid order", async () => {
        const p = await product(4200, 3);
        const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
        const res = await checkout(shop.url, s, { address: ADDRESS, card: CARDS.ok });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.status, "paid");
        assert.equal(res.body.payment.status, "captured");
        assert.equal(res.body.payment.amount, 4200);
        assert.equal(res.body.payment.cardLast4, "4242");
        assert.match(res.body.payment.transactionId, /^txn_/);
        assert.ok(!JSON.stringify(res.body).includes(CARDS.ok.number));
        await eventually("the stock to be committed", async () =>
          (await catalog.reservation(res.body.id)).status === "committed" ? true : undefined,
        );
        assert.equal(await catalog.stock(p), 2);
      });

      it("with a declined card answers 402 and keeps the order pending; paying again works", async () => {
        const p = await product(700, 3);
        const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
        const res = await checkout(shop.url, s, { address: ADDRESS, card: CARDS.declined });
        assert.equal(res.status, 402, JSON.stringify(res.body));
        assert.equal(res.body.type, "PAYMENT_DECLINED");
        const orderId = res.body.data.orderId;
        const order = (await api(s).get(`/api/orders/${orderId}`)).body;
        assert.equal(order.status, "pending");
        assert.equal(order.payment.status, "declined");
        assert.equal((await catalog.reservation(orderId)).status, "held");
        const paid = await payOrder(shop.url, s, orderId, CARDS.ok);
        assert.equal(paid.status, 200);
        assert.equal(paid.body.status, "paid");
      });

      it("with a bad card answers 422 before anything is ordered", async () => {
        const p = await product(700, 3);
        const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
        const cases: Array<[Record<string, unknown>, string]> = [
          [CARDS.badLuhn, "INVALID_CARD_NUMBER"],
          [CARDS.expired, "CARD_EXPIRED"],
          [CARDS.badCvv, "INVALID_CVV"],
          [{ ...CARDS.ok, expMonth: 13 }, "INVALID_EXPIRY"],
        ];
        for (const [card, type] of cases) {
          const res = await checkout(shop.url, s, { address: ADDRESS, card });
          assert.equal(res.status, 422, JSON.stringify(res.body));
          assert.equal(res.body.type, type);
        }
        assert.equal(await catalog.stock(p), 3);
        assert.equal((await api(s).get("/api/orders")).body.total, 0);
        assert.equal((await catalog.cartItems(s)).length, 1);
      });
    });

    describe("POST /api/orders/:id/cancel", () => {
      it("cancels a pending order and returns its stock", async () => {
        const o = await pendingOrder();
        assert.equal(await catalog.stock(o.productId), 49);
        const res = await api(o.shopper).post(`/api/orders/${o.order.id}/cancel`);
        assert.equal(res.status, 200);
        assert.equal(res.body.status, "cancelled");
        await eventually("the stock to return", async () =>
          (await catalog.stock(o.productId)) === 50 ? true : undefined,
        );
        assert.equal((await catalog.reservation(o.order.id)).status, "released");
      });

      it("refunds a paid order: the payment is refunded and the stock returns", async () => {
        const o = await paidOrder();
        const res = await api(o.shopper).post(`/api/orders/${o.order.id}/cancel`);
        assert.equal(res.status, 200);
        assert.equal(res.body.status, "refunded");
        await eventually("the refund", async () => {
          const order = (await api(o.shopper).get(`/api/orders/${o.order.id}`)).body;
          return order.payment?.status === "refunded" ? true : undefined;
        });
        assert.deepEqual(
          (await payments(o.order.id)).map((p) => p.status),
          ["refunded"],
        );
        await eventually("the stock to return", async () =>
          (await catalog.stock(o.productId)) === 50 ? true : undefined,
        );
      });

      it("answers 409 for an order that can no longer be cancelled", async () => {
        const o = await pendingOrder();
        assert.equal((await api(o.shopper).post(`/api/orders/${o.order.id}/cancel`)).status, 200);
        const again = await api(o.shopper).post(`/api/orders/${o.order.id}/cancel`);
        assert.equal(again.status, 409);
        assert.equal(again.body.type, "ORDER_NOT_CANCELLABLE");
        const shipped = await paidOrder();
        const admin = await loginAdmin(shop.url, ADMIN);
        await client(shop.url, admin.accessToken).patch(`/api/admin/orders/${shipped.order.id}`, {
          status: "shipped",
        });
        const late = await api(shipped.shopper).post(`/api/orders/${shipped.order.id}/cancel`);
        assert.equal(late.status, 409);
      });
    });

    describe("PATCH /api/orders/:id", () => {
      it("changes the address while pending, and only then", async () => {
        const o = await pendingOrder();
        const address = { ...ADDRESS, line1: "2 Other Street" };
        const res = await api(o.shopper).patch(`/api/orders/${o.order.id}`, { address });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.address, address);
        const forged = await api(o.shopper).patch(`/api/orders/${o.order.id}`, {
          address,
          status: "paid",
        });
        assert.equal(forged.status, 422);
        const incomplete = await api(o.shopper).patch(`/api/orders/${o.order.id}`, {
          address: { name: "x" },
        });
        assert.equal(incomplete.status, 422);
        assert.equal((await payOrder(shop.url, o.shopper, o.order.id)).status, 200);
        const late = await api(o.shopper).patch(`/api/orders/${o.order.id}`, { address: ADDRESS });
        assert.equal(late.status, 409);
        assert.equal(late.body.type, "ORDER_NOT_PENDING");
      });
    });

    describe("GET /api/orders", () => {
      it("lists the caller's orders newest first, paginated, filtered by status", async () => {
        const p = await product(100, 50);
        const s = await registerUser(shop.url);
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          await catalog.addToCart(s, p, 1);
          ids.push((await checkout(shop.url, s)).body.id);
        }
        assert.equal((await payOrder(shop.url, s, ids[1])).status, 200);
        const all = (await api(s).get("/api/orders?pageSize=2")).body;
        assert.equal(all.total, 3);
        assert.equal(all.totalPages, 2);
        assert.equal(all.pageSize, 2);
        assert.deepEqual(
          all.rows.map((o: { id: string }) => o.id),
          [ids[2], ids[1]],
        );
        const second = (await api(s).get("/api/orders?page=2&pageSize=2")).body;
        assert.deepEqual(
          second.rows.map((o: { id: string }) => o.id),
          [ids[0]],
        );
        const paid = (await api(s).get("/api/orders?status=paid")).body;
        assert.deepEqual(
          paid.rows.map((o: { id: string }) => o.id),
          [ids[1]],
        );
        assert.equal((await api(s).get("/api/orders?status=pending")).body.total, 2);
        assert.equal((await api(s).get("/api/orders?pageSize=101")).status, 422);
        assert.equal((await api(s).get("/api/orders?status=lost")).status, 422);
      });
    });

    describe("authorization", () => {
      it("answers 404 for another user's order on read, pay, cancel and address change", async () => {
        const o = await pendingOrder();
        const intruder = await registerUser(shop.url, "intruder");
        const as = api(intruder);
        const attempts = [
          await as.get(`/api/orders/${o.order.id}`),
          await payOrder(shop.url, intruder, o.order.id),
          await as.post(`/api/orders/${o.order.id}/cancel`),
          await as.patch(`/api/orders/${o.order.id}`, { address: ADDRESS }),
        ];
        for (const res of attempts) {
          assert.equal(res.status, 404, JSON.stringify(res.body));
          assert.equal(res.body.type, "NOT_FOUND");
        }
        assert.equal((await as.get("/api/orders")).body.total, 0);
        const unchanged = (await api(o.shopper).get(`/api/orders/${o.order.id}`)).body;
        assert.deepEqual(unchanged, o.order, "the intruder changed nothing");
        assert.deepEqual(await payments(o.order.id), []);
      });

      it("asks for a login (401) and keeps customers off the admin routes (403)", async () => {
        assert.equal((await client(shop.url).get("/api/orders")).status, 401);
        const anonymous = await client(shop.url).post(
          "/api/checkout",
          { address: ADDRESS },
          { headers: { "idempotency-key": newKey() } },
        );
        assert.equal(anonymous.status, 401);
        const keyless = await client(shop.url).post("/api/checkout", { address: ADDRESS });
        assert.equal(keyless.status, 401, "a login is asked for before the Idempotency-Key");
        const s = await registerUser(shop.url);
        assert.equal((await api(s).get("/api/admin/orders")).status, 403);
        assert.equal(
          (await api(s).patch("/api/admin/orders/1", { status: "shipped" })).status,
          403,
        );
      });
    });

    describe("administration", () => {
      it("lists every order and fulfils a paid one: shipped, then completed", async () => {
        const o = await paidOrder();
        const admin = client(shop.url, (await loginAdmin(shop.url, ADMIN)).accessToken);
        const list = (await admin.get(`/api/admin/orders?status=paid&userId=${o.shopper.user.id}`))
          .body;
        assert.deepEqual(
          list.rows.map((r: { id: string }) => r.id),
          [o.order.id],
        );
        const shipped = await admin.patch(`/api/admin/orders/${o.order.id}`, { status: "shipped" });
        assert.equal(shipped.status, 200);
        assert.equal(shipped.body.status, "shipped");
        const early = await pendingOrder();
        const refused = await admin.patch(`/api/admin/orders/${early.order.id}`, {
          status: "shipped",
        });
        assert.equal(refused.status, 409);
        assert.equal(refused.body.type, "INVALID_STATUS_TRANSITION");
        const done = await admin.patch(`/api/admin/orders/${o.order.id}`, { status: "completed" });
        assert.equal(done.body.status, "completed");
        const back = await admin.patch(`/api/admin/orders/${o.order.id}`, { status: "shipped" });
        assert.equal(back.status, 409);
        assert.equal(
          (await admin.patch(`/api/admin/orders/${o.order.id}`, { status: "cancelled" })).status,
          422,
        );
        assert.equal(
          (await admin.patch("/api/admin/orders/999999999", { status: "shipped" })).status,
          404,
        );
        assert.equal(
          (await api(o.shopper).get(`/api/orders/${o.order.id}`)).body.status,
          "completed",
        );
      });
    });
  });
}
