/**
 * The account's address book and favourites through HTTP, in both modes (API.md "Addresses,
 * favourites, reviews"): CRUD and the default's rules, the limit, another user's ids (404 on
 * PATCH/DELETE and as a checkout's addressId), checkout with a saved address or saving the one
 * sent, favourites' idempotency and deleted products dropping out.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createProduct } from "../helpers/catalog.ts";
import { client, registerUser, userWithRole } from "../helpers/http.ts";
import { testModes } from "../helpers/infra.ts";
import { CARDS, newKey } from "../helpers/orders.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";

const HOME = {
  name: "张伟",
  phone: "13800138000",
  province: "浙江省",
  city: "杭州市",
  district: "西湖区",
  line1: "文三路 90 号",
  postalCode: "310012",
};
const OFFICE = { ...HOME, name: "张伟（公司）", line1: "文一西路 969 号" };

const modes = await testModes();

for (const mode of modes) {
  describe(`account: address book and favourites (${mode} mode)`, () => {
    let shop: TestShop;
    let merchantToken: string;
    let merchant: ReturnType<typeof client>;

    before(async () => {
      shop = await startShop(mode);
      merchantToken = (await userWithRole(shop.url, ADMIN, "merchant")).accessToken;
      merchant = client(shop.url, merchantToken);
    });
    after(async () => {
      await shop?.stop();
    });

    const shopper = async () =>
      client(shop.url, (await registerUser(shop.url, "acct")).accessToken);
    const product = async () =>
      (await createProduct(shop.url, merchantToken, { stock: 10, price: 1500 })).id;

    it("adds, lists (default first), changes and removes addresses; the default moves as the rules say", async () => {
      const me = await shopper();
      assert.deepEqual((await me.get("/api/users/me/addresses")).body, []);
      const first = await me.post("/api/users/me/addresses", HOME);
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.deepEqual(first.body, { id: first.body.id, isDefault: true, ...HOME, country: "CN" });
      const second = (await me.post("/api/users/me/addresses", OFFICE)).body;
      assert.equal(second.isDefault, false);
      const third = (
        await me.post("/api/users/me/addresses", { ...OFFICE, line1: "3", isDefault: true })
      ).body;
      assert.equal(third.isDefault, true);
      let list = (await me.get("/api/users/me/addresses")).body;
      assert.deepEqual(
        list.map((e: { id: string; isDefault: boolean }) => [e.id, e.isDefault]),
        [
          [third.id, true],
          [second.id, false],
          [first.body.id, false],
        ],
      );

      const patched = await me.patch(`/api/users/me/addresses/${second.id}`, {
        name: "李娜",
        isDefault: true,
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.name, "李娜");
      assert.equal(patched.body.isDefault, true);
      list = (await me.get("/api/users/me/addresses")).body;
      assert.deepEqual(
        list.filter((e: { isDefault: boolean }) => e.isDefault).map((e: { id: string }) => e.id),
        [second.id],
        "one default",
      );

      assert.equal((await me.delete(`/api/users/me/addresses/${second.id}`)).status, 204);
      list = (await me.get("/api/users/me/addresses")).body;
      assert.equal(list[0].id, third.id, "the most recent remaining one is the default");
      assert.equal(list[0].isDefault, true);
      assert.equal((await me.delete(`/api/users/me/addresses/${second.id}`)).status, 404);
    });

    it("refuses bad addresses with the checkout's types, naming the book's fields", async () => {
      const me = await shopper();
      const phone = await me.post("/api/users/me/addresses", { ...HOME, phone: "12345" });
      assert.equal(phone.status, 422);
      assert.equal(phone.body.type, "INVALID_PHONE");
      assert.equal(phone.body.data[0].field, "phone");
      const province = await me.post("/api/users/me/addresses", { ...HOME, province: "" });
      assert.equal(province.body.type, "ADDRESS_INCOMPLETE");
      const extra = await me.post("/api/users/me/addresses", { ...HOME, userId: "1" });
      assert.equal(extra.status, 422, "unknown fields are refused");
      const saved = (await me.post("/api/users/me/addresses", HOME)).body;
      const bad = await me.patch(`/api/users/me/addresses/${saved.id}`, { phone: "1" });
      assert.equal(bad.body.type, "INVALID_PHONE");
      assert.equal((await me.patch("/api/users/me/addresses/abc", { name: "x" })).status, 422);
    });

    it("holds at most 20 addresses (422 ADDRESS_BOOK_FULL)", async () => {
      const me = await shopper();
      for (let i = 0; i < 20; i++) {
        const res = await me.post("/api/users/me/addresses", { ...HOME, line1: `${i} 号` });
        assert.equal(res.status, 201);
      }
      const full = await me.post("/api/users/me/addresses", HOME);
      assert.equal(full.status, 422);
      assert.equal(full.body.type, "ADDRESS_BOOK_FULL");
      assert.equal((await me.get("/api/users/me/addresses")).body.length, 20);
    });

    it("keeps one default and the limit under concurrent requests", async () => {
      const me = await shopper();
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        made.push((await me.post("/api/users/me/addresses", { ...HOME, line1: `${i}` })).body.id);
      }
      const answers = await Promise.all([
        ...made.map((id) => me.patch(`/api/users/me/addresses/${id}`, { isDefault: true })),
        ...Array.from({ length: 20 }, (_, i) =>
          me.post("/api/users/me/addresses", { ...OFFICE, line1: `c${i}`, isDefault: i % 2 === 0 }),
        ),
        me.delete(`/api/users/me/addresses/${made[0]}`),
      ]);
      for (const res of answers) {
        assert.ok([200, 201, 204, 404, 422].includes(res.status), JSON.stringify(res.body));
        if (res.status === 422) assert.equal(res.body.type, "ADDRESS_BOOK_FULL");
      }
      const added = answers.filter((r) => r.status === 201).length;
      const removed = answers.filter((r) => r.status === 204).length;
      assert.equal(removed, 1);
      assert.ok(added >= 15, `${added} added`); // at least 15 fit whenever the removal ran
      const book = (await me.get("/api/users/me/addresses")).body;
      assert.equal(book.length, 5 + added - removed);
      assert.ok(book.length <= 20, "the limit held");
      assert.equal(book.filter((e: { isDefault: boolean }) => e.isDefault).length, 1);
      assert.equal(book[0].isDefault, true, "the default first");
    });

    it("answers another user's address as none: 404 on PATCH, DELETE and as a checkout's addressId", async () => {
      const owner = await shopper();
      const other = await shopper();
      const mine = (await owner.post("/api/users/me/addresses", HOME)).body;
      const patch = await other.patch(`/api/users/me/addresses/${mine.id}`, { name: "Mallory" });
      assert.equal(patch.status, 404);
      assert.equal(patch.body.type, "NOT_FOUND");
      assert.equal((await other.delete(`/api/users/me/addresses/${mine.id}`)).status, 404);
      assert.deepEqual((await other.get("/api/users/me/addresses")).body, []);
      await other.post("/api/cart/items", { productId: await product(), quantity: 1 });
      const stolen = await other.post(
        "/api/checkout",
        { addressId: mine.id },
        { headers: { "idempotency-key": newKey() } },
      );
      assert.equal(stolen.status, 404);
      assert.equal(stolen.body.type, "NOT_FOUND");
      const untouched = (await owner.get("/api/users/me/addresses")).body;
      assert.equal(untouched[0].name, HOME.name);
    });

    it("checks out to a saved address (a copy: later edits leave the order alone)", async () => {
      const me = await shopper();
      const saved = (await me.post("/api/users/me/addresses", HOME)).body;
      await me.post("/api/cart/items", { productId: await product(), quantity: 1 });
      const key = { headers: { "idempotency-key": newKey() } };
      const res = await me.post("/api/checkout", { addressId: saved.id, card: CARDS.ok }, key);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(res.body.address, { ...HOME, country: "CN" });
      assert.equal(res.body.status, "paid");
      await me.patch(`/api/users/me/addresses/${saved.id}`, { name: "改名" });
      const order = (await me.get(`/api/orders/${res.body.id}`)).body;
      assert.equal(order.address.name, HOME.name);
    });

    it("takes exactly one of address and addressId (422 otherwise)", async () => {
      const me = await shopper();
      const saved = (await me.post("/api/users/me/addresses", HOME)).body;
      await me.post("/api/cart/items", { productId: await product(), quantity: 1 });
      for (const body of [{}, { address: HOME, addressId: saved.id }]) {
        const res = await me.post("/api/checkout", body, {
          headers: { "idempotency-key": newKey() },
        });
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.equal(res.body.type, "VALIDATION_ERROR");
      }
    });

    it("saves the checkout's address to the book when asked, once", async () => {
      const me = await shopper();
      await me.post("/api/cart/items", { productId: await product(), quantity: 1 });
      const res = await me.post(
        "/api/checkout",
        { address: OFFICE, saveAddress: true },
        { headers: { "idempotency-key": newKey() } },
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      let book = (await me.get("/api/users/me/addresses")).body;
      assert.equal(book.length, 1);
      assert.deepEqual(book[0], { id: book[0].id, isDefault: true, ...OFFICE, country: "CN" });
      await me.post("/api/cart/items", { productId: await product(), quantity: 1 });
      await me.post(
        "/api/checkout",
        { address: OFFICE, saveAddress: true },
        { headers: { "idempotency-key": newKey() } },
      );
      book = (await me.get("/api/users/me/addresses")).body;
      assert.equal(book.length, 1, "an address already in the book is not saved twice");
    });

    it("keeps favourites idempotently; unknown products 404; deleted ones drop out", async () => {
      const me = await shopper();
      const [a, b, c] = [await product(), await product(), await product()];
      for (const id of [a, b, b, c]) {
        assert.equal((await me.put(`/api/users/me/favorites/${id}`)).status, 204);
      }
      let page = (await me.get("/api/users/me/favorites?pageSize=2")).body;
      assert.equal(page.total, 3);
      assert.deepEqual(
        page.rows.map((p: { id: string }) => p.id),
        [c, b],
        "the most recently added first",
      );
      assert.equal(page.totalPages, 2);
      assert.equal((await me.delete(`/api/users/me/favorites/${b}`)).status, 204);
      assert.equal((await me.delete(`/api/users/me/favorites/${b}`)).status, 204);
      assert.equal((await me.put("/api/users/me/favorites/999999999")).status, 404);
      assert.equal((await me.put("/api/users/me/favorites/abc")).status, 404);
      assert.equal((await merchant.delete(`/api/products/${c}`)).status, 204);
      assert.equal((await me.put(`/api/users/me/favorites/${c}`)).status, 404, "deleted");
      page = (await me.get("/api/users/me/favorites")).body;
      assert.deepEqual(
        page.rows.map((p: { id: string }) => p.id),
        [a],
      );
      assert.equal(page.total, 1);
      assert.deepEqual(Object.keys(page.rows[0]).sort(), [
        "currency",
        "id",
        "merchantId",
        "name",
        "picture",
        "price",
        "stock",
      ]);
      const other = await shopper();
      assert.equal((await other.get("/api/users/me/favorites")).body.total, 0, "each their own");
    });

    it("needs a login", async () => {
      const anon = client(shop.url);
      assert.equal((await anon.get("/api/users/me/addresses")).status, 401);
      assert.equal((await anon.put("/api/users/me/favorites/1")).status, 401);
    });
  });
}
