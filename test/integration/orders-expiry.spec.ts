/**
 * Timed cancellation and slow payments, with ORDER_PAYMENT_TTL_SECONDS=2 and a card processor
 * that takes 2.5 s (PAYMENT_LATENCY_MS), in the embedded mode and in cluster mode (where several
 * orders nodes sweep at once, and a node restarting finishes what expired while none ran).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ordersModes } from "../helpers/orders-suite.ts";
import { QueryTypes } from "sequelize";
import { attachCatalog, type Catalog } from "../helpers/order-catalog.ts";
import { client, registerUser } from "../helpers/http.ts";
import {
  ADDRESS,
  CARDS,
  checkout,
  eventually,
  newKey,
  payOrder,
  shopperWithCart,
} from "../helpers/orders.ts";
import { clusterLayout, ordersDb } from "../helpers/orders-shop.ts";
import { startShop, type TestShop } from "../helpers/shop.ts";

const modes = await ordersModes();

const TTL_MS = 2_000;

for (const mode of modes) {
  describe(`order expiry and slow payments (${mode} mode)`, () => {
    let shop: TestShop;
    let catalog: Catalog;
    before(async () => {
      shop = await startShop(mode, {
        layout: clusterLayout(),
        env: {
          ORDER_PAYMENT_TTL_SECONDS: String(TTL_MS / 1000),
          PAYMENT_LATENCY_MS: "2500",
          // One buyer leaves 20 pending orders to expire at once below.
          MAX_PENDING_ORDERS: "20",
        },
      });
      catalog = await attachCatalog(shop);
    });
    after(async () => {
      await catalog?.stop();
      await shop?.stop();
    });

    const pendingOrder = async (stock = 10) => {
      const p = await catalog.createProduct({ price: 800, stock });
      const s = await shopperWithCart(shop.url, catalog, [[p, 2]]);
      const res = await checkout(shop.url, s);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return { shopper: s, order: res.body, productId: p };
    };
    const statusOf = async (s: { accessToken: string }, id: string) =>
      (await client(shop.url, s.accessToken).get(`/api/orders/${id}`)).body.status;

    it("cancels an unpaid order within seconds of its expiry and returns its stock", async () => {
      const o = await pendingOrder();
      assert.equal(await catalog.stock(o.productId), 8);
      const ttl = Date.parse(o.order.expiresAt) - Date.parse(o.order.createdAt);
      assert.ok(ttl >= TTL_MS - 50 && ttl <= TTL_MS + 1_000, `expiresAt follows the TTL (${ttl})`);
      const cancelled = await eventually("the expiry", async () => {
        const order = (
          await client(shop.url, o.shopper.accessToken).get(`/api/orders/${o.order.id}`)
        ).body;
        return order.status === "cancelled" ? order : undefined;
      });
      const late = Date.parse(cancelled.updatedAt) - Date.parse(cancelled.expiresAt);
      assert.ok(late >= 0 && late < 10_000, `cancelled ${late} ms after expiry`);
      await eventually("the stock to return", async () =>
        (await catalog.stock(o.productId)) === 10 ? true : undefined,
      );
      assert.equal((await catalog.reservation(o.order.id)).status, "released");
    });

    it("answers 409 ORDER_NOT_PENDING to paying an expired order, and charges nothing", async () => {
      const o = await pendingOrder();
      await sleep(Date.parse(o.order.expiresAt) - Date.now() + 50);
      const res = await payOrder(shop.url, o.shopper, o.order.id);
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.type, "ORDER_NOT_PENDING");
      const charges = await catalog.broker.call<unknown[], object>("payments.forOrder", {
        orderId: o.order.id,
      });
      assert.deepEqual(charges, []);
    });

    it("keeps the sweeper off an order whose payment is in flight: it ends paid, not cancelled", async () => {
      const o = await pendingOrder();
      // The charge takes 2.5 s, longer than the order has left.
      const res = await payOrder(shop.url, o.shopper, o.order.id);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, "paid");
      assert.ok(Date.now() > Date.parse(o.order.expiresAt), "the order expired during the charge");
      await sleep(1_500);
      assert.equal(await statusOf(o.shopper, o.order.id), "paid");
      await eventually("the stock to be committed", async () =>
        (await catalog.reservation(o.order.id)).status === "committed" ? true : undefined,
      );
      assert.equal(await catalog.stock(o.productId), 8);
    });

    it("answers a retry during the first request with 409 IDEMPOTENCY_KEY_IN_PROGRESS or the replay", async () => {
      const p = await catalog.createProduct({ price: 800, stock: 10 });
      const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
      const key = newKey();
      const body = { address: ADDRESS, card: CARDS.ok };
      const first = checkout(shop.url, s, body, key);
      await sleep(300);
      const during = await checkout(shop.urls.at(-1)!, s, body, key);
      const done = await first;
      assert.equal(done.status, 201, JSON.stringify(done.body));
      if (during.status === 201) assert.deepEqual(during.body, done.body);
      else {
        assert.equal(during.status, 409);
        assert.equal(during.body.type, "IDEMPOTENCY_KEY_IN_PROGRESS");
      }
      const replay = await checkout(shop.url, s, body, key);
      assert.deepEqual(replay.body, done.body);
      const orders = (await client(shop.url, s.accessToken).get("/api/orders")).body;
      assert.equal(orders.total, 1);
    });

    if (mode === "cluster") {
      it("expires with several orders nodes sweeping at once: each order cancelled and released once", async () => {
        // Three orders nodes in all, each with its sweeper and outbox relay.
        await shop.addNode(["orders"]);
        await shop.addNode(["orders"]);
        {
          const p = await catalog.createProduct({ price: 100, stock: 100 });
          const s = await registerUser(shop.url);
          const ids: string[] = [];
          for (let i = 0; i < 20; i++) {
            await catalog.addToCart(s, p, 2);
            const res = await checkout(shop.urls[i % shop.urls.length], s);
            assert.equal(res.status, 201, JSON.stringify(res.body));
            ids.push(res.body.id);
          }
          await eventually(
            "every order to expire",
            async () => {
              const list = (
                await client(shop.url, s.accessToken).get(
                  "/api/orders?status=cancelled&pageSize=100",
                )
              ).body;
              return list.total === ids.length ? true : undefined;
            },
            30_000,
          );
          await eventually("the stock to return", async () =>
            (await catalog.stock(p)) === 100 ? true : undefined,
          );
          const rows = await ordersDb(shop).query<{ payload: string }>(
            "SELECT payload FROM order_outbox WHERE topic = 'stock.release'",
            { type: QueryTypes.SELECT },
          );
          const released = rows.map((r) => String(JSON.parse(r.payload).orderId));
          for (const id of ids) {
            assert.equal(released.filter((r) => r === id).length, 1, `order ${id} released once`);
          }
        }
      });

      it("survives restarts: orders that expire while no orders node runs are cancelled when one starts", async () => {
        const orders = await Promise.all([pendingOrder(), pendingOrder(), pendingOrder()]);
        const running = shop.nodes.filter((n) => n.broker.getLocalService("orders"));
        for (const node of running) {
          await node.stop();
          shop.nodes.splice(shop.nodes.indexOf(node), 1);
        }
        await sleep(TTL_MS + 500);
        // Nothing swept meanwhile: the state is in the database, not in a stopped node's memory.
        for (const o of orders) assert.equal(await catalog.stock(o.productId), 8);
        await shop.addNode(["orders"]);
        await Promise.all(shop.nodes.map((n) => n.broker.waitForServices(["orders"], 20_000)));
        for (const o of orders) {
          await eventually("the restarted node to expire the order", async () =>
            (await statusOf(o.shopper, o.order.id)) === "cancelled" ? true : undefined,
          );
          await eventually("the stock to return", async () =>
            (await catalog.stock(o.productId)) === 10 ? true : undefined,
          );
        }
      });
    }
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
