/**
 * How the catalog is served, in both modes on the seeded 10,000-product catalog: reads come from
 * the cache, writes clean it on every node at once, and every catalog query uses an index
 * (EXPLAIN on MariaDB in cluster mode, EXPLAIN QUERY PLAN on SQLite in the embedded mode).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Sequelize } from "sequelize";
import { captureSql } from "../helpers/capture-sql.ts";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { client, loginAdmin } from "../helpers/http.ts";
import type { ShopNode } from "../../services/node.ts";

const modes = await testModes();

for (const mode of modes) {
  describe(`catalog caching and query plans (${mode} mode)`, () => {
    let shop: TestShop;
    let adminToken: string;
    /** The node hosting products (the backend node in cluster mode). */
    let backend: ShopNode;
    const productOnPage = async (page: number) =>
      (await client(shop.url).get(`/api/products?page=${page}&pageSize=1`)).body.rows[0];

    before(async () => {
      shop = await startShop(mode, { env: { SEED_ON_START: "true" } });
      backend = shop.nodes.find((n) => n.broker.getLocalService("products"))!;
      adminToken = (await loginAdmin(shop.url, ADMIN)).accessToken;
    });
    after(async () => {
      await shop?.stop();
    });

    describe("cache", () => {
      it("answers repeated reads from the cache, not the database", async () => {
        const product = await productOnPage(40);
        const detail = `/api/products/${product.id}`;
        const list = `/api/products?q=${encodeURIComponent(product.name)}&pageSize=100`;
        const categories = "/api/categories";
        const before = await Promise.all(
          [detail, list, categories].map((p) => client(shop.url).get(p)),
        );
        // Change the database behind the service's back: cached answers do not see it.
        await backend.platform.sequelize!.query(
          "UPDATE products SET stock = stock + 1 WHERE id = :id",
          {
            replacements: { id: product.id },
          },
        );
        for (const url of shop.urls) {
          const again = await Promise.all(
            [detail, list, categories].map((p) => client(url).get(p)),
          );
          assert.deepEqual(
            again.map((r) => r.body),
            before.map((r) => r.body),
            `${url} answered from the cache`,
          );
        }
        // Any write through the service cleans them.
        assert.equal((await client(shop.url, adminToken).patch(detail, {})).status, 200);
        assert.equal((await client(shop.url).get(detail)).body.stock, product.stock + 1);
      });

      it("sends a list page as cached JSON text: products.list's answer, as JSON, miss or hit", async () => {
        const path = "/api/products?page=7&pageSize=5&sort=-price&unknown=1";
        const direct = await backend.broker.call("products.list", {
          page: 7,
          pageSize: 5,
          sort: "-price",
        });
        const expected = JSON.stringify(direct);
        for (const url of [...shop.urls, ...shop.urls]) {
          const res = await fetch(url + path);
          assert.equal(res.status, 200);
          assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
          assert.equal(await res.text(), expected, `${url}: the same bytes`);
        }
        const bad = await client(shop.url).get("/api/products?minPrice=9&maxPrice=1");
        assert.equal(bad.status, 422);
        assert.equal(bad.body.type, "VALIDATION_ERROR");
      });

      it("shows a new price at once through every gateway node, in detail and lists", async () => {
        const product = await productOnPage(41);
        const detail = `/api/products/${product.id}`;
        const inList = (price: number) =>
          `/api/products?minPrice=${price}&maxPrice=${price}&pageSize=100`;
        for (const url of shop.urls) {
          assert.equal((await client(url).get(detail)).body.price, product.price);
          assert.ok(
            (await client(url).get(inList(product.price))).body.rows.some(
              (r: { id: string }) => r.id === product.id,
            ),
          );
        }
        const price = product.price + 1234;
        const res = await client(shop.urls[0], adminToken).patch(detail, { price });
        assert.equal(res.status, 200);
        for (const url of [...shop.urls].reverse()) {
          assert.equal((await client(url).get(detail)).body.price, price, url);
          const listed = (await client(url).get(inList(price))).body.rows;
          assert.ok(listed.some((r: { id: string; price: number }) => r.id === product.id));
          const old = (await client(url).get(inList(product.price))).body.rows;
          assert.ok(
            !old.some((r: { id: string }) => r.id === product.id),
            "gone from the old price",
          );
        }
      });

      it("shows new stock at once after a reservation", async () => {
        const product = await productOnPage(42);
        const detail = `/api/products/${product.id}`;
        await client(shop.url).get(detail);
        await backend.broker.call("products.reserve", {
          orderId: `cache-${Date.now()}`,
          items: [{ productId: product.id, quantity: 1 }],
        });
        for (const url of shop.urls) {
          assert.equal((await client(url).get(detail)).body.stock, product.stock - 1, url);
          const page = (await client(url).get(`/api/products?page=42&pageSize=1`)).body;
          assert.equal(page.rows[0].stock, product.stock - 1);
        }
      });

      if (mode === "cluster") {
        it("cleans the cache of products nodes with their own memory cacher (broadcast)", async () => {
          // A products node without Redis: its cache is its own, only the broadcast reaches it.
          const local = await shop.addNode(["products"], { REDIS_URL: "" });
          try {
            await waitUntil(
              () => backend.broker.registry.nodes.get(local.broker.nodeID)?.available === true,
            );
            const product = await productOnPage(43);
            const read = (node: ShopNode) =>
              node.broker.call<{ price: number }, object>(
                "products.get",
                { id: product.id },
                { nodeID: node.broker.nodeID },
              );
            const admin = { user: { id: "0", role: "admin" } };
            const update = (node: ShopNode, price: number) =>
              node.broker.call(
                "products.update",
                { id: product.id, price },
                {
                  nodeID: node.broker.nodeID,
                  meta: admin,
                },
              );
            assert.equal((await read(local)).price, product.price, "cached on the memory node");
            await update(backend, product.price + 1);
            await waitUntil(async () => (await read(local)).price === product.price + 1);
            assert.equal((await read(backend)).price, product.price + 1);
            // And the other way: a write on the memory node cleans the shared Redis cache.
            await update(local, product.price + 2);
            await waitUntil(async () => (await read(backend)).price === product.price + 2);
          } finally {
            await local.stop();
          }
        });
      }
    });

    describe("query plans", () => {
      it("serves list by category, price sort, search and detail from indexes", async () => {
        // A merchant with 2,000 products, so that their list has deep pages too.
        await backend.platform.sequelize!.query(
          "UPDATE products SET merchantId = 5 WHERE id % 5 = 0 AND merchantId IS NULL",
        );
        await backend.broker.cacher?.clean("products.**");
        const statements = await captureSql(backend, async () => {
          const call = (action: string, params: object) =>
            backend.broker.call(action, params, { meta: { $cache: false } });
          await call("products.list", { category: "furniture" });
          await call("products.list", { category: "furniture", sort: "price", page: 10 });
          await call("products.list", { category: "furniture", minPrice: 10000, sort: "-price" });
          await call("products.list", { sort: "price", page: 400 });
          await call("products.list", { sort: "-price", minPrice: 1000, maxPrice: 90000 });
          await call("products.list", { page: 450 });
          await call("products.list", { q: "胡桃木 台灯" });
          await call("products.list", { q: "茶", category: "tea-and-coffee", sort: "price" });
          await call("products.list", { q: "4k 显示器" });
          // No product has both words: the relaxed search (any word) runs too.
          await call("products.list", { q: "台灯 walnut" });
          await call("products.get", { id: "1234" });
          await call("products.get", { id: "1234", lang: "en" });
          await call("products.list", { category: "furniture", lang: "en" });
          await call("products.list", { merchantId: "1" });
          await call("products.list", { merchantId: "1", sort: "price", page: 3 });
          // Deep pages: the anchors' scan of each list, then a seek from an anchor.
          await call("products.list", { category: "furniture", sort: "-price", page: 15 });
          await call("products.list", { category: "furniture", page: 16 });
          await call("products.list", { merchantId: "5", page: 60 });
          await call("products.list", { merchantId: "5", sort: "-price", page: 61 });
          await call("products.list", { minPrice: 5000, maxPrice: 60000, page: 30 });
          await call("products.list", { minPrice: 5000, sort: "price", page: 31 });
          // Best sellers and best rated of the whole catalog, first and deep pages (no anchors).
          await call("products.list", { sort: "sales" });
          await call("products.list", { sort: "rating", page: 40 });
          await call("products.reviews", { id: "1234" });
          await call("products.reviews", { id: "1234", rating: 5, page: 2 });
        });
        const selects = statements.filter((s) => /^SELECT/i.test(s));
        assert.ok(selects.length >= 15, `${selects.length} statements captured`);
        const seeks = selects.filter((s) => /OR (p\.id|pc\.productId) [<>]= \d+\)/.test(s));
        const anchorScans = selects.filter((s) => /ROW_NUMBER\(\) OVER/.test(s));
        assert.ok(seeks.length >= 8, `${seeks.length} seeks from an anchor`);
        assert.ok(anchorScans.length >= 8, `${anchorScans.length} scans for anchors`);
        const sequelize = backend.platform.sequelize!;
        for (const sql of selects) {
          const problems = await fullScans(sequelize, sql);
          assert.deepEqual(problems, [], sql);
        }
      });
    });
  });
}

