/**
 * Deep list pages from anchors, in both modes on the seeded 10,000-product catalog: every page
 * `products.list` answers (cache bypassed) has exactly the rows of the plain OFFSET query, for
 * every filter shape and sort, before and after the catalog changes through the service.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import { captureSql } from "../helpers/capture-sql.ts";
import { testModes } from "../helpers/infra.ts";
import { startShop, type TestShop } from "../helpers/shop.ts";
import { LIST_SORTS, listShapes, probeOffsets, spread } from "../helpers/list-pages.ts";
import { ANCHOR_EVERY } from "../../lib/products/anchors.ts";
import { pageIds, type CatalogDeps } from "../../lib/products/catalog.ts";
import type { ListFilter, Sort } from "../../lib/products/queries.ts";
import { ANCHOR_TOKEN_KEY } from "../../services/products/cache.ts";
import type { ShopNode } from "../../services/node.ts";

const modes = await testModes();
const MERCHANT = "424242";
const admin = { user: { id: MERCHANT, role: "admin" } };

interface ListAnswer {
  rows: Array<{ id: string }>;
  total: number;
}

for (const mode of modes) {
  describe(`deep list pages from anchors (${mode} mode)`, () => {
    let shop: TestShop;
    let backend: ShopNode;
    let broker: ServiceBroker;
    let deps: CatalogDeps;
    let categoryId: string;

    /** The action's answer, never from the response cache. */
    const list = (filter: ListFilter, sort: Sort, page: number, pageSize: number) =>
      broker.call<ListAnswer, object>(
        "products.list",
        {
          category: filter.categoryId,
          merchantId: filter.merchantId,
          minPrice: filter.minPrice,
          maxPrice: filter.maxPrice,
          sort,
          page,
          pageSize,
        },
        { meta: { $cache: false } },
      );

    /** Compares probed pages of every shape and sort with OFFSET; returns how many. */
    async function compareAll(): Promise<number> {
      let compared = 0;
      for (const { name, filter } of listShapes(categoryId, MERCHANT)) {
        for (const sort of LIST_SORTS) {
          for (const pageSize of [20, 7]) {
            const { total } = await list(filter, sort, 1, pageSize);
            assert.ok(total > ANCHOR_EVERY, `${name}: ${total} products, too few for an anchor`);
            for (const offset of spread(probeOffsets(total, pageSize, ANCHOR_EVERY), 8)) {
              const answer = await list(filter, sort, offset / pageSize + 1, pageSize);
              const expected = await pageIds(deps, filter, sort, pageSize, offset);
              assert.deepEqual(
                answer.rows.map((r) => r.id),
                expected,
                `${name}, ${sort}, ${pageSize} per page from ${offset}`,
              );
              compared += 1;
            }
          }
        }
      }
      return compared;
    }

    before(async () => {
      shop = await startShop(mode, { env: { SEED_ON_START: "true" } });
      backend = shop.nodes.find((n) => n.broker.getLocalService("products"))!;
      broker = backend.broker;
      deps = (broker.getLocalService("products") as unknown as { deps: CatalogDeps }).deps;
      const sequelize = backend.platform.sequelize!;
      // A merchant with a quarter of the catalog, and ties in createdAt around the newest
      // list's first anchors (product 9800 is the 201st newest): the id decides among them.
      await sequelize.query("UPDATE products SET merchantId = :m WHERE id % 4 = 0", {
        replacements: { m: MERCHANT },
      });
      const at = new Date(Date.UTC(2025, 10, 3, 6));
      await sequelize.query("UPDATE products SET createdAt = :at WHERE id BETWEEN 9790 AND 9810", {
        replacements: { at },
      });
      await sequelize.query(
        "UPDATE product_categories SET createdAt = :at WHERE productId BETWEEN 9790 AND 9810",
        { replacements: { at } },
      );
      // Written behind the service's back: drop what it may have cached.
      await broker.cacher!.clean("products.**");
      const categories =
        await broker.call<Array<{ id: string; productCount: number }>>("products.categories");
      categoryId = categories.sort((a, b) => b.productCount - a.productCount)[0].id;
    });
    after(async () => {
      await shop?.stop();
    });

    it("answers every page with exactly the rows of OFFSET, for every shape and sort", async (t) => {
      t.diagnostic(`${await compareAll()} pages compared`);
      const stored = (await broker.cacher!.get('products.anchors:newest:{"terms":[]}')) as {
        token: string;
        anchors: { every: number; keys: unknown[] };
      } | null;
      assert.ok(stored, "the whole catalog's newest list has anchors in the cache");
      assert.equal(stored.token, await broker.cacher!.get(ANCHOR_TOKEN_KEY));
      assert.equal(stored.anchors.keys.length, Math.ceil(10_000 / ANCHOR_EVERY) - 1);
    });

    it("still does after products are created, deleted, re-priced and re-categorised", async () => {
      const call = (action: string, params: object) => broker.call(action, params, { meta: admin });
      const top = await pageIds(deps, { terms: [] }, "newest", 3, 0);
      const deep = await pageIds(deps, { terms: [] }, "price", 3, 5_000);
      const inCategory = await pageIds(deps, { terms: [], categoryId }, "newest", 2, 250);
      for (const id of [...top.slice(0, 2), deep[0], inCategory[0]]) {
        await call("products.remove", { id });
      }
      for (let i = 0; i < 12; i += 1) {
        await call("products.create", {
          name: `Anchor test product ${i}`,
          description: "Made by the anchor test",
          price: [2_900, 9_900, 25_000][i % 3],
          stock: 5,
          ...(i % 2 === 0 ? { categories: [await categoryName()] } : {}),
        });
      }
      await call("products.update", { id: deep[1], price: 1 });
      await call("products.update", { id: deep[2], price: 59_000 });
      await call("products.update", { id: top[2], categories: [] });
      await compareAll();
    });

    it("reads a deep page with a seek from an anchor, not a long OFFSET", async () => {
      const statements = await captureSql(backend, () =>
        list({ terms: [] }, "newest", 500, 20).then(() => undefined),
      );
      const page = statements.find((s) => /^SELECT p.id AS id FROM products p/.test(s));
      assert.ok(page, statements.join("\n"));
      assert.match(page, /p.createdAt <= '[^']+' AND \(p.createdAt < '[^']+' OR p.id <= \d+\)/);
      const offset = Number(/OFFSET (\d+)$/.exec(page)?.[1]);
      assert.ok(offset < ANCHOR_EVERY, `OFFSET ${offset}`);
    });

    async function categoryName(): Promise<string> {
      const categories =
        await broker.call<Array<{ id: string; name: string }>>("products.categories");
      return categories.find((c) => c.id === categoryId)!.name;
    }
  });
}
