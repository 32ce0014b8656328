/** Stock reservations without a broker: lib/products/stock.ts on a real (SQLite) database. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  commit,
  getReservation,
  mergeItems,
  release,
  reserve,
  type StockDeps,
} from "../../lib/products/stock.ts";
import { catalogDb, type CatalogDb } from "../helpers/catalog-db.ts";

let order = 0;
const newOrder = () => `order-${Date.now()}-${(order += 1)}`;

async function rejects(promise: Promise<unknown>, type: string, code: number) {
  await assert.rejects(promise, (err: { type?: string; code?: number }) => {
    assert.equal(err.type, type);
    assert.equal(err.code, code);
    return true;
  });
}

describe("mergeItems", () => {
  it("merges duplicate products and orders them by numeric id", () => {
    assert.deepEqual(
      mergeItems([
        { productId: "10", quantity: 1 },
        { productId: "9", quantity: 2 },
        { productId: "10", quantity: 3 },
        { productId: "100", quantity: 1 },
      ]),
      [
        { productId: "9", quantity: 2 },
        { productId: "10", quantity: 4 },
        { productId: "100", quantity: 1 },
      ],
    );
  });
});

describe("stock reservations", () => {
  let db: CatalogDb;
  let deps: StockDeps;
  before(async () => {
    db = await catalogDb();
    deps = { sequelize: db.sequelize, models: db.models };
  });
  after(async () => {
    await db?.close();
  });

  it("takes the stock of every item and records the catalog's prices", async () => {
    const a = await db.product({ stock: 5, price: 1999, name: "Lamp" });
    const b = await db.product({ stock: 3, price: 500, name: "Bulb" });
    const orderId = newOrder();
    const { result, changedProductIds } = await reserve(deps, orderId, [
      { productId: b, quantity: 2 },
      { productId: a, quantity: 1 },
    ]);
    assert.equal(result.status, "held");
    assert.deepEqual(result.items, [
      { productId: a, quantity: 1, name: "Lamp", price: 1999, currency: "CNY" },
      { productId: b, quantity: 2, name: "Bulb", price: 500, currency: "CNY" },
    ]);
    assert.deepEqual(changedProductIds.sort(), [a, b].sort());
    assert.equal(await db.stockOf(a), 4);
    assert.equal(await db.stockOf(b), 1);
    assert.deepEqual(await getReservation(deps, orderId), result);
  });

  it("merges duplicate products of one order into one item", async () => {
    const a = await db.product({ stock: 5 });
    const { result } = await reserve(deps, newOrder(), [
      { productId: a, quantity: 2 },
      { productId: a, quantity: 3 },
    ]);
    assert.equal(result.items.length, 1);
    assert.equal(result.items[0].quantity, 5);
    assert.equal(await db.stockOf(a), 0);
  });

  it("returns the first reservation again for the same order without taking stock twice", async () => {
    const a = await db.product({ stock: 5 });
    const orderId = newOrder();
    const first = await reserve(deps, orderId, [{ productId: a, quantity: 2 }]);
    const again = await reserve(deps, orderId, [{ productId: a, quantity: 2 }]);
    assert.deepEqual(again.result, first.result);
    assert.deepEqual(again.changedProductIds, []);
    assert.equal(await db.stockOf(a), 3);
  });

  it("takes nothing when one item is short and names every short item", async () => {
    const a = await db.product({ stock: 5 });
    const b = await db.product({ stock: 1 });
    const c = await db.product({ stock: 0 });
    const orderId = newOrder();
    await assert.rejects(
      reserve(deps, orderId, [
        { productId: a, quantity: 2 },
        { productId: b, quantity: 2 },
        { productId: c, quantity: 1 },
      ]),
      (err: { type?: string; code?: number; data?: unknown }) => {
        assert.equal(err.code, 409);
        assert.equal(err.type, "OUT_OF_STOCK");
        assert.deepEqual(err.data, [
          { productId: b, requested: 2, available: 1 },
          { productId: c, requested: 1, available: 0 },
        ]);
        return true;
      },
    );
    assert.equal(await db.stockOf(a), 5, "the first item's stock came back with the rollback");
    assert.equal(await db.stockOf(b), 1);
    assert.equal((await getReservation(deps, orderId)).status, "none");
  });

  it("answers 404 for an unknown product and 422 PRODUCT_UNAVAILABLE for a deleted one", async () => {
    await rejects(
      reserve(deps, newOrder(), [{ productId: "987654321", quantity: 1 }]),
      "NOT_FOUND",
      404,
    );
    const gone = await db.product({ stock: 5 });
    await db.models.Product.update({ deletedAt: new Date() }, { where: { id: gone } });
    await rejects(
      reserve(deps, newOrder(), [{ productId: gone, quantity: 1 }]),
      "PRODUCT_UNAVAILABLE",
      422,
    );
    assert.equal(await db.stockOf(gone), 5);
  });

  it("releases the stock once, however often release is called", async () => {
    const a = await db.product({ stock: 5 });
    const orderId = newOrder();
    await reserve(deps, orderId, [{ productId: a, quantity: 4 }]);
    const results = await Promise.all([1, 2, 3].map(() => release(deps, orderId)));
    assert.deepEqual(
      results.map((r) => r.result),
      [1, 2, 3].map(() => ({ orderId, status: "released" })),
    );
    assert.equal(results.filter((r) => r.changedProductIds.length > 0).length, 1);
    assert.equal(await db.stockOf(a), 5);
    assert.equal((await release(deps, orderId)).result.status, "released");
    assert.equal(await db.stockOf(a), 5);
  });

  it("leaves a tombstone when releasing an unknown order: a later reserve takes nothing", async () => {
    const a = await db.product({ stock: 5 });
    const orderId = newOrder();
    assert.deepEqual((await release(deps, orderId)).result, { orderId, status: "released" });
    assert.deepEqual((await release(deps, orderId)).changedProductIds, [], "idempotent");
    const late = await reserve(deps, orderId, [{ productId: a, quantity: 2 }]);
    assert.deepEqual(late.result, { orderId, status: "released", items: [] });
    assert.deepEqual(late.changedProductIds, []);
    assert.equal(await db.stockOf(a), 5);
  });

  it("commits a held reservation once and keeps the stock gone", async () => {
    const a = await db.product({ stock: 5 });
    const orderId = newOrder();
    await reserve(deps, orderId, [{ productId: a, quantity: 2 }]);
    assert.deepEqual((await commit(deps, orderId)).result, { orderId, status: "committed" });
    assert.deepEqual((await commit(deps, orderId)).result, { orderId, status: "committed" });
    assert.equal(await db.stockOf(a), 3);
    assert.equal((await getReservation(deps, orderId)).status, "committed");
  });

  it("returns committed stock on release (a refund)", async () => {
    const a = await db.product({ stock: 5 });
    const orderId = newOrder();
    await reserve(deps, orderId, [{ productId: a, quantity: 2 }]);
    await commit(deps, orderId);
    assert.equal((await release(deps, orderId)).result.status, "released");
    assert.equal(await db.stockOf(a), 5);
  });

  it("refuses to commit a released reservation (409) or an unknown one (404)", async () => {
    const a = await db.product({ stock: 5 });
    const orderId = newOrder();
    await reserve(deps, orderId, [{ productId: a, quantity: 1 }]);
    await release(deps, orderId);
    await rejects(commit(deps, orderId), "RESERVATION_RELEASED", 409);
    await rejects(commit(deps, newOrder()), "NOT_FOUND", 404);
  });

  it("answers status none for an order without a reservation", async () => {
    const orderId = newOrder();
    assert.deepEqual(await getReservation(deps, orderId), { orderId, status: "none", items: [] });
  });

  it("never oversells under concurrent reservations", async () => {
    const a = await db.product({ stock: 10 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, () => reserve(deps, newOrder(), [{ productId: a, quantity: 1 }])),
    );
    const held = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.filter(
      (o) => o.status === "rejected" && (o.reason as { type?: string }).type === "OUT_OF_STOCK",
    );
    assert.equal(held.length, 10);
    assert.equal(refused.length, 20);
    assert.equal(await db.stockOf(a), 0);
  });
});
