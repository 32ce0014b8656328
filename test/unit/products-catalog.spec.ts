/** The catalog's pure parts: search terms, list SQL shapes, pictures, the demo catalog. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { slugify } from "../../lib/products/categories.ts";
import { productPictureSvg } from "../../lib/products/picture.ts";
import { countQuery, pageIdsQuery } from "../../lib/products/queries.ts";
import {
  fts5AllWords,
  fts5AnyWord,
  mysqlAllWords,
  mysqlAnyWord,
  mysqlWholeWords,
  searchWords,
} from "../../lib/products/search.ts";
import { hanWords, indexTokens, queryHanWords, stem } from "../../lib/products/segment.ts";
import { DEFAULT_SEED_COUNT, generateCatalog, seedCatalog } from "../../lib/products/seed.ts";
import { catalogDb } from "../helpers/catalog-db.ts";

describe("search tokens (lib/products/segment.ts)", () => {
  it("indexes Han runs as words, bigrams and characters, Latin words as themselves and their stems", () => {
    const tokens = indexTokens("无线蓝牙耳机 Wireless Earbuds，４Ｋ TV").split(" ");
    for (const t of [
      "zw蓝牙",
      "zw耳机",
      "zb牙耳",
      "zb耳机",
      "zb机",
      "zlearbuds",
      "zsearbud",
      "zl4k",
      "zltv",
    ]) {
      assert.ok(tokens.includes(t), `${t} in ${tokens}`);
    }
    // Every token indexes in InnoDB (3+ characters) and none is an operator or a stopword.
    for (const t of tokens) assert.match(t, /^z[lswbu][\p{L}\p{N}]+$/u);
  });

  it("joins the single characters ICU's dictionary leaves of unknown words", () => {
    assert.deepEqual(hanWords("华为"), ["华为"]);
    assert.ok(hanWords("主动降噪").includes("降噪"), String(hanWords("主动降噪")));
    assert.deepEqual(queryHanWords("华为手机"), ["华为", "手机"]);
    assert.ok(queryHanWords("手机壳").includes("手机壳"), String(queryHanWords("手机壳")));
  });

  it("stems English words with Porter, and leaves other words alone", () => {
    assert.equal(stem("phones"), "phone");
    assert.equal(stem("batteries"), stem("battery"));
    assert.equal(stem("4k"), "4k");
  });
});

describe("searchWords", () => {
  it("keeps short words, splits mixed runs, drops operators and repeats, keeps at most eight", () => {
    const words = searchWords('  4K电视 +tv* "tv" 的 ');
    assert.deepEqual(
      words.map((w) => w.boost[0]),
      ["zl4k", "zw电视", "zltv", "zw的"],
    );
    assert.deepEqual(searchWords("!!! ？？ +-*"), []);
    assert.deepEqual(searchWords(undefined), []);
    assert.equal(searchWords("one1 two2 thr3 fou4 fiv5 six6 sev7 eig8 nin9 ten0").length, 8);
  });

  it("requires every word on both databases: Latin words as prefixes, Han words by their bigrams", () => {
    const words = searchWords("phones 耳机");
    assert.equal(mysqlAllWords(words), "+(zlphones* zsphone* zlphone*) +zb耳机");
    assert.equal(mysqlAnyWord(words), "(zlphones* zsphone* zlphone*) zb耳机");
    assert.equal(mysqlWholeWords(words), "zlphones zsphone zlphone zw耳机");
    assert.equal(
      fts5AllWords(words),
      '("zlphones"* OR "zsphone"* OR "zlphone"*) AND "zb耳机" AND ' +
        '(("zlphones"* OR "zsphone"* OR "zlphone"*) OR ' +
        '"zlphones" OR "zsphone" OR "zlphone" OR "zw耳机" OR ' +
        '"zlphones" OR "zsphone" OR "zlphone" OR "zw耳机")',
    );
    assert.equal(
      fts5AnyWord(words),
      '("zlphones"* OR "zsphone"* OR "zlphone"*) OR "zb耳机" OR "zlphones" OR "zsphone" OR "zlphone" OR "zw耳机"',
    );
  });
});

describe("list queries", () => {
  for (const dialect of ["mysql", "sqlite"]) {
    it(`lists one category from its links alone, by its price index (${dialect})`, () => {
      const q = pageIdsQuery(
        dialect,
        { terms: [], categoryId: "7", minPrice: 100 },
        "price",
        20,
        40,
      );
      assert.match(q.sql, /FROM product_categories pc WHERE pc.categoryId = :categoryId/);
      assert.match(q.sql, /ORDER BY pc.price ASC, pc.productId ASC LIMIT :limit OFFSET :offset$/);
      assert.doesNotMatch(q.sql, /products p/);
      assert.deepEqual(q.replacements, { categoryId: "7", minPrice: 100, limit: 20, offset: 40 });
    });

    it(`lists the live catalog newest first with a stable tie-break (${dialect})`, () => {
      const q = pageIdsQuery(dialect, { terms: [] }, "newest", 20, 0);
      assert.match(q.sql, /WHERE p.deletedAt IS NULL ORDER BY p.createdAt DESC, p.id DESC/);
    });

    it(`counts with the same filter as the page (${dialect})`, () => {
      const filter = { terms: searchWords("lamp"), categoryId: "3", maxPrice: 5000 };
      const page = pageIdsQuery(dialect, filter, "relevance", 20, 0);
      const count = countQuery(dialect, filter);
      const where = (sql: string) => sql.slice(sql.indexOf("FROM"), sql.indexOf(" ORDER BY"));
      assert.equal(count.sql.slice(count.sql.indexOf("FROM")), where(page.sql));
    });
  }

  it("searches with FULLTEXT on MariaDB/MySQL and ranks name matches higher", () => {
    const q = pageIdsQuery("mysql", { terms: searchWords("lamp") }, "relevance", 20, 0);
    assert.match(q.sql, /MATCH\(p.searchName, p.searchBody\) AGAINST \(:match IN BOOLEAN MODE\)/);
    assert.match(q.sql, /ORDER BY \(MATCH\(p.searchName\) AGAINST \(:any IN BOOLEAN MODE\) \* 4/);
    assert.equal(q.replacements.match, "+(zllamp* zslamp*)");
    const relaxed = pageIdsQuery(
      "mysql",
      { terms: searchWords("lamp 灯"), relaxed: true },
      "relevance",
      20,
      0,
    );
    assert.equal(relaxed.replacements.match, "(zllamp* zslamp*) zb灯*");
  });

  it("searches with FTS5 on SQLite, the match driving the join", () => {
    const q = pageIdsQuery("sqlite", { terms: searchWords("lamp") }, "relevance", 20, 0);
    assert.match(q.sql, /FROM products_fts CROSS JOIN products p/);
    assert.match(q.sql, /ORDER BY bm25\(products_fts, 4.0, 1.0\) ASC, p.id DESC/);
  });

  it("sorts by price both ways and falls back to newest for relevance without words", () => {
    assert.match(
      pageIdsQuery("mysql", { terms: [] }, "-price", 20, 0).sql,
      /p.price DESC, p.id DESC/,
    );
    assert.match(
      pageIdsQuery("mysql", { terms: [] }, "relevance", 20, 0).sql,
      /ORDER BY p.createdAt DESC/,
    );
  });
});

describe("product pictures", () => {
  it("draws the same SVG for the same product, escaping the name", () => {
    const svg = productPictureSvg("42", `Tom & Jerry's <Mug>`);
    assert.equal(svg, productPictureSvg("42", `Tom & Jerry's <Mug>`));
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /Tom &#38; Jerry&#39;s &#60;Mug&#62;/);
    assert.doesNotMatch(svg, /<Mug>/);
    assert.notEqual(svg, productPictureSvg("43", `Tom & Jerry's <Mug>`));
  });
});

describe("the demo catalog", () => {
  const catalog = generateCatalog(DEFAULT_SEED_COUNT);

  it("is the same on every run", () => {
    assert.deepEqual(generateCatalog(50), catalog.slice(0, 50));
  });

  it("has 10,000 products in at least 20 categories with prices in fen and stock", () => {
    assert.equal(catalog.length, 10_000);
    const categories = new Set(catalog.flatMap((p) => p.categories));
    assert.ok(categories.size >= 20, `${categories.size} categories`);
    for (const p of catalog) {
      assert.ok(Number.isInteger(p.price) && p.price > 0, `price of ${p.id}`);
      assert.ok(Number.isInteger(p.stock) && p.stock >= 0);
      assert.ok(p.name.length > 5 && p.description.length > 40);
    }
    assert.ok(
      catalog.some((p) => p.stock === 0),
      "some products are sold out",
    );
    assert.ok(
      catalog.some((p) => p.categories.length > 1),
      "some products are in two categories",
    );
  });

  it("has names and descriptions with words worth searching", () => {
    const words = new Set(
      catalog.flatMap((p) => indexTokens(`${p.name} ${p.description}`).split(" ")),
    );
    assert.ok(words.size > 500, `${words.size} distinct tokens`);
  });

  it("loads into an empty database once, then leaves it alone", async (t) => {
    const db = await catalogDb();
    try {
      const first = await seedCatalog(db.sequelize, db.models);
      t.diagnostic(`seeded ${first.inserted} products in ${first.ms} ms (SQLite)`);
      assert.equal(first.inserted, 10_000);
      assert.equal(await db.models.Product.count(), 10_000);
      const second = await seedCatalog(db.sequelize, db.models);
      assert.equal(second.inserted, 0);
      assert.equal(await db.models.Product.count(), 10_000);
    } finally {
      await db.close();
    }
  });

  it("makes URL-safe category slugs", () => {
    assert.equal(slugify("Women's Clothing"), "womens-clothing");
    assert.equal(slugify("Tea & Coffee"), "tea-and-coffee");
  });
});
