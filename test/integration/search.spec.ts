/**
 * Search as shoppers type, measured against a fixed catalog (test/fixtures/search-catalog.ts) in
 * both modes: Chinese words of any length, also inside longer runs; mixed queries; short Latin
 * tokens; English plurals and prefixes; relaxed answers when no product has every word; the
 * ranking; bad queries; a product's search tokens following its changes.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { client, userWithRole } from "../helpers/http.ts";
import { createProduct } from "../helpers/catalog.ts";
import { CASES, PRODUCTS, RANKINGS, type Key } from "../fixtures/search-catalog.ts";

const modes = await testModes();

for (const mode of modes) {
  describe(`search (${mode} mode)`, () => {
    let shop: TestShop;
    let merchant: string;
    const idOf = new Map<Key, string>();
    const keyOf = new Map<string, Key>();

    /** The keys of the products a query returns, best first (fixture products only). */
    async function search(q: string, extra = "") {
      const res = await client(shop.url).get(
        `/api/products?pageSize=100&q=${encodeURIComponent(q)}${extra}`,
      );
      assert.equal(res.status, 200, `${q}: ${JSON.stringify(res.body)}`);
      const keys = (res.body.rows as { id: string }[]).map((r) => keyOf.get(r.id) ?? r.id);
      return { keys, body: res.body };
    }

    before(async () => {
      shop = await startShop(mode);
      merchant = (await userWithRole(shop.url, ADMIN, "merchant", "search")).accessToken;
      for (const [key, p] of Object.entries(PRODUCTS) as [Key, (typeof PRODUCTS)[Key]][]) {
        const made = await createProduct(shop.url, merchant, p);
        idOf.set(key, made.id);
        keyOf.set(made.id, key);
      }
    });
    after(async () => {
      await shop?.stop();
    });

    it(`answers ${CASES.length} Chinese, English and mixed queries with what they must and must not find`, async () => {
      const failures: string[] = [];
      for (const c of CASES) {
        const { keys, body } = await search(c.q);
        const missing = c.must.filter((k) => !keys.includes(k));
        const wrong = (c.not ?? []).filter((k) => keys.includes(k));
        if (missing.length || wrong.length) {
          failures.push(
            `${c.q}: missing ${missing.join(",")} wrong ${wrong.join(",")} got ${keys}`,
          );
        }
        if (Boolean(body.relaxed) !== Boolean(c.relaxed)) {
          failures.push(`${c.q}: relaxed ${body.relaxed}, expected ${Boolean(c.relaxed)}`);
        }
        if (body.total !== keys.length)
          failures.push(`${c.q}: total ${body.total} ≠ ${keys.length} rows`);
      }
      assert.deepEqual(failures, []);
    });

    it("ranks a word in the name above one in the description, a whole word above a fragment", async () => {
      for (const r of RANKINGS) {
        const { keys } = await search(r.q);
        const last = Math.max(...r.first.map((k) => keys.indexOf(k)));
        assert.ok(!r.first.some((k) => keys.indexOf(k) < 0), `${r.q}: ${keys}`);
        for (const k of r.then) {
          assert.ok(keys.indexOf(k) > last, `${r.q}: ${r.first} before ${k}, got ${keys}`);
        }
      }
      // "earbuds": the product with the word in its name leads the one that has it only in its
      // description... and none other has it.
      assert.equal((await search("earbuds")).keys[0], "ankerEarbuds");
    });

    it("searches within a category and a price range, and pages a relaxed answer", async () => {
      const cheap = await search("耳机", "&maxPrice=1999");
      assert.ok(cheap.keys.includes("btEarbuds"));
      const page = await client(shop.url).get(
        `/api/products?pageSize=1&page=2&q=${encodeURIComponent("华为 电视")}`,
      );
      assert.equal(page.status, 200);
      assert.equal(page.body.relaxed, true);
      assert.equal(page.body.rows.length, 1);
      assert.ok(page.body.total >= 4);
    });

    it("a merchant's new or renamed product is found by its new words at once", async () => {
      const p = await createProduct(shop.url, merchant, {
        name: "折叠自行车 20寸",
        description: "铝合金车架，通勤代步。",
      });
      assert.ok((await search("自行车")).keys.includes(p.id));
      const renamed = await client(shop.url, merchant).patch(`/api/products/${p.id}`, {
        name: "电动滑板车 Folding Scooter",
      });
      assert.equal(renamed.status, 200);
      assert.ok(!(await search("自行车")).keys.includes(p.id), "the old name is gone");
      assert.ok((await search("滑板车")).keys.includes(p.id));
      assert.ok((await search("scooters")).keys.includes(p.id));
      assert.ok((await search("铝合金")).keys.includes(p.id), "the description still counts");
      await client(shop.url, merchant).delete(`/api/products/${p.id}`);
      assert.ok(!(await search("滑板车")).keys.includes(p.id), "deleted products are not found");
    });

    it("bad queries get a 422 or an empty page, never a 5xx", async () => {
      const api = client(shop.url);
      const long = await api.get(`/api/products?q=${encodeURIComponent("耳机".repeat(150))}`);
      assert.equal(long.status, 422, JSON.stringify(long.body));
      assert.equal(long.body.type, "VALIDATION_ERROR");
      for (const q of ["耳机\u0000", "a\u0007b", "\u001b[31m"]) {
        const res = await api.get(`/api/products?q=${encodeURIComponent(q)}`);
        assert.equal(res.status, 422, `${JSON.stringify(q)}: ${JSON.stringify(res.body)}`);
      }
      for (const q of ["!!!", "？？、。", '"*+-()<>~@', "*", "“”《》"]) {
        const res = await api.get(`/api/products?q=${encodeURIComponent(q)}`);
        assert.equal(res.status, 200, `${q}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.total, 0);
      }
      for (const q of [
        "'; DROP TABLE products; --",
        "a b c d e f g h i j k l",
        "耳 机 降 噪 华 为 手 机 电",
      ]) {
        const res = await api.get(`/api/products?q=${encodeURIComponent(q)}`);
        assert.ok(res.status < 500, `${q}: ${res.status}`);
      }
    });
  });
}
