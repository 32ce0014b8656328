/**
 * Deep list pages from anchors (lib/products/anchors.ts): the seek SQL, the choice of anchor,
 * the same rows as OFFSET on a real (SQLite) catalog with ties, and the cache that never hands
 * out anchors older than the catalog (services/products/cache.ts).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ServiceBroker } from "moleculer";
import {
  anchorOrder,
  anchorSpacing,
  listAnchors,
  startAt,
  type Anchors,
} from "../../lib/products/anchors.ts";
import { pageIds, type CatalogDeps } from "../../lib/products/catalog.ts";
import { anchorsQuery, pageIdsQuery, type KeyOrder } from "../../lib/products/queries.ts";
import { searchWords } from "../../lib/products/search.ts";
import { seedCatalog } from "../../lib/products/seed.ts";
import { AnchorCache, ANCHOR_TOKEN_KEY, cleanLocal } from "../../services/products/cache.ts";
import { catalogDb, type CatalogDb } from "../helpers/catalog-db.ts";
import { LIST_SORTS, listShapes, probeOffsets, spread } from "../helpers/list-pages.ts";

describe("anchor queries", () => {
  for (const dialect of ["mysql", "sqlite"]) {
    it(`seeks newest first from an anchor as a range on the index (${dialect})`, () => {
      const from = { key: "2025-03-01 09:00:00.000", id: "4321" };
      const q = pageIdsQuery(dialect, { terms: [] }, "newest", 20, 180, from);
      assert.match(
        q.sql,
        /WHERE p.deletedAt IS NULL AND p.createdAt <= :fromKey AND \(p.createdAt < :fromKey OR p.id <= :fromId\) ORDER BY p.createdAt DESC, p.id DESC LIMIT :limit OFFSET :offset$/,
      );
      assert.equal(q.replacements.fromKey, from.key);
      assert.equal(q.replacements.fromId, 4321n, "a numeric literal, exact for any BIGINT");
      assert.equal(q.replacements.offset, 180);
    });

    it(`seeks a category by price from its links alone, both ways (${dialect})`, () => {
      const from = { key: 2900, id: "17" };
      const up = pageIdsQuery(dialect, { terms: [], categoryId: "3" }, "price", 20, 0, from);
      assert.match(
        up.sql,
        /pc.price >= :fromKey AND \(pc.price > :fromKey OR pc.productId >= :fromId\)/,
      );
      const down = pageIdsQuery(dialect, { terms: [], categoryId: "3" }, "-price", 20, 0, from);
      assert.match(
        down.sql,
        /pc.price <= :fromKey AND \(pc.price < :fromKey OR pc.productId <= :fromId\)/,
      );
      assert.doesNotMatch(down.sql, /products p/);
    });

    it(`numbers the rows in the list's own order to pick every n-th (${dialect})`, () => {
      const q = anchorsQuery(dialect, { terms: [], merchantId: "9" }, "newest", 200);
      assert.match(q.sql, /ROW_NUMBER\(\) OVER \(ORDER BY p.createdAt DESC, p.id DESC\)/);
      assert.match(q.sql, /WHERE p.merchantId = :merchantId AND p.deletedAt IS NULL\) w/);
      assert.match(q.sql, /w.rn > 1 AND \(w.rn - 1\) % :every = 0$/);
      assert.equal(/CAST\(w.k AS CHAR\)/.test(q.sql), dialect === "mysql", "createdAt as text");
      assert.equal(q.replacements.every, 200);
    });
  }

  it("leaves search ranked by relevance, and every search, to OFFSET", () => {
    assert.equal(anchorOrder({ terms: searchWords("lamp") }, "relevance"), undefined);
    assert.equal(anchorOrder({ terms: searchWords("lamp") }, "price"), undefined);
    assert.equal(anchorOrder({ terms: [] }, "relevance"), "newest", "no words: newest");
    assert.equal(anchorOrder({ terms: [], categoryId: "1" }, "-price"), "-price");
  });
});

describe("startAt", () => {
  const anchors: Anchors = {
    every: 200,
    keys: [
      { key: 30, id: "3" },
      { key: 50, id: "5" },
    ],
  };

  it("starts at the nearest anchor at or above the offset", () => {
    assert.deepEqual(startAt(anchors, 199), { offset: 199 });
    assert.deepEqual(startAt(anchors, 200), { from: anchors.keys[0], offset: 0 });
    assert.deepEqual(startAt(anchors, 399), { from: anchors.keys[0], offset: 199 });
    assert.deepEqual(startAt(anchors, 400), { from: anchors.keys[1], offset: 0 });
  });

  it("goes on from the last anchor past the end of the anchors", () => {
    assert.deepEqual(startAt(anchors, 1_000), { from: anchors.keys[1], offset: 600 });
    assert.deepEqual(startAt({ every: 200, keys: [] }, 1_000), { offset: 1_000 });
  });

  it("spaces anchors every 100 rows, further apart past 500 of them", () => {
    assert.equal(anchorSpacing(10_000), 100);
    assert.equal(anchorSpacing(1_000_000), 2_000);
  });
});

describe("anchored pages on SQLite", () => {
  let db: CatalogDb;
  let deps: CatalogDeps;
  const merchantId = "77";
  let categoryId: string;

  before(async () => {
    db = await catalogDb();
    deps = { sequelize: db.sequelize, models: db.models };
    await seedCatalog(db.sequelize, db.models, 3_000);
    await db.sequelize.query("UPDATE products SET merchantId = :merchantId WHERE id % 3 = 0", {
      replacements: { merchantId },
    });
    // Ties in createdAt across the first anchors of newest lists: the id decides among them.
    const at = new Date(Date.UTC(2025, 2, 29, 12));
    for (const table of ["products", "product_categories"]) {
      const id = table === "products" ? "id" : "productId";
      await db.sequelize.query(
        `UPDATE ${table} SET createdAt = :at WHERE ${id} BETWEEN 2780 AND 2830`,
        {
          replacements: { at },
        },
      );
    }
    const [biggest] = await db.sequelize.query<{ categoryId: unknown }>(
      "SELECT categoryId FROM product_categories GROUP BY categoryId ORDER BY COUNT(*) DESC LIMIT 1",
      { type: "SELECT" as never },
    );
    categoryId = String(biggest.categoryId);
  });
  after(async () => {
    await db?.close();
  });

  /** Compares every probed page from the anchors with the same page by OFFSET. */
  async function compareAll(every = 100): Promise<number> {
    let compared = 0;
    for (const { name, filter } of listShapes(categoryId, merchantId)) {
      for (const sort of LIST_SORTS) {
        const order = anchorOrder(filter, sort) as KeyOrder;
        const anchors = await listAnchors(deps, filter, order, every);
        const total = (await pageIds(deps, filter, sort, 100_000, 0)).length;
        assert.equal(anchors.keys.length, Math.max(0, Math.ceil(total / every) - 1), name);
        for (const pageSize of [20, 7]) {
          for (const offset of spread(probeOffsets(total, pageSize, every), 12)) {
            const start = startAt(anchors, offset);
            const expected = await pageIds(deps, filter, sort, pageSize, offset);
            const got = await pageIds(deps, filter, sort, pageSize, start.offset, start.from);
            assert.deepEqual(got, expected, `${name}, ${sort}, ${pageSize} from ${offset}`);
            compared += 1;
          }
        }
      }
    }
    return compared;
  }

  it("gives exactly the rows of OFFSET for every shape, sort and page", async (t) => {
    t.diagnostic(`${await compareAll()} pages compared`);
  });

  it("needs new anchors once the order changes: old ones give other rows", async () => {
    const filter = { terms: [] };
    const old = await listAnchors(deps, filter, "newest", 100);
    const top = await pageIds(deps, filter, "newest", 5, 0);
    await db.models.Product.update({ deletedAt: new Date() }, { where: { id: top } });
    const start = startAt(old, 1_000);
    assert.notDeepEqual(
      await pageIds(deps, filter, "newest", 20, start.offset, start.from),
      await pageIds(deps, filter, "newest", 20, 1_000),
    );
  });

  it("gives the rows of OFFSET again with anchors taken after creates, deletes and new prices", async () => {
    for (let i = 0; i < 30; i += 1) await db.product({ price: 2_900 + (i % 3) * 1_000 });
    await db.models.Product.update(
      { deletedAt: new Date() },
      { where: { id: [2_800, 1_500, 12] } },
    );
    await db.sequelize.query("DELETE FROM product_categories WHERE productId IN (2800, 1500, 12)");
    for (const id of [100, 2_000, 2_999]) {
      await db.models.Product.update({ price: 9_900 }, { where: { id } });
      await db.models.ProductCategory.update({ price: 9_900 }, { where: { productId: id } });
    }
    await compareAll();
  });
});

