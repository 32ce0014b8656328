/**
 * No oversell under a flash sale, in the embedded mode and in cluster mode: 2,000 concurrent
 * checkout attempts by 200 users for a product with 100 in stock.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ordersModes, useOrdersShop } from "../helpers/orders-suite.ts";
import { Op } from "sequelize";
import { defineOrderModels } from "../../lib/orders/models.ts";
import { databaseOf } from "../../lib/platform.ts";
import type { Catalog, Shopper } from "../helpers/order-catalog.ts";
import { ADDRESS, checkout, newKey, pool, shopperWithCart, shortLines } from "../helpers/orders.ts";
import type { TestShop } from "../helpers/shop.ts";
import type { Reply } from "../helpers/http.ts";

// One gateway node takes all 2,000 requests at once in the embedded mode: a flash-sale deployment
// raises the queue of its bulkheads (moleculer.config.ts reads MOL_* from the environment).
process.env.MOL_BULKHEAD__MAX_QUEUE_SIZE ??= "5000";
const modes = await ordersModes();
const USERS = 200;
const ATTEMPTS_PER_USER = 10;
const STOCK = 100;

for (const mode of modes) {
  describe(`flash sale (${mode} mode)`, () => {
    const suite = useOrdersShop(mode);
    let shop: TestShop;
    let catalog: Catalog;
    before(() => ({ shop, catalog } = suite));

    it(`sells exactly ${STOCK}: ${USERS * ATTEMPTS_PER_USER} concurrent checkouts by ${USERS} users, the rest 409 OUT_OF_STOCK`, async (t) => {
      const product = await catalog.createProduct({ price: 990, stock: STOCK });
      const setupStart = Date.now();
      const shoppers = await pool(
        Array.from(
          { length: USERS },
          () => () => shopperWithCart(shop.url, catalog, [[product, 1]]),
        ),
        16,
      );
      t.diagnostic(`${USERS} users with a cart in ${Date.now() - setupStart} ms`);

      const attempts: Shopper[] = shoppers.flatMap((s) => Array(ATTEMPTS_PER_USER).fill(s));
      attempts.sort(() => Math.random() - 0.5);
      const started = Date.now();
      let shed = 0;
      // A client that gets no final answer — busy (503), timed out (504), or its first request
      // still running (409 IN_PROGRESS) — retries with the same Idempotency-Key, as clients
      // should: on a slow, busy machine some first requests outlive the gateway's timeout.
      const retryable = (r: Reply) =>
        r.status === 503 ||
        r.status === 504 ||
        (r.status === 409 && r.body?.type === "IDEMPOTENCY_KEY_IN_PROGRESS");
      const attempt = async (s: Shopper, url: string) => {
        const key = newKey();
        for (let tries = 0; ; tries++) {
          const reply = await checkout(url, s, { address: ADDRESS }, key);
          if (!retryable(reply) || tries >= 200) return reply;
          shed++;
          // Back off (capped) so that retries do not pile onto an overloaded node.
          const base = Number(reply.headers.get("retry-after") ?? 1) * 250;
          await sleep(Math.min(5_000, base * 2 ** Math.min(tries, 4)) * (1 + Math.random()));
        }
      };
      const replies = await Promise.all(
        attempts.map((s, i) => attempt(s, shop.urls[i % shop.urls.length])),
      );
      t.diagnostic(
        `${attempts.length} checkout attempts answered in ${Date.now() - started} ms ` +
          `(${shed} retries with the same key after 503, 504 or 409 in progress)`,
      );

      const created = replies.filter((r) => r.status === 201);
      assert.equal(created.length, STOCK, "exactly the stock is sold");
      const buyers = new Set(created.map((r) => r.body.userId));
      for (const r of replies.filter((r) => r.status !== 201)) {
        const emptied = r.status === 422 && r.body.type === "CART_EMPTY";
        // Another attempt of the same user had claimed the cart (a cart is checked out once).
        const claimed = r.status === 409 && r.body.type === "CART_CHANGED";
        if (emptied || claimed) continue;
        assert.equal(r.status, 409, JSON.stringify(r.body));
        assert.equal(r.body.type, "OUT_OF_STOCK");
        assert.deepEqual(shortLines(r.body.data), [
          { productId: product, requested: 1, available: 0 },
        ]);
      }
      // A cart is emptied only by its own order: CART_EMPTY only for users who bought.
      for (const [i, r] of replies.entries()) {
        if (r.status === 422)
          assert.ok(buyers.has(attempts[i].user.id), "only buyers' carts are empty");
      }

      const outOfStock = replies.filter((r) => r.body?.type === "OUT_OF_STOCK").length;
      const claimed = replies.filter((r) => r.body?.type === "CART_CHANGED").length;
      t.diagnostic(
        `201: ${created.length}, 409 OUT_OF_STOCK: ${outOfStock}, 409 CART_CHANGED: ${claimed}, ` +
          `422 CART_EMPTY (buyers whose own order emptied their cart): ${replies.length - created.length - outOfStock - claimed}`,
      );
      assert.equal(await catalog.stock(product), 0, "stock is 0, never negative");
      let held = 0;
      for (const r of created) {
        assert.equal(r.body.status, "pending");
        assert.equal(r.body.total, 990);
        const reservation = await catalog.reservation(r.body.id);
        assert.equal(reservation.status, "held");
        held += reservation.items.reduce((s, i) => s + i.quantity, 0);
      }
      assert.equal(held, STOCK, "the stock went to the orders, and only to them");

      // Attempts that got no stock hold nothing and are invisible.
      const { Order } = defineOrderModels(databaseOf(orderNode(shop).broker));
      const failed = await Order.findAll({ where: { status: { [Op.ne]: "pending" } } });
      assert.ok(failed.every((o) => o.status === "failed"));
      const leftovers = await pool(
        failed.map((o) => () => catalog.reservation(o.id)),
        25,
      );
      assert.ok(leftovers.every((r) => r.status === "none" || r.status === "released"));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function orderNode(shop: TestShop) {
  return shop.nodes.find((n) => n.broker.getLocalService("orders"))!;
}
