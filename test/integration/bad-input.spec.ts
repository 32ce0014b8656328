/**
 * Bad input gets a clear 422, never a 500 or a silent wrong (API.md, Conventions), in both modes:
 * control characters in text, null for typed fields, numbers in query strings that are not
 * plain decimals, addresses that are not canonical; and unban/unblock are idempotent alike.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { client, loginAdmin, registerUser, userWithRole } from "../helpers/http.ts";
import { createProduct, type ProductBody } from "../helpers/catalog.ts";

const modes = await testModes();

for (const mode of modes) {
  describe(`bad input (${mode} mode)`, () => {
    let shop: TestShop;
    let anonymous: ReturnType<typeof client>;
    let admin: ReturnType<typeof client>;
    let merchant: ReturnType<typeof client>;
    let product: ProductBody;

    before(async () => {
      shop = await startShop(mode);
      anonymous = client(shop.url);
      admin = client(shop.url, (await loginAdmin(shop.url, ADMIN)).accessToken);
      const seller = await userWithRole(shop.url, ADMIN, "merchant");
      merchant = client(shop.url, seller.accessToken);
      product = await createProduct(shop.url, seller.accessToken, { price: 1500, stock: 7 });
    });
    after(async () => {
      await shop?.stop();
    });

    it("refuses a NUL byte in login's email, register's, a category and the user search (422)", async () => {
      const login = await anonymous.post("/api/auth/login", {
        email: `${ADMIN.email}\u0000`,
        password: ADMIN.password,
      });
      assert.equal(login.status, 422, JSON.stringify(login.body));
      assert.equal(login.body.type, "VALIDATION_ERROR");
      const register = await anonymous.post("/api/auth/register", {
        email: `${ADMIN.email}\u0000`,
        password: "a-long-enough-password",
      });
      assert.equal(register.status, 422, JSON.stringify(register.body));
      const lookalikes = await admin.get(`/api/admin/users?q=${encodeURIComponent("admin@")}`);
      assert.deepEqual(
        lookalikes.body.rows.map((u: { email: string }) => u.email),
        [ADMIN.email],
        "no account that looks like the admin's was stored",
      );
      for (const path of [
        "/api/products?category=%00",
        "/api/products?q=phone%00",
        "/api/products/%00",
      ]) {
        const res = await anonymous.get(path);
        assert.equal(res.status, 422, `${path}: ${JSON.stringify(res.body)}`);
      }
      const search = await admin.get("/api/admin/users?q=%00");
      assert.equal(search.status, 422, JSON.stringify(search.body));
    });

    it("keeps tab and newline in a product's description, and nothing else", async () => {
      const ok = await merchant.patch(`/api/products/${product.id}`, {
        description: "Line one\n\tLine two",
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.description, "Line one\n\tLine two");
      const bell = await merchant.patch(`/api/products/${product.id}`, { description: "a\u0007" });
      assert.equal(bell.status, 422);
      const name = await merchant.patch(`/api/products/${product.id}`, { name: "Mug\nLamp" });
      assert.equal(name.status, 422);
    });

    it("refuses null for typed fields with 422 and changes nothing", async () => {
      for (const field of ["price", "name", "stock", "categories", "currency"]) {
        const res = await merchant.patch(`/api/products/${product.id}`, { [field]: null });
        assert.equal(res.status, 422, `${field}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.data[0].field, field);
      }
      const after = await anonymous.get(`/api/products/${product.id}`);
      assert.equal(after.body.price, 1500);
      assert.equal(after.body.stock, 7);
      const cleared = await merchant.patch(`/api/products/${product.id}`, { picture: null });
      assert.equal(cleared.status, 200, "picture is nullable: null means the shop draws one");

      const me = client(shop.url, (await registerUser(shop.url)).accessToken);
      for (const body of [{ password: null }, { name: null }, { currentPassword: null }]) {
        const res = await me.patch("/api/users/me", body);
        assert.equal(res.status, 422, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      }
    });

    it("takes numbers in query strings as plain decimals only", async () => {
      for (const query of [
        "page=0x10",
        "maxPrice=",
        "minPrice=1e3",
        "pageSize=%2010",
        "page=1&page=2",
      ]) {
        const res = await anonymous.get(`/api/products?${query}`);
        assert.equal(res.status, 422, `${query}: ${JSON.stringify(res.body)}`);
      }
      const page = await anonymous.get("/api/products?page=2&pageSize=1&maxPrice=100000");
      assert.equal(page.status, 200);
      assert.equal(page.body.page, 2);
    });

    it("blocks canonical addresses only: 1.2.3 is not 1.2.0.3", async () => {
      for (const ip of ["1.2.3", "127.1", "0x7f.0.0.1", "01.2.3.4", "1.2.3.4/33", "fe80::1%eth0"]) {
        const res = await admin.put(`/api/admin/access/blacklist/ips/${encodeURIComponent(ip)}`);
        assert.equal(res.status, 422, `${ip}: ${JSON.stringify(res.body)}`);
      }
      const ips = (await admin.get("/api/admin/access")).body.blacklist.ips;
      assert.deepEqual(ips, [], "nothing was blocked");
      const ok = await admin.put(
        `/api/admin/access/blacklist/ips/${encodeURIComponent("203.0.113.0/24")}`,
      );
      assert.equal(ok.status, 200);
      assert.equal(ok.body.ip, "203.0.113.0/24");
      await admin.delete(`/api/admin/access/blacklist/ips/${encodeURIComponent("203.0.113.0/24")}`);
    });

    it("lifts bans and blocks idempotently: 200 also when there is none", async () => {
      for (let i = 0; i < 2; i++) {
        const unban = await admin.delete("/api/admin/access/blacklist/users/987654321");
        assert.equal(unban.status, 200, JSON.stringify(unban.body));
        assert.equal(unban.body.banned, false);
        const unblock = await admin.delete(
          `/api/admin/access/blacklist/ips/${encodeURIComponent("198.51.100.7")}`,
        );
        assert.equal(unblock.status, 200, JSON.stringify(unblock.body));
        assert.deepEqual(unblock.body, { blocked: false, ip: "198.51.100.7/32" });
      }
    });
  });
}
