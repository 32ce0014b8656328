/**
 * Browsing the seeded catalog through HTTP (10,000 products), in the embedded mode and in
 * cluster mode: pagination, filters, sorts, full-text search, detail, categories, pictures.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { client, userWithRole } from "../helpers/http.ts";
import { createProduct, uniqueWord, type ProductBody } from "../helpers/catalog.ts";

const modes = await testModes();

interface Page {
  rows: ProductBody[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
  relaxed?: boolean;
}

for (const mode of modes) {
  describe(`catalog (${mode} mode)`, () => {
    let shop: TestShop;
    let merchantToken: string;
    const list = async (query: string) => {
      const res = await client(shop.url).get(`/api/products?${query}`);
      assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
      return res.body as Page;
    };

    before(async () => {
      shop = await startShop(mode, { env: { SEED_ON_START: "true" } });
      merchantToken = (await userWithRole(shop.url, ADMIN, "merchant")).accessToken;
    });
    after(async () => {
      await shop?.stop();
    });

    describe("the seeded catalog", () => {
      it("has at least 10,000 products in at least 20 categories, each with its count", async () => {
        assert.ok((await list("")).total >= 10_000);
        const res = await client(shop.url).get("/api/categories");
        assert.equal(res.status, 200);
        assert.ok(res.body.length >= 20, `${res.body.length} categories`);
        for (const c of res.body) {
          assert.deepEqual(Object.keys(c).sort(), ["id", "name", "nameEn", "productCount", "slug"]);
          assert.match(c.slug, /^[a-z0-9-]+$/);
          assert.match(c.name, /\p{Script=Han}/u, "Chinese names by default");
        }
        const first = res.body.find((c: { productCount: number }) => c.productCount > 0);
        assert.equal((await list(`category=${first.slug}`)).total, first.productCount);
      });

      it("names categories in the asked language: ?lang, else Accept-Language, else Chinese", async () => {
        const names = async (path: string, headers: Record<string, string> = {}) => {
          const res = await client(shop.url).get(path, { headers });
          assert.equal(res.status, 200, JSON.stringify(res.body));
          const tea = res.body.find((c: { slug: string }) => c.slug === "tea-and-coffee");
          return [tea.name, tea.nameEn];
        };
        const zh = ["茶饮咖啡", "Tea & Coffee"];
        const en = ["Tea & Coffee", "Tea & Coffee"];
        assert.deepEqual(await names("/api/categories"), zh);
        assert.deepEqual(await names("/api/categories?lang=en"), en);
        assert.deepEqual(
          await names("/api/categories", { "accept-language": "en-US,en;q=0.9" }),
          en,
        );
        assert.deepEqual(
          await names("/api/categories", { "accept-language": "en;q=0.5,zh-CN;q=0.8" }),
          zh,
        );
        assert.deepEqual(
          await names("/api/categories?lang=zh", { "accept-language": "en-US" }),
          zh,
          "?lang wins",
        );
        assert.deepEqual(await names("/api/categories", { "accept-language": "fr-FR" }), zh);
        const bad = await client(shop.url).get("/api/categories?lang=fr");
        assert.equal(bad.status, 422);
        // A product's categories come in the same language, in lists and in its detail.
        const [tea] = (await list("category=tea-and-coffee&pageSize=1")).rows;
        assert.ok(tea.categories.includes("茶饮咖啡"), String(tea.categories));
        const [teaEn] = (await list("category=tea-and-coffee&pageSize=1&lang=en")).rows;
        assert.ok(teaEn.categories.includes("Tea & Coffee"), String(teaEn.categories));
        const detail = async (headers: Record<string, string>) =>
          (await client(shop.url).get(`/api/products/${tea.id}`, { headers })).body.categories;
        assert.ok((await detail({ "accept-language": "en-GB" })).includes("Tea & Coffee"));
        assert.ok((await detail({ "accept-language": "zh-CN" })).includes("茶饮咖啡"));
      });

      it("is written in Chinese: every seeded product has a Chinese name and description", async () => {
        const { rows } = await list("pageSize=100");
        for (const p of rows) {
          assert.match(p.name, /\p{Script=Han}{2}/u, p.name);
          const han = p.description.match(/\p{Script=Han}/gu) ?? [];
          assert.ok(han.length >= 20, p.description);
        }
      });

      it("serves product pictures from the shop itself", async () => {
        const { rows } = await list("pageSize=3");
        for (const p of rows) {
          assert.match(p.picture, /^\/api\/pictures\/\d+\.svg$/);
          const res = await fetch(shop.url + p.picture);
          assert.equal(res.status, 200);
          assert.match(res.headers.get("content-type") ?? "", /^image\/svg\+xml/);
          assert.match(await res.text(), /^<svg /);
        }
        assert.equal((await fetch(shop.url + "/api/pictures/999999999.svg")).status, 404);
      });
    });

    describe("pagination", () => {
      it("answers the first page with 20 products and the totals", async () => {
        const page = await list("");
        assert.equal(page.rows.length, 20);
        assert.equal(page.page, 1);
        assert.equal(page.pageSize, 20);
        assert.equal(page.totalPages, Math.ceil(page.total / 20));
      });

      it("answers a page past the end with no rows and the real total", async () => {
        const first = await list("pageSize=100");
        const past = await list(`pageSize=100&page=${first.totalPages + 1}`);
        assert.deepEqual(past.rows, []);
        assert.equal(past.total, first.total);
        const last = await list(`pageSize=100&page=${first.totalPages}`);
        assert.equal(last.rows.length, first.total - 100 * (first.totalPages - 1));
      });

      it("serves pages deep in the catalog that continue each other", async () => {
        const [a, b] = await Promise.all([
          list("pageSize=25&page=380&sort=price"),
          list("pageSize=25&page=381&sort=price"),
        ]);
        assert.equal(a.rows.length, 25);
        assert.equal(b.rows.length, 25);
        const ids = new Set([...a.rows, ...b.rows].map((p) => p.id));
        assert.equal(ids.size, 50, "no product on two pages");
        assert.ok(a.rows.at(-1)!.price <= b.rows[0].price);
      });

      const bad = [
        "pageSize=101",
        "pageSize=0",
        "page=0",
        "page=abc",
        "pageSize=ten",
        "page=1.5",
        "minPrice=-1",
        "maxPrice=cheap",
        "sort=cheapest",
        "minPrice=5000&maxPrice=100",
      ];
      for (const query of bad) {
        it(`rejects ${query} with 422`, async () => {
          const res = await client(shop.url).get(`/api/products?${query}`);
          assert.equal(res.status, 422, JSON.stringify(res.body));
          assert.equal(res.body.type, "VALIDATION_ERROR");
        });
      }
    });

    describe("filters and sorts", () => {
      it("filters by category slug or id: every product is in it", async () => {
        const categories = (await client(shop.url).get("/api/categories")).body;
        const tea = categories.find((c: { slug: string }) => c.slug === "tea-and-coffee");
        const bySlug = await list("category=tea-and-coffee&pageSize=100");
        assert.equal(bySlug.total, tea.productCount);
        for (const p of bySlug.rows) assert.ok(p.categories.includes("茶饮咖啡"), p.name);
        assert.deepEqual(await list(`category=${tea.id}&pageSize=100`), bySlug);
      });

      it("answers an unknown category with no products", async () => {
        const page = await list("category=no-such-category");
        assert.deepEqual([page.rows, page.total], [[], 0]);
      });

      it("filters by an inclusive price range", async () => {
        const page = await list("minPrice=10000&maxPrice=20000&pageSize=100&sort=price");
        assert.ok(page.total > 0);
        for (const p of page.rows) assert.ok(p.price >= 10000 && p.price <= 20000, `${p.price}`);
        const exact = page.rows[0].price;
        const one = await list(`minPrice=${exact}&maxPrice=${exact}&pageSize=100`);
        assert.ok(one.rows.every((p) => p.price === exact) && one.total >= 1);
      });

      it("sorts by price both ways and newest first", async () => {
        const up = (await list("sort=price&pageSize=100")).rows.map((p) => p.price);
        const down = (await list("sort=-price&pageSize=100")).rows.map((p) => p.price);
        const newest = (await list("sort=newest&pageSize=100")).rows.map((p) => p.createdAt);
        assert.deepEqual(
          up,
          [...up].sort((x, y) => x - y),
        );
        assert.deepEqual(
          down,
          [...down].sort((x, y) => y - x),
        );
        assert.deepEqual(newest, [...newest].sort().reverse());
        assert.ok(up[0] < down[0]);
      });

      it("combines a category, a price range and a sort", async () => {
        const page = await list("category=furniture&minPrice=50000&sort=-price&pageSize=50");
        assert.ok(page.total > 0);
        const prices = page.rows.map((p) => p.price);
        assert.deepEqual(
          prices,
          [...prices].sort((x, y) => y - x),
        );
        for (const p of page.rows) {
          assert.ok(p.categories.includes("家具") && p.price >= 50000);
        }
      });
    });

    describe("search", () => {
      it("finds a product by a word of its description, or the word's beginning", async () => {
        const word = uniqueWord();
        const made = await createProduct(shop.url, merchantToken, {
          name: "Plain enamel mug",
          description: `A sturdy mug glazed in ${word} blue.`,
        });
        for (const q of [word, word.toUpperCase(), word.slice(0, 7), `enamel ${word}`]) {
          const page = await list(`q=${encodeURIComponent(q)}`);
          assert.deepEqual(
            page.rows.map((p) => p.id),
            [made.id],
            `q=${q}`,
          );
          assert.equal(page.total, 1);
        }
      });

      it("finds seeded products by words of their names and descriptions", async () => {
        const page = await list(`q=${encodeURIComponent("胡桃木")}&pageSize=100`);
        assert.ok(page.total > 0);
        for (const p of page.rows) {
          assert.match(`${p.name} ${p.description}`, /胡桃木/);
        }
      });

      it("requires every word of the query", async () => {
        const page = await list(`q=${encodeURIComponent("胡桃木 台灯")}&pageSize=100`);
        const walnut = await list(`q=${encodeURIComponent("胡桃木")}`);
        assert.ok(page.total > 0 && page.total < walnut.total);
        assert.equal(page.relaxed, undefined);
        for (const p of page.rows) {
          assert.match(`${p.name} ${p.description}`, /胡桃木/);
          assert.match(`${p.name} ${p.description}`, /台灯/);
        }
      });

      it("ranks a product named after the words above one that only describes them", async () => {
        const word = uniqueWord();
        const named = await createProduct(shop.url, merchantToken, {
          name: `The ${word} kettle`,
          description: "Boils water quickly.",
        });
        const described = await createProduct(shop.url, merchantToken, {
          name: "Stovetop kettle",
          description: `Boils water quickly, a cousin of the ${word} kettle.`,
        });
        const byRelevance = await list(`q=${word}%20kettle`);
        assert.deepEqual(
          byRelevance.rows.map((p) => p.id),
          [named.id, described.id],
        );
        // The default sort with a query is relevance; newest would put `described` first.
        assert.deepEqual(await list(`q=${word}%20kettle&sort=relevance`), byRelevance);
        const newest = await list(`q=${word}%20kettle&sort=newest`);
        assert.deepEqual(
          newest.rows.map((p) => p.id),
          [described.id, named.id],
        );
      });

      it("combines search with a category and a price range", async () => {
        const q = encodeURIComponent("茶");
        const page = await list(`q=${q}&category=tea-and-coffee&maxPrice=20000&pageSize=100`);
        assert.ok(page.total > 0);
        for (const p of page.rows) {
          assert.ok(p.categories.includes("茶饮咖啡") && p.price <= 20000);
          assert.match(`${p.name} ${p.description}`, /茶/);
        }
      });

      it("finds short words and Chinese words inside longer runs, on both databases", async () => {
        for (const [q, re] of [
          ["4k", /4k/i],
          ["耳机", /耳机/],
          ["蓝牙耳机", /^(?=.*蓝牙)(?=.*耳机)/s],
        ] as const) {
          const page = await list(`q=${encodeURIComponent(q)}&pageSize=100`);
          assert.ok(page.total > 0, q);
          for (const p of page.rows) assert.match(`${p.name} ${p.description}`, re);
        }
        const nothing = await list(`q=${encodeURIComponent("+*-")}`);
        assert.deepEqual([nothing.rows, nothing.total], [[], 0]);
      });
    });

    describe("GET /api/products/:id", () => {
      it("answers a product in API.md's shape", async () => {
        const [first] = (await list("pageSize=1")).rows;
        const res = await client(shop.url).get(`/api/products/${first.id}`);
        assert.equal(res.status, 200);
        assert.deepEqual(Object.keys(res.body).sort(), [
          "categories",
          "createdAt",
          "currency",
          "description",
          "id",
          "merchantId",
          "merchantName",
          "name",
          "picture",
          "price",
          "rating",
          "soldCount",
          "stock",
          "updatedAt",
        ]);
        assert.equal(typeof res.body.id, "string");
        assert.deepEqual(Object.keys(res.body.rating).sort(), ["average", "count"]);
        assert.ok(Number.isInteger(res.body.soldCount));
        assert.ok(Number.isInteger(res.body.price));
        // The detail is the list's row plus the merchant's display name (null for the shop's own).
        const { merchantName, ...row } = res.body;
        assert.deepEqual(row, first);
        if (first.merchantId === null) assert.equal(merchantName, null);
        else assert.ok(typeof merchantName === "string" && merchantName.length > 0, merchantName);
      });

      it("answers 404 for an unknown id and for one that cannot be an id", async () => {
        for (const id of ["999999999", "abc", "12abc", "0"]) {
          const res = await client(shop.url).get(`/api/products/${id}`);
          assert.equal(res.status, 404, id);
          assert.equal(res.body.type, "NOT_FOUND");
        }
      });
    });
  });
}