/**
 * What in a statement's plan reads a whole table, or sorts every match of a list that an index
 * could have given in order; empty when the plan is served by indexes. (Search results are
 * sorted by relevance after the full-text index found them: that sort is expected. The anchors'
 * scan reads the list's index once and numbers its rows: reading that numbered result back and
 * sorting for the window are expected too; its tables must still be read through an index.)
 */
async function fullScans(sequelize: Sequelize, sql: string): Promise<string[]> {
  const search = /products_fts|MATCH\(/.test(sql);
  const anchors = /ROW_NUMBER\(\) OVER/.test(sql);
  const sorted = search || anchors;
  if (sequelize.getDialect() === "sqlite") {
    const [plan] = (await sequelize.query(`EXPLAIN QUERY PLAN ${sql}`)) as [
      Array<{ detail: string }>,
      unknown,
    ];
    const steps = plan.map((p) => p.detail);
    const problems = steps.filter(
      (d) =>
        (/^SCAN /.test(d) &&
          !/USING (COVERING )?INDEX|VIRTUAL TABLE/.test(d) &&
          !(anchors && /^SCAN (w|\(subquery-\d+\))$/.test(d))) ||
        (!sorted && /TEMP B-TREE FOR ORDER BY/.test(d)),
    );
    // A search must start from the full-text index, never walk the products to match each.
    if (search && !/^SCAN products_fts VIRTUAL TABLE/.test(steps[0])) {
      problems.push(`search not driven by FTS5: ${steps.join(" | ")}`);
    }
    return problems;
  }
  const [plan] = (await sequelize.query(`EXPLAIN ${sql}`)) as [
    Array<{ table: string | null; type: string | null; key: string | null; Extra: string | null }>,
    unknown,
  ];
  return plan
    .filter(
      (row) =>
        row.table !== null &&
        !(anchors && /^<derived\d+>$/.test(row.table)) &&
        (row.type === "ALL" ||
          row.key === null ||
          (!sorted && /Using filesort/.test(row.Extra ?? ""))),
    )
    .map((row) => `${row.table}: type=${row.type} key=${row.key} extra=${row.Extra}`);
}

async function waitUntil(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
