/**
 * Ratings and sold counts without a broker: lib/products/rating.ts, reviews.ts, sales.ts and the
 * sales side of lib/products/stock.ts on a real (SQLite) database.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { productViews } from "../../lib/products/catalog.ts";
import { ratingOf, ratingScore } from "../../lib/products/rating.ts";
import { addReview, listReviews, replyToReview } from "../../lib/products/reviews.ts";
import { recordSale, unsell } from "../../lib/products/sales.ts";
import { commit, release, reserve, type StockDeps } from "../../lib/products/stock.ts";
import { RAW_RETRY, transaction } from "../../lib/transactions.ts";
import { catalogDb, type CatalogDb } from "../helpers/catalog-db.ts";

let n = 0;
const newOrder = () => String(Date.now() * 1000 + (n += 1));

async function rejects(promise: Promise<unknown>, type: string, code: number) {
  await assert.rejects(promise, (err: { type?: string; code?: number }) => {
    assert.equal(err.type, type);
    assert.equal(err.code, code);
    return true;
  });
}

describe("ratingOf", () => {
  it("is 0 with no reviews", () => {
    assert.deepEqual(ratingOf(0, 0), { average: 0, count: 0 });
  });

  it("rounds the average to one decimal", () => {
    assert.deepEqual(ratingOf(5 + 4 + 4, 3), { average: 4.3, count: 3 }); // 4.333…
    assert.deepEqual(ratingOf(5 + 4, 2), { average: 4.5, count: 2 });
    assert.deepEqual(ratingOf(5 + 5 + 4, 3), { average: 4.7, count: 3 }); // 4.666…
    assert.deepEqual(ratingOf(1, 1), { average: 1, count: 1 });
  });

  it("sorts by the average × 100, rounded down", () => {
    assert.equal(ratingScore(0, 0), 0);
    assert.equal(ratingScore(14, 3), 466);
    assert.equal(ratingScore(5, 1), 500);
    assert.ok(ratingScore(9, 2) > ratingScore(13, 3));
  });
});

describe("sold counts", () => {
  let db: CatalogDb;
  let deps: StockDeps;
  const soldOf = async (id: string) => (await productViews(db, [id]))[0].soldCount;

  before(async () => {
    db = await catalogDb();
    deps = { sequelize: db.sequelize, models: db.models };
  });
  after(() => db.close());

  it("counts an order's units once however often the sale is recorded", async () => {
    const a = await db.product();
    const b = await db.product();
    const orderId = newOrder();
    const items = [
      { productId: a, quantity: 2 },
      { productId: b, quantity: 1 },
    ];
    const first = await transaction(
      db.sequelize,
      (tx) => recordSale(db.sequelize, tx, orderId, items),
      RAW_RETRY,
    );
    assert.deepEqual(new Set(first), new Set([a, b]));
    const again = await transaction(
      db.sequelize,
      (tx) => recordSale(db.sequelize, tx, orderId, items),
      RAW_RETRY,
    );
    assert.deepEqual(again, []);
    assert.equal(await soldOf(a), 2);
    assert.equal(await soldOf(b), 1);
  });

  it("takes an order's units off once when it leaves the sold states, some lines or all", async () => {
    const a = await db.product();
    const b = await db.product();
    const other = newOrder();
    const orderId = newOrder();
    await transaction(
      db.sequelize,
      async (tx) => {
        await recordSale(db.sequelize, tx, other, [{ productId: a, quantity: 3 }]);
        await recordSale(db.sequelize, tx, orderId, [
          { productId: a, quantity: 2 },
          { productId: b, quantity: 4 },
        ]);
      },
      RAW_RETRY,
    );
    assert.equal(await soldOf(a), 5);
    // A return of 1 of the 4 units of b: 3 stay sold, a is untouched.
    const some = await transaction(
      db.sequelize,
      (tx) => unsell(db.sequelize, tx, orderId, [{ productId: b, quantity: 1 }]),
      RAW_RETRY,
    );
    assert.deepEqual(some, [b]);
    assert.equal(await soldOf(b), 3);
    assert.equal(await soldOf(a), 5);
    // More than the order holds takes off what it holds, not more.
    await transaction(
      db.sequelize,
      (tx) => unsell(db.sequelize, tx, orderId, [{ productId: a, quantity: 9 }]),
      RAW_RETRY,
    );
    assert.equal(await soldOf(a), 3, "the other order's 3 units of a stay sold");
    await transaction(db.sequelize, (tx) => unsell(db.sequelize, tx, orderId), RAW_RETRY);
    await transaction(db.sequelize, (tx) => unsell(db.sequelize, tx, orderId), RAW_RETRY);
    assert.equal(await soldOf(a), 3, "only the refunded order's units are taken off, once");
    assert.equal(await soldOf(b), 0);
  });

  it("counts a paid order's units at commit, once per replayed commit, and off at its refund", async () => {
    const a = await db.product({ stock: 10 });
    const orderId = newOrder();
    await reserve(deps, orderId, [{ productId: a, quantity: 3 }]);
    assert.equal(await soldOf(a), 0, "held stock is not sold");
    assert.deepEqual((await commit(deps, orderId)).changedProductIds, [a]);
    assert.deepEqual((await commit(deps, orderId)).changedProductIds, []);
    assert.equal(await soldOf(a), 3);
    await release(deps, orderId);
    await release(deps, orderId);
    assert.equal(await soldOf(a), 0);
    assert.equal(await db.stockOf(a), 10);
  });

  it("never counts a reservation released before it was paid", async () => {
    const a = await db.product({ stock: 10 });
    const orderId = newOrder();
    await reserve(deps, orderId, [{ productId: a, quantity: 3 }]);
    await release(deps, orderId);
    await rejects(commit(deps, orderId), "RESERVATION_RELEASED", 409);
    assert.equal(await soldOf(a), 0);
  });
});

describe("reviews", () => {
  let db: CatalogDb;
  const review = (productId: string, rating: number, orderId = newOrder()) =>
    addReview(db, { productId, orderId, userId: "7", authorName: "小明", rating, text: "" });

  before(async () => {
    db = await catalogDb();
  });
  after(() => db.close());

  it("adds each rating to the product's average, shown to one decimal", async () => {
    const a = await db.product();
    for (const rating of [5, 4, 4]) await review(a, rating);
    const [view] = await productViews(db, [a]);
    assert.deepEqual(view.rating, { average: 4.3, count: 3 });
  });

  it("keeps the text as given and answers the review of API.md", async () => {
    const a = await db.product();
    const orderId = newOrder();
    const text = '<script>alert("x")</script>\n第二行\t好';
    const created = await addReview(db, {
      productId: a,
      orderId,
      userId: "7",
      authorName: "小明",
      rating: 5,
      text,
    });
    assert.equal(created.text, text);
    assert.deepEqual(
      { ...created, id: "", createdAt: "" },
      {
        id: "",
        productId: a,
        orderId,
        rating: 5,
        text,
        author: { name: "小明" },
        reply: null,
        createdAt: "",
      },
    );
    assert.ok(!Number.isNaN(Date.parse(created.createdAt)));
  });

  it("reviews a line once: the second is 409 ALREADY_REVIEWED and leaves the rating alone", async () => {
    const a = await db.product();
    const orderId = newOrder();
    await review(a, 5, orderId);
    await rejects(review(a, 1, orderId), "ALREADY_REVIEWED", 409);
    const [view] = await productViews(db, [a]);
    assert.deepEqual(view.rating, { average: 5, count: 1 });
  });

  it("lists a product's reviews newest first, paged, of one rating when asked", async () => {
    const a = await db.product();
    for (const rating of [3, 5, 5, 1]) await review(a, rating);
    const all = await listReviews(db, a, { pageSize: 3 });
    assert.equal(all.total, 4);
    assert.deepEqual(
      all.rows.map((r) => r.rating),
      [1, 5, 5],
    );
    const fives = await listReviews(db, a, { rating: 5 });
    assert.equal(fives.total, 2);
    assert.ok(fives.rows.every((r) => r.rating === 5));
    await rejects(listReviews(db, "999999999", {}), "NOT_FOUND", 404);
  });

  it("takes one reply from the product's merchant or an admin, none from another merchant", async () => {
    const a = await db.product();
    await db.models.Product.update({ merchantId: "41" }, { where: { id: a } });
    const first = await review(a, 4);
    const second = await review(a, 2);
    const owner = { id: "41", role: "merchant" as const };
    await rejects(
      replyToReview(db, { id: "42", role: "merchant" }, a, first.id, "hi"),
      "NOT_PRODUCT_OWNER",
      403,
    );
    const replied = await replyToReview(db, owner, a, first.id, "谢谢!");
    assert.equal(replied.reply?.text, "谢谢!");
    await rejects(replyToReview(db, owner, a, first.id, "again"), "ALREADY_REPLIED", 409);
    const other = await db.product();
    await rejects(
      replyToReview(db, { id: "1", role: "admin" }, other, second.id, "x"),
      "NOT_FOUND",
      404,
    );
    const byAdmin = await replyToReview(db, { id: "1", role: "admin" }, a, second.id, "ok");
    assert.equal(byAdmin.reply?.text, "ok");
    const listed = await listReviews(db, a, {});
    assert.deepEqual(
      listed.rows.map((r) => r.reply?.text),
      ["ok", "谢谢!"],
    );
  });
});
