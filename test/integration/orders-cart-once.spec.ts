/**
 * A cart is checked out once (API.md, POST /api/checkout): concurrent checkouts of one cart with
 * different Idempotency-Keys (two tabs, two phones, two gateways) make one order and one charge;
 * the others answer 409 CART_CHANGED or 422 CART_EMPTY and are never charged. And the line cap of
 * a cart holds under concurrent adds.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { QueryTypes } from "sequelize";
import { ordersModes, useOrdersShop } from "../helpers/orders-suite.ts";
import type { Catalog } from "../helpers/order-catalog.ts";
import {
  ADDRESS,
  CARDS,
  checkout,
  eventually,
  newKey,
  shopperWithCart,
} from "../helpers/orders.ts";
import { client, registerUser, type Reply } from "../helpers/http.ts";
import { databaseOf } from "../../lib/platform.ts";
import type { TestShop } from "../helpers/shop.ts";

const modes = await ordersModes();

for (const mode of modes) {
  describe(`a cart is checked out once (${mode} mode)`, () => {
    const suite = useOrdersShop(mode);
    let shop: TestShop;
    let catalog: Catalog;
    before(() => ({ shop, catalog } = suite));

    /** Rows of the shop's database (every service shares one database in the tests). */
    const rows = <T extends object>(sql: string, replacements: unknown[]) =>
      databaseOf(shop.nodes[0].broker).query<T>(sql, { replacements, type: QueryTypes.SELECT });

    const refusedAsCartTaken = (r: Reply) =>
      (r.status === 409 && r.body.type === "CART_CHANGED") ||
      (r.status === 422 && r.body.type === "CART_EMPTY");

    it("20 concurrent checkouts with a card and 20 keys over two gateways make 1 order and 1 charge", async () => {
      const p = await suite.product(1500, 50);
      const s = await shopperWithCart(shop.url, catalog, [[p, 2]]);
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          checkout(
            shop.urls[i % shop.urls.length],
            s,
            { address: ADDRESS, card: CARDS.ok },
            newKey(),
          ),
        ),
      );
      const created = replies.filter((r) => r.status === 201);
      assert.equal(created.length, 1, JSON.stringify(replies.map((r) => [r.status, r.body?.type])));
      assert.equal(created[0].body.status, "paid");
      for (const r of replies.filter((r) => r.status !== 201)) {
        assert.ok(refusedAsCartTaken(r), JSON.stringify(r.body));
      }
      const charges = await rows<{ n: number }>(
        "SELECT COUNT(*) AS n FROM payments WHERE userId = ?",
        [s.user.id],
      );
      assert.equal(Number(charges[0].n), 1, "one charge");
      const mine = await client(shop.url, s.accessToken).get("/api/orders");
      assert.equal(mine.body.total ?? mine.body.items.length, 1, JSON.stringify(mine.body));
      assert.equal(await catalog.stock(p), 48);
      assert.deepEqual(await catalog.cartItems(s), [], "the cart was emptied by its order");
    });

    it("4 concurrent checkouts of a 5-unit cart without a card reserve 5 units, not 20", async () => {
      const p = await suite.product(700, 30);
      const s = await shopperWithCart(shop.url, catalog, [[p, 5]]);
      const replies = await Promise.all(
        Array.from({ length: 4 }, (_, i) => checkout(shop.urls[i % shop.urls.length], s)),
      );
      const created = replies.filter((r) => r.status === 201);
      assert.equal(created.length, 1, JSON.stringify(replies.map((r) => [r.status, r.body?.type])));
      assert.ok(replies.filter((r) => r.status !== 201).every(refusedAsCartTaken));
      assert.equal(await catalog.stock(p), 25);
      const held = await rows<{ n: number }>(
        "SELECT COALESCE(SUM(i.quantity), 0) AS n FROM stock_reservation_items i " +
          "JOIN stock_reservations r ON r.id = i.reservationId " +
          "WHERE i.productId = ? AND r.status = 'held'",
        [p],
      );
      assert.equal(Number(held[0].n), 5);
    });

    it("a cart whose checkout failed can be checked out again", async () => {
      const p = await suite.product(500, 2);
      const s = await shopperWithCart(shop.url, catalog, [[p, 2]]);
      const rival = await shopperWithCart(shop.url, catalog, [[p, 1]]);
      assert.equal((await checkout(shop.url, rival)).status, 201);
      const short = await checkout(shop.url, s);
      assert.equal(short.status, 409);
      assert.equal(short.body.type, "OUT_OF_STOCK");
      // The failed order's claim is released: the same cart, changed, checks out.
      await client(shop.url, s.accessToken).put(`/api/cart/items/${p}`, { quantity: 1 });
      const again = await eventually("a second checkout of the cart", async () => {
        const r = await checkout(shop.url, s);
        return r.status === 409 && r.body.type === "CART_CHANGED" ? undefined : r;
      });
      assert.equal(again.status, 201, JSON.stringify(again.body));
    });

    it("a checkout of a cart that changed after it was read is refused with CART_CHANGED", async () => {
      const p = await suite.product(500, 20);
      const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
      // The claim compares the lines the checkout read with the cart's lines now.
      const claim = (orderId: string, quantity: number) =>
        catalog.broker.call(
          "carts.claim",
          { orderId, lines: [{ productId: p, quantity }] },
          { meta: { user: { id: s.user.id, role: "customer" } } },
        );
      await assert.rejects(claim(`t-${newKey()}`, 2), { type: "CART_CHANGED" });
      const id = `t-${newKey()}`;
      assert.deepEqual(await claim(id, 1), { orderId: id, status: "claimed" });
      assert.deepEqual(await claim(id, 1), { orderId: id, status: "claimed" }, "idempotent");
      await assert.rejects(claim(`t-${newKey()}`, 1), { type: "CART_CHANGED" }, "one at a time");
    });

    it("a claim that comes after its release is refused (the release leaves a tombstone)", async () => {
      const p = await suite.product(500, 20);
      const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
      const meta = { meta: { user: { id: s.user.id, role: "customer" } } };
      const id = `t-${newKey()}`;
      await catalog.broker.call("carts.releaseClaim", { orderId: id }, meta);
      const late = await catalog.broker.call<{ status: string }, object>(
        "carts.claim",
        { orderId: id, lines: [{ productId: p, quantity: 1 }] },
        meta,
      );
      assert.equal(late.status, "released");
      const other = `t-${newKey()}`;
      const fresh = await catalog.broker.call<{ status: string }, object>(
        "carts.claim",
        { orderId: other, lines: [{ productId: p, quantity: 1 }] },
        meta,
      );
      assert.equal(fresh.status, "claimed", "the cart itself stays claimable");
    });
  });

  describe(`the cart's line cap under concurrency (${mode} mode)`, () => {
    const suite = useOrdersShop(mode);

    it("130 concurrent adds of different products leave at most 100 lines", async () => {
      const { shop, catalog } = suite;
      const ids: string[] = [];
      for (let i = 0; i < 130; i++) ids.push(await suite.product(100, 5));
      const s = await registerUser(shop.url, "hoarder");
      const api = client(shop.urls[0], s.accessToken);
      const api2 = client(shop.urls[shop.urls.length - 1], s.accessToken);
      const replies = await Promise.all(
        ids.map((productId, i) =>
          (i % 2 ? api : api2).post("/api/cart/items", { productId, quantity: 1 }),
        ),
      );
      const added = replies.filter((r) => r.status === 200).length;
      for (const r of replies.filter((r) => r.status !== 200)) {
        assert.equal(r.status, 422, JSON.stringify(r.body));
        assert.equal(r.body.type, "CART_FULL");
      }
      const lines = await catalog.cartItems(s);
      assert.equal(lines.length, 100);
      assert.equal(added, 100);
    });
  });
}