describe("AnchorCache", () => {
  let broker: ServiceBroker;
  let cache: AnchorCache;
  const anchors = (n: number): Anchors => ({ every: 200, keys: [{ key: n, id: String(n) }] });

  before(async () => {
    broker = new ServiceBroker({ logger: false, cacher: "Memory", transporter: null });
    await broker.start();
    cache = new AnchorCache(broker);
    await cache.reset();
  });
  after(async () => {
    await broker?.stop();
  });

  it("computes a list's anchors once, then serves them from the cache", async () => {
    let scans = 0;
    const compute = async () => anchors((scans += 1));
    const [a, b] = await Promise.all([cache.get("once", compute), cache.get("once", compute)]);
    assert.deepEqual([a, b], [anchors(1), anchors(1)], "concurrent first readers share one scan");
    assert.deepEqual(await cache.get("once", compute), anchors(1));
    assert.equal(scans, 1);
  });

  it("computes them again after a catalog clean, not after a stock clean", async () => {
    let scans = 0;
    const compute = async () => anchors((scans += 1));
    await cache.get("cleaned", compute);
    await cleanLocal(broker.cacher, { scope: "stock", productIds: ["1"] });
    assert.deepEqual(await cache.get("cleaned", compute), anchors(1));
    await cleanLocal(broker.cacher, { scope: "catalog" });
    assert.deepEqual(await cache.get("cleaned", compute), anchors(2));
    assert.equal(scans, 2);
  });

  it("never serves anchors whose scan began before a clean that they outlived", async () => {
    let scans = 0;
    // The scan reads the old rows; the write commits and cleans before the anchors are stored.
    const racing = async () => {
      scans += 1;
      await cleanLocal(broker.cacher, { scope: "catalog" });
      return anchors(-1);
    };
    assert.deepEqual(await cache.get("race", racing), anchors(-1));
    assert.ok(await broker.cacher!.get("products.anchors:race"), "the stale anchors were stored");
    const fresh = await cache.get("race", async () => anchors((scans += 1)));
    assert.deepEqual(fresh, anchors(2), "and are not used: the token they carry is gone");
  });

  it("makes every stored anchor stale when reset", async () => {
    await cache.get("reset", async () => anchors(1));
    const before = await broker.cacher!.get(ANCHOR_TOKEN_KEY);
    await cache.reset();
    assert.notEqual(await broker.cacher!.get(ANCHOR_TOKEN_KEY), before);
    assert.deepEqual(await cache.get("reset", async () => anchors(2)), anchors(2));
  });

  it("answers nothing without a cacher (pages stay on OFFSET)", async () => {
    const bare = new ServiceBroker({ logger: false, transporter: null });
    assert.equal(await new AnchorCache(bare).get("none", async () => anchors(1)), undefined);
  });
});
