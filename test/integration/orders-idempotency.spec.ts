/**
 * The Idempotency-Key of checkout and pay (API.md "Idempotency") through HTTP, in the embedded
 * mode and in cluster mode: concurrent duplicates, replays of successes and failures, reuse with
 * another body, scoping to the user.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Catalog } from "../helpers/order-catalog.ts";
import { registerUser } from "../helpers/http.ts";
import { ADDRESS, CARDS, checkout, newKey, payOrder, shopperWithCart } from "../helpers/orders.ts";
import { ordersModes, useOrdersShop } from "../helpers/orders-suite.ts";
import type { TestShop } from "../helpers/shop.ts";

const modes = await ordersModes();

for (const mode of modes) {
  describe(`orders: Idempotency-Key (${mode} mode)`, () => {
    const suite = useOrdersShop(mode);
    let shop: TestShop;
    let catalog: Catalog;
    before(() => ({ shop, catalog } = suite));
    const { api, product, pendingOrder, payments } = suite;

    describe("Idempotency-Key", () => {
      it("sent 20 times concurrently makes one order and one charge; every success is the same response", async () => {
        const p = await product(3300, 10);
        const s = await shopperWithCart(shop.url, catalog, [[p, 2]]);
        const key = newKey();
        const body = { address: ADDRESS, card: CARDS.ok };
        const replies = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            checkout(shop.urls[i % shop.urls.length], s, body, key),
          ),
        );
        const created = replies.filter((r) => r.status === 201);
        assert.ok(created.length >= 1);
        for (const r of replies) {
          if (r.status === 201) assert.deepEqual(r.body, created[0].body);
          else assert.equal(r.body.type, "IDEMPOTENCY_KEY_IN_PROGRESS", JSON.stringify(r.body));
        }
        const replay = await checkout(shop.url, s, body, key);
        assert.equal(replay.status, 201);
        assert.deepEqual(replay.body, created[0].body);
        assert.equal(replay.headers.get("idempotent-replayed"), "true");

        const orders = (await api(s).get("/api/orders")).body;
        assert.equal(orders.total, 1, "one order");
        assert.equal(orders.rows[0].status, "paid");
        const charged = await payments(orders.rows[0].id);
        assert.deepEqual(
          charged.map((c) => c.status),
          ["captured"],
          "one charge",
        );
        assert.equal(await catalog.stock(p), 8, "one reservation");
      });

      it("replays a stored failure too", async () => {
        const s = await registerUser(shop.url);
        const key = newKey();
        const first = await checkout(shop.url, s, { address: ADDRESS }, key);
        assert.equal(first.status, 422);
        const p = await product();
        await catalog.addToCart(s, p, 1);
        const again = await checkout(shop.url, s, { address: ADDRESS }, key);
        assert.equal(again.status, 422, "the stored outcome, though the cart has changed");
        assert.deepEqual(again.body, first.body);
        assert.equal(again.headers.get("idempotent-replayed"), "true");
        const other = await checkout(shop.url, s, { address: { ...ADDRESS, city: "Xi'an" } }, key);
        assert.equal(other.body.type, "IDEMPOTENCY_KEY_REUSED", "a refusal's key is taken too");
        assert.equal((await checkout(shop.url, s, { address: ADDRESS })).status, 201);
      });

      it("gives concurrent duplicates of a refused checkout one answer, stored once", async () => {
        const s = await registerUser(shop.url);
        const key = newKey();
        const answers = await Promise.all(
          Array.from({ length: 6 }, () => checkout(shop.url, s, { address: ADDRESS }, key)),
        );
        for (const a of answers) {
          assert.equal(a.status, 422, JSON.stringify(a.body));
          assert.deepEqual(a.body, answers[0].body);
        }
        assert.equal(answers[0].body.type, "CART_EMPTY");
        const replayed = answers.filter((a) => a.headers.get("idempotent-replayed") === "true");
        assert.ok(replayed.length <= 5, "at least one answer is the first run's");
      });

      it("with another body answers 422 IDEMPOTENCY_KEY_REUSED", async () => {
        const p = await product();
        const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
        const key = newKey();
        assert.equal((await checkout(shop.url, s, { address: ADDRESS }, key)).status, 201);
        const other = await checkout(
          shop.url,
          s,
          { address: { ...ADDRESS, city: "Beijing" } },
          key,
        );
        assert.equal(other.status, 422);
        assert.equal(other.body.type, "IDEMPOTENCY_KEY_REUSED");
      });

      it("is scoped to the user: two users may send the same key", async () => {
        const p = await product();
        const key = newKey();
        const a = await shopperWithCart(shop.url, catalog, [[p, 1]]);
        const b = await shopperWithCart(shop.url, catalog, [[p, 1]]);
        const ra = await checkout(shop.url, a, { address: ADDRESS }, key);
        const rb = await checkout(shop.url, b, { address: ADDRESS }, key);
        assert.equal(ra.status, 201);
        assert.equal(rb.status, 201);
        assert.notEqual(ra.body.id, rb.body.id);
        assert.equal(rb.body.userId, b.user.id);
      });

      it("on pay: a retry returns the paid order without charging again; another order → 422", async () => {
        const o = await pendingOrder();
        const key = newKey();
        const first = await payOrder(shop.url, o.shopper, o.order.id, CARDS.ok, key);
        const again = await payOrder(shop.url, o.shopper, o.order.id, CARDS.ok, key);
        assert.equal(first.status, 200);
        assert.deepEqual(again.body, first.body);
        assert.equal((await payments(o.order.id)).length, 1);
        const p = await product();
        await catalog.addToCart(o.shopper, p, 1);
        const another = (await checkout(shop.url, o.shopper)).body;
        const reused = await payOrder(shop.url, o.shopper, another.id, CARDS.ok, key);
        assert.equal(reused.status, 422);
        assert.equal(reused.body.type, "IDEMPOTENCY_KEY_REUSED");
      });
    });
  });
}
