/**
 * The stock actions the orders service calls (products.reserve / release / commit /
 * reservation), over the broker as the orders service will call them, in both modes. In cluster
 * mode a second products node joins, so reservations race through two database pools.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { client, userWithRole } from "../helpers/http.ts";
import { createProduct } from "../helpers/catalog.ts";

const modes = await testModes();

let orders = 0;
const newOrder = () => `order-${process.pid}-${Date.now()}-${(orders += 1)}`;

interface Reservation {
  orderId: string;
  status: string;
  items: Array<{
    productId: string;
    quantity: number;
    name: string;
    price: number;
    currency: string;
  }>;
}

async function rejectsWith(promise: Promise<unknown>, code: number, type: string) {
  await assert.rejects(promise, (err: { code?: number; type?: string }) => {
    assert.equal(err.code, code);
    assert.equal(err.type, type);
    return true;
  });
}

for (const mode of modes) {
  describe(`stock reservations (${mode} mode)`, () => {
    let shop: TestShop;
    let merchantToken: string;
    /** Calls go through every node in turn, as calls from orders nodes would. */
    let turn = 0;
    const broker = (): ServiceBroker => shop.nodes[turn++ % shop.nodes.length].broker;
    const call = <T>(action: string, params: object) => broker().call<T, object>(action, params);
    const stockOf = async (id: string) =>
      (await client(shop.url).get(`/api/products/${id}`)).body.stock as number;

    before(async () => {
      shop = await startShop(mode);
      if (mode === "cluster") {
        await shop.addNode(["products"]);
        await Promise.all(shop.nodes.map((n) => n.broker.waitForServices(["products"])));
      }
      merchantToken = (await userWithRole(shop.url, ADMIN, "merchant")).accessToken;
    });
    after(async () => {
      await shop?.stop();
    });

    it("reserves at catalog prices, and the detail shows the new stock at once", async () => {
      const a = await createProduct(shop.url, merchantToken, {
        name: "Kettle",
        price: 8900,
        stock: 7,
      });
      assert.equal(await stockOf(a.id), 7, "the detail is cached now");
      const orderId = newOrder();
      const held = await call<Reservation>("products.reserve", {
        orderId,
        items: [{ productId: a.id, quantity: 3 }],
      });
      assert.deepEqual(held, {
        orderId,
        status: "held",
        items: [{ productId: a.id, quantity: 3, name: "Kettle", price: 8900, currency: "CNY" }],
      });
      for (const url of shop.urls) {
        assert.equal((await client(url).get(`/api/products/${a.id}`)).body.stock, 4, url);
      }
      assert.deepEqual(await call("products.reservation", { orderId }), held);
    });

    it("is idempotent per order, also for concurrent retries of one order", async () => {
      const a = await createProduct(shop.url, merchantToken, { stock: 10 });
      const orderId = newOrder();
      const items = [{ productId: a.id, quantity: 2 }];
      const results = await Promise.all(
        Array.from({ length: 8 }, () => call<Reservation>("products.reserve", { orderId, items })),
      );
      for (const r of results) assert.deepEqual(r, results[0]);
      assert.equal(await stockOf(a.id), 8, "taken once");
    });

    it("merges duplicate products and takes nothing when any item is short", async () => {
      const a = await createProduct(shop.url, merchantToken, { stock: 10 });
      const b = await createProduct(shop.url, merchantToken, { stock: 1 });
      const merged = await call<Reservation>("products.reserve", {
        orderId: newOrder(),
        items: [
          { productId: a.id, quantity: 1 },
          { productId: a.id, quantity: 2 },
        ],
      });
      assert.deepEqual(
        merged.items.map((i) => [i.productId, i.quantity]),
        [[a.id, 3]],
      );
      const orderId = newOrder();
      await assert.rejects(
        call("products.reserve", {
          orderId,
          items: [
            { productId: a.id, quantity: 1 },
            { productId: b.id, quantity: 2 },
          ],
        }),
        (err: { code?: number; type?: string; data?: unknown }) => {
          assert.equal(err.code, 409);
          assert.equal(err.type, "OUT_OF_STOCK");
          assert.deepEqual(err.data, [{ productId: b.id, requested: 2, available: 1 }]);
          return true;
        },
      );
      assert.equal(await stockOf(a.id), 7);
      assert.equal(await stockOf(b.id), 1);
      assert.deepEqual(await call("products.reservation", { orderId }), {
        orderId,
        status: "none",
        items: [],
      });
      // A release of an order without a reservation leaves a tombstone (see the next test).
      assert.deepEqual(await call("products.release", { orderId }), {
        orderId,
        status: "released",
      });
    });

    it("a release before its reserve leaves a tombstone: the late reserve takes nothing", async () => {
      const a = await createProduct(shop.url, merchantToken, { stock: 6 });
      const orderId = newOrder();
      const releases = await Promise.all([1, 2].map(() => call("products.release", { orderId })));
      for (const r of releases) assert.deepEqual(r, { orderId, status: "released" });
      const late = await call<Reservation>("products.reserve", {
        orderId,
        items: [{ productId: a.id, quantity: 4 }],
      });
      assert.equal(late.status, "released");
      assert.deepEqual(late.items, []);
      assert.equal(await stockOf(a.id), 6, "nothing taken");
      await rejectsWith(call("products.commit", { orderId }), 409, "RESERVATION_RELEASED");
    });

    it("refuses more units than the product's maxPerOrder with 422 QUANTITY_LIMIT", async () => {
      const a = await createProduct(shop.url, merchantToken, { stock: 50 });
      const orderId = newOrder();
      await assert.rejects(
        call("products.reserve", { orderId, items: [{ productId: a.id, quantity: 11 }] }),
        (err: { code?: number; type?: string; data?: unknown }) => {
          assert.equal(err.code, 422);
          assert.equal(err.type, "QUANTITY_LIMIT");
          assert.deepEqual(err.data, [{ productId: a.id, requested: 11, max: 10 }]);
          return true;
        },
      );
      assert.equal(await stockOf(a.id), 50);
      const ok = await call<Reservation>("products.reserve", {
        orderId,
        items: [{ productId: a.id, quantity: 10 }],
      });
      assert.equal(ok.status, "held");
    });

    it("answers 404 for unknown products and 422 PRODUCT_UNAVAILABLE for deleted ones", async () => {
      const items = (productId: string) => [{ productId, quantity: 1 }];
      await rejectsWith(
        call("products.reserve", { orderId: newOrder(), items: items("999999999") }),
        404,
        "NOT_FOUND",
      );
      const gone = await createProduct(shop.url, merchantToken);
      await client(shop.url, merchantToken).delete(`/api/products/${gone.id}`);
      await rejectsWith(
        call("products.reserve", { orderId: newOrder(), items: items(gone.id) }),
        422,
        "PRODUCT_UNAVAILABLE",
      );
      await rejectsWith(
        call("products.reserve", {
          orderId: newOrder(),
          items: [{ productId: gone.id, quantity: 100 }],
        }),
        422,
        "VALIDATION_ERROR",
      );
    });

    it("commits and releases idempotently; a released reservation cannot be committed", async () => {
      const a = await createProduct(shop.url, merchantToken, { stock: 5 });
      const paid = newOrder();
      const cancelled = newOrder();
      for (const orderId of [paid, cancelled]) {
        await call("products.reserve", { orderId, items: [{ productId: a.id, quantity: 2 }] });
      }
      assert.equal(await stockOf(a.id), 1);
      assert.deepEqual(await call("products.commit", { orderId: paid }), {
        orderId: paid,
        status: "committed",
      });
      assert.deepEqual(await call("products.commit", { orderId: paid }), {
        orderId: paid,
        status: "committed",
      });
      const releases = await Promise.all(
        [1, 2, 3].map(() => call("products.release", { orderId: cancelled })),
      );
      for (const r of releases) assert.deepEqual(r, { orderId: cancelled, status: "released" });
      assert.equal(await stockOf(a.id), 3, "released once");
      await rejectsWith(
        call("products.commit", { orderId: cancelled }),
        409,
        "RESERVATION_RELEASED",
      );
      // A refund releases committed stock.
      await call("products.release", { orderId: paid });
      assert.equal(await stockOf(a.id), 5);
      assert.equal(
        ((await call("products.reservation", { orderId: paid })) as Reservation).status,
        "released",
      );
    });

    it("never oversells: 200 concurrent reservations for 50 in stock hold exactly 50", async () => {
      const a = await createProduct(shop.url, merchantToken, { stock: 50 });
      const orderIds = Array.from({ length: 200 }, newOrder);
      const outcomes = await Promise.allSettled(
        orderIds.map((orderId) =>
          call<Reservation>("products.reserve", {
            orderId,
            items: [{ productId: a.id, quantity: 1 }],
          }),
        ),
      );
      const held = outcomes.filter((o) => o.status === "fulfilled");
      const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
      assert.equal(held.length, 50);
      assert.equal(refused.length, 150);
      for (const err of refused) assert.equal((err as { type?: string }).type, "OUT_OF_STOCK");
      assert.equal(await stockOf(a.id), 0);
      const statuses = await Promise.all(
        orderIds.map(
          async (orderId) =>
            ((await call("products.reservation", { orderId })) as Reservation).status,
        ),
      );
      assert.equal(statuses.filter((s) => s === "held").length, 50);
      assert.equal(statuses.filter((s) => s === "none").length, 150);
      // Releasing them all, twice and at once, returns exactly the 50.
      const heldIds = orderIds.filter((_, i) => statuses[i] === "held");
      await Promise.all(
        [...heldIds, ...heldIds].map((orderId) => call("products.release", { orderId })),
      );
      assert.equal(await stockOf(a.id), 50);
    });

    it("is not published by the gateway", async () => {
      for (const path of ["/api/products/reserve", "/api/products.reserve"]) {
        const res = await client(shop.url).post(path, { orderId: "x", items: [] });
        assert.ok([404, 401].includes(res.status), `${path}: ${res.status}`);
      }
    });
  });
}
