/**
 * Merchants manage their products through HTTP, in both modes: a merchant creates products and
 * changes or deletes only their own; an admin any; customers and anonymous callers none.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { client, loginAdmin, registerUser, userWithRole } from "../helpers/http.ts";
import { createProduct, uniqueWord } from "../helpers/catalog.ts";

const modes = await testModes();

for (const mode of modes) {
  describe(`merchants' products (${mode} mode)`, () => {
    let shop: TestShop;
    let owner: { token: string; id: string };
    let rival: { token: string; id: string };
    let customerToken: string;
    let adminToken: string;

    before(async () => {
      shop = await startShop(mode);
      const [m1, m2, customer, admin] = await Promise.all([
        userWithRole(shop.url, ADMIN, "merchant", "owner"),
        userWithRole(shop.url, ADMIN, "merchant", "rival"),
        registerUser(shop.url, "customer"),
        loginAdmin(shop.url, ADMIN),
      ]);
      owner = { token: m1.accessToken, id: m1.user.id };
      rival = { token: m2.accessToken, id: m2.user.id };
      customerToken = customer.accessToken;
      adminToken = admin.accessToken;
    });
    after(async () => {
      await shop?.stop();
    });

    describe("POST /api/products", () => {
      it("creates a product the merchant owns, with categories by slug, English or Chinese name", async () => {
        const res = await client(shop.url, owner.token).post("/api/products", {
          name: "Walnut serving board",
          description: "End-grain walnut, oiled by hand.",
          price: 25900,
          stock: 12,
          categories: ["kitchen-and-dining", "Gift Ideas", "礼品推荐"],
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.headers.get("location"), `/api/products/${res.body.id}`);
        assert.equal(res.body.merchantId, owner.id);
        assert.equal(res.body.currency, "CNY");
        assert.deepEqual(res.body.categories, ["厨房餐饮", "礼品推荐"]);
        assert.equal(res.body.picture, `/api/pictures/${res.body.id}.svg`);
        const read = await client(shop.url).get(`/api/products/${res.body.id}`);
        // The detail adds the merchant's display name (by default the email's local part).
        const { merchantName, ...detail } = read.body;
        assert.deepEqual(detail, res.body);
        const profile = await client(shop.url, owner.token).get("/api/users/me");
        assert.equal(merchantName, profile.body.name);
        const listed = await client(shop.url).get("/api/products?category=kitchen-and-dining");
        assert.equal(listed.body.rows[0].id, res.body.id, "the newest product leads its category");
      });

      it("names the merchant on the product's detail, as they name themselves", async () => {
        const named = await userWithRole(shop.url, ADMIN, "merchant", "named");
        const me = await client(shop.url, named.accessToken).patch("/api/users/me", {
          name: "Walnut Works",
        });
        assert.equal(me.status, 200, JSON.stringify(me.body));
        const created = await client(shop.url, named.accessToken).post("/api/products", {
          name: "Walnut spoon",
          description: "",
          price: 3900,
          stock: 3,
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const read = await client(shop.url).get(`/api/products/${created.body.id}`);
        assert.equal(read.body.merchantName, "Walnut Works");
        assert.equal(read.body.merchantId, named.user.id);
      });

      it("lists one merchant's products with ?merchantId, and nobody else's", async () => {
        const mine = client(shop.url, rival.token);
        const a = await mine.post("/api/products", {
          name: "Rival lamp",
          description: "A lamp.",
          price: 100,
          stock: 1,
        });
        const b = await mine.post("/api/products", {
          name: "Rival rug",
          description: "A rug.",
          price: 300,
          stock: 1,
        });
        assert.equal(a.status, 201);
        const list = await client(shop.url).get(`/api/products?merchantId=${rival.id}&sort=price`);
        assert.equal(list.status, 200);
        assert.deepEqual(
          list.body.rows.map((r: { id: string }) => r.id),
          [a.body.id, b.body.id],
        );
        assert.equal(list.body.total, 2);
        const none = await client(shop.url).get("/api/products?merchantId=999999");
        assert.equal(none.body.total, 0);
        assert.equal((await client(shop.url).get("/api/products?merchantId=abc")).status, 422);
        await mine.delete(`/api/products/${b.body.id}`);
        const after = await client(shop.url).get(`/api/products?merchantId=${rival.id}`);
        assert.deepEqual(
          after.body.rows.map((r: { id: string }) => r.id),
          [a.body.id],
        );
      });

      it("forbids customers (403) and anonymous callers (401)", async () => {
        const body = { name: "X", description: "", price: 1, stock: 1 };
        assert.equal(
          (await client(shop.url, customerToken).post("/api/products", body)).status,
          403,
        );
        assert.equal((await client(shop.url).post("/api/products", body)).status, 401);
      });

      const valid = { name: "Mug", description: "A mug", price: 1000, stock: 3 };
      const bad: Array<[string, Record<string, unknown>]> = [
        ["a fractional price", { ...valid, price: 10.5 }],
        ["a negative price", { ...valid, price: -1 }],
        ["a price as a string", { ...valid, price: "1000" }],
        ["a negative stock", { ...valid, stock: -1 }],
        ["a missing name", { description: "A mug", price: 1000, stock: 3 }],
        ["an unknown category", { ...valid, categories: ["Spaceships"] }],
        ["a merchantId", { ...valid, merchantId: "1" }],
        ["an http picture", { ...valid, picture: "http://example.com/a.png" }],
        [
          "a picture on another host behind a backslash",
          { ...valid, picture: "/\\evil.example/x.png" },
        ],
        ["a protocol-relative picture", { ...valid, picture: "//evil.example/x.png" }],
        [
          "a picture path that dots its way to another host",
          { ...valid, picture: "/..//evil.example/x" },
        ],
        ["a currency that is not a code", { ...valid, currency: "yuan" }],
      ];
      for (const [what, body] of bad) {
        it(`rejects ${what} with 422`, async () => {
          const res = await client(shop.url, owner.token).post("/api/products", body);
          assert.equal(res.status, 422, JSON.stringify(res.body));
        });
      }
    });

    describe("PATCH /api/products/:id", () => {
      it("takes a picture only on this shop or over https, named in a field-level 422", async () => {
        const p = await createProduct(shop.url, owner.token);
        const api = client(shop.url, owner.token);
        const evil = await api.patch(`/api/products/${p.id}`, { picture: "/\\evil.example/x.png" });
        assert.equal(evil.status, 422, JSON.stringify(evil.body));
        assert.equal(evil.body.type, "VALIDATION_ERROR");
        assert.equal(evil.body.data[0].field, "picture");
        const cdn = await api.patch(`/api/products/${p.id}`, {
          picture: "https://cdn.example/x.png",
        });
        assert.equal(cdn.status, 200, JSON.stringify(cdn.body));
        assert.equal(cdn.body.picture, "https://cdn.example/x.png");
      });

      it("lets the owner change fields, categories and stock", async () => {
        const p = await createProduct(shop.url, owner.token, { categories: ["Home Decor"] });
        const res = await client(shop.url, owner.token).patch(`/api/products/${p.id}`, {
          price: 2500,
          stock: 40,
          categories: ["Furniture"],
          picture: "/images/lamp.png",
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.price, 2500);
        assert.equal(res.body.stock, 40);
        assert.deepEqual(res.body.categories, ["家具"]);
        assert.equal(res.body.picture, "/images/lamp.png");
        const decor = await client(shop.url).get("/api/products?category=home-decor&pageSize=100");
        assert.ok(!decor.body.rows.some((r: { id: string }) => r.id === p.id));
        const cheap = await client(shop.url).get(
          "/api/products?category=furniture&minPrice=2500&maxPrice=2500",
        );
        assert.ok(cheap.body.rows.some((r: { id: string }) => r.id === p.id));
      });

      it("forbids another merchant (403), a customer (403) and anonymous callers (401)", async () => {
        const p = await createProduct(shop.url, owner.token);
        const change = { price: 1 };
        const rivalRes = await client(shop.url, rival.token).patch(`/api/products/${p.id}`, change);
        assert.equal(rivalRes.status, 403);
        assert.equal(rivalRes.body.type, "NOT_PRODUCT_OWNER");
        assert.equal(
          (await client(shop.url, customerToken).patch(`/api/products/${p.id}`, change)).status,
          403,
        );
        assert.equal((await client(shop.url).patch(`/api/products/${p.id}`, change)).status, 401);
        assert.equal((await client(shop.url).get(`/api/products/${p.id}`)).body.price, p.price);
      });

      it("lets an admin change any product", async () => {
        const p = await createProduct(shop.url, owner.token);
        const res = await client(shop.url, adminToken).patch(`/api/products/${p.id}`, {
          name: "Renamed by the admin",
        });
        assert.equal(res.status, 200);
        assert.equal(res.body.name, "Renamed by the admin");
        assert.equal(res.body.merchantId, owner.id, "the owner stays");
      });

      it("answers 404 for an unknown product and 422 for a bad field", async () => {
        const api = client(shop.url, owner.token);
        assert.equal((await api.patch("/api/products/999999999", { price: 1 })).status, 404);
        const p = await createProduct(shop.url, owner.token);
        assert.equal((await api.patch(`/api/products/${p.id}`, { price: 1.5 })).status, 422);
        assert.equal(
          (await api.patch(`/api/products/${p.id}`, { merchantId: rival.id })).status,
          422,
        );
      });
    });

    describe("DELETE /api/products/:id", () => {
      it("forbids another merchant and customers; the owner deletes", async () => {
        const p = await createProduct(shop.url, owner.token);
        assert.equal(
          (await client(shop.url, rival.token).delete(`/api/products/${p.id}`)).status,
          403,
        );
        assert.equal(
          (await client(shop.url, customerToken).delete(`/api/products/${p.id}`)).status,
          403,
        );
        assert.equal((await client(shop.url).delete(`/api/products/${p.id}`)).status, 401);
        assert.equal(
          (await client(shop.url, owner.token).delete(`/api/products/${p.id}`)).status,
          204,
        );
      });

      it("takes a deleted product out of detail, lists, search and category counts", async () => {
        const word = uniqueWord();
        const count = async () =>
          (await client(shop.url).get("/api/categories")).body.find(
            (c: { slug: string }) => c.slug === "pet-supplies",
          ).productCount as number;
        const before = await count();
        const p = await createProduct(shop.url, owner.token, {
          description: `A ${word} toy`,
          categories: ["Pet Supplies"],
        });
        assert.equal(await count(), before + 1);
        assert.equal((await client(shop.url).get(`/api/products?q=${word}`)).body.total, 1);
        assert.equal(
          (await client(shop.url, adminToken).delete(`/api/products/${p.id}`)).status,
          204,
        );
        assert.equal((await client(shop.url).get(`/api/products/${p.id}`)).status, 404);
        const search = await client(shop.url).get(`/api/products?q=${word}`);
        assert.deepEqual([search.body.rows, search.body.total], [[], 0]);
        const pets = await client(shop.url).get("/api/products?category=pet-supplies&pageSize=100");
        assert.ok(!pets.body.rows.some((r: { id: string }) => r.id === p.id));
        const all = await client(shop.url).get("/api/products?pageSize=100");
        assert.ok(!all.body.rows.some((r: { id: string }) => r.id === p.id));
        assert.equal(await count(), before);
        // Deleting again or changing it: it is gone.
        assert.equal(
          (await client(shop.url, owner.token).delete(`/api/products/${p.id}`)).status,
          404,
        );
        const patch = await client(shop.url, owner.token).patch(`/api/products/${p.id}`, {
          stock: 1,
        });
        assert.equal(patch.status, 404);
      });
    });
  });
}
