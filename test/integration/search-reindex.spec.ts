/**
 * An existing catalog, made before search tokens and Chinese category names, is re-indexed by
 * migrations 0008 and 0009 in both databases: its products are then found by Chinese words,
 * short words and plurals, its demo categories get their Chinese names; the migrations go down
 * again to the old schema.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import { QueryTypes, type Sequelize } from "sequelize";
import { connectDatabase, createSequelize } from "../../lib/db.ts";
import { migrations } from "../../lib/migrations/index.ts";
import { countMatching, pageIds } from "../../lib/products/catalog.ts";
import { defineProductModels } from "../../lib/products/models.ts";
import { searchWords } from "../../lib/products/search.ts";
import { clusterInfra, testModes } from "../helpers/infra.ts";

const modes = await testModes();
const BEFORE = migrations.findIndex((m) => m.name === "0008-products-search-tokens");

const OLD_PRODUCTS = [
  { name: "无线蓝牙耳机 主动降噪", description: "入耳式设计，续航30小时。" },
  { name: "Apple iPhone 15 Phone", description: "A16 chip, USB-C." },
  { name: "Samsung 55-inch 4K Smart TV", description: "Crystal UHD display." },
];

for (const mode of modes) {
  describe(`re-indexing an existing catalog (${mode} mode)`, () => {
    let sequelize: Sequelize;
    let cleanup: () => Promise<void>;

    before(async () => {
      if (mode === "embedded") {
        const dir = mkdtempSync(join(tmpdir(), "reindex-"));
        const url = `sqlite:${join(dir, "shop.sqlite")}`;
        sequelize = createSequelize({ url });
        await connectDatabase(sequelize, url);
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      } else {
        const infra = clusterInfra();
        const database = `reindex_test_${randomBytes(4).toString("hex")}`;
        const admin = await mysql.createConnection(infra.mysqlAdminUrl);
        await admin.query(
          `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
        );
        await admin.end();
        const url = `${infra.mysqlAdminUrl.replace(/\/[^/]*$/, "")}/${database}`;
        sequelize = createSequelize({ url });
        await connectDatabase(sequelize, url);
        cleanup = async () => {
          const c = await mysql.createConnection(infra.mysqlAdminUrl);
          await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
          await c.end();
        };
      }
      const qi = sequelize.getQueryInterface();
      for (const m of migrations.slice(0, BEFORE)) await m.up(qi, sequelize);
      const now = new Date();
      await qi.bulkInsert(
        "categories",
        ["Smartphones", "My Own Category"].map((name, i) => ({
          name,
          slug: ["smartphones", "my-own-category"][i],
          createdAt: now,
          updatedAt: now,
        })),
      );
      await qi.bulkInsert(
        "products",
        OLD_PRODUCTS.map((p, i) => ({
          ...p,
          id: i + 1,
          merchantId: null,
          price: 100,
          currency: "CNY",
          stock: 1,
          picture: null,
          deletedAt: null,
          createdAt: now,
          updatedAt: now,
        })),
      );
    });
    after(async () => {
      await sequelize?.close();
      await cleanup?.();
    });

    it("finds the old products by Chinese words, short words and plurals once migrated", async () => {
      const qi = sequelize.getQueryInterface();
      for (const m of migrations.slice(BEFORE)) await m.up(qi, sequelize);
      const deps = { sequelize, models: defineProductModels(sequelize) };
      const found = async (q: string) => {
        const filter = { terms: searchWords(q) };
        const ids = await pageIds(deps, filter, "relevance", 10, 0);
        assert.equal(await countMatching(deps, filter), ids.length, q);
        return ids;
      };
      assert.deepEqual(await found("耳机"), ["1"]);
      assert.deepEqual(await found("降噪"), ["1"]);
      assert.deepEqual(await found("phones"), ["2"]);
      assert.deepEqual(await found("tv"), ["3"]);
      assert.deepEqual(await found("4k"), ["3"]);
    });

    it("gives the demo categories their Chinese names and keeps the others", async () => {
      const rows = await sequelize.query<{ name: string; nameEn: string; slug: string }>(
        "SELECT name, nameEn, slug FROM categories ORDER BY slug",
        { type: QueryTypes.SELECT },
      );
      assert.deepEqual(
        rows.map((r) => [r.slug, r.name, r.nameEn]),
        [
          ["my-own-category", "My Own Category", "My Own Category"],
          ["smartphones", "手机通讯", "Smartphones"],
        ],
      );
    });

    it("goes down to the old schema", async () => {
      const qi = sequelize.getQueryInterface();
      for (const m of migrations.slice(BEFORE).reverse()) await m.down(qi, sequelize);
      const [row] = await sequelize.query<{ name: string }>(
        "SELECT name FROM categories WHERE slug = 'smartphones'",
        { type: QueryTypes.SELECT },
      );
      assert.equal(row.name, "Smartphones");
      const columns = Object.keys(await qi.describeTable("products"));
      assert.ok(!columns.includes("searchName"), String(columns));
    });
  });
}
