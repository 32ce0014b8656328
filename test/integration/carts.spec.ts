/**
 * Carts through HTTP, in both modes: each user manages their own cart; lines are checked against
 * the catalog (stock, deleted products) and totals come from current catalog prices.
 */
import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { client, registerUser, userWithRole } from "../helpers/http.ts";
import { createProduct, type ProductBody } from "../helpers/catalog.ts";

const modes = await testModes();

for (const mode of modes) {
  describe(`carts (${mode} mode)`, () => {
    let shop: TestShop;
    let merchantToken: string;
    let mug: ProductBody;
    let lamp: ProductBody;
    let user: ReturnType<typeof client>;

    before(async () => {
      shop = await startShop(mode);
      merchantToken = (await userWithRole(shop.url, ADMIN, "merchant")).accessToken;
      mug = await createProduct(shop.url, merchantToken, { name: "Mug", price: 1999, stock: 5 });
      lamp = await createProduct(shop.url, merchantToken, {
        name: "Lamp",
        price: 12900,
        stock: 50,
      });
    });
    after(async () => {
      await shop?.stop();
    });
    beforeEach(async () => {
      user = client(shop.url, (await registerUser(shop.url, "shopper")).accessToken);
    });

    it("after a checkout removes the ordered lines only, unless they changed since (idempotent)", async () => {
      const shopper = await registerUser(shop.url, "shopper");
      const mine = client(shop.url, shopper.accessToken);
      await mine.post("/api/cart/items", { productId: mug.id, quantity: 1 });
      await mine.post("/api/cart/items", { productId: lamp.id, quantity: 1 });
      await new Promise((r) => setTimeout(r, 20));
      const before = new Date().toISOString(); // the checkout reads the cart here
      await new Promise((r) => setTimeout(r, 20));
      await mine.post("/api/cart/items", { productId: lamp.id, quantity: 1 }); // changed since
      const meta = { user: { id: shopper.user.id, role: "customer" } };
      const removeOrdered = () =>
        shop.nodes[shop.nodes.length - 1].broker.call(
          "carts.removeOrdered",
          { productIds: [mug.id, lamp.id], before },
          { meta },
        );
      await removeOrdered();
      await removeOrdered(); // the outbox delivers at least once
      const left = (await mine.get("/api/cart")).body.items.map(
        (i: { productId: string; quantity: number }) => [i.productId, i.quantity],
      );
      assert.deepEqual(left, [[lamp.id, 2]], "the line changed after the checkout's read stays");
    });

    it("starts empty", async () => {
      const res = await user.get("/api/cart");
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { items: [], subtotal: 0, currency: "CNY", itemCount: 0 });
    });

    it("adds lines at catalog prices and merges a product into its line", async () => {
      assert.equal(
        (await user.post("/api/cart/items", { productId: mug.id, quantity: 1 })).status,
        200,
      );
      await user.post("/api/cart/items", { productId: lamp.id, quantity: 2 });
      const res = await user.post("/api/cart/items", { productId: mug.id, quantity: 2 });
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.items.map((i: { productId: string; quantity: number }) => [
          i.productId,
          i.quantity,
        ]),
        [
          [mug.id, 3],
          [lamp.id, 2],
        ],
      );
      assert.deepEqual(res.body.items[0].product, {
        id: mug.id,
        name: "Mug",
        price: 1999,
        currency: "CNY",
        stock: 5,
        picture: mug.picture,
        merchantId: mug.merchantId,
        available: true,
      });
      assert.equal(res.body.items[0].lineTotal, 3 * 1999);
      assert.equal(res.body.subtotal, 3 * 1999 + 2 * 12900);
      assert.equal(res.body.itemCount, 5);
      assert.deepEqual((await user.get("/api/cart")).body, res.body);
    });

    it("sets a quantity, removes with 0, removes a line, and empties the cart", async () => {
      await user.post("/api/cart/items", { productId: mug.id, quantity: 1 });
      await user.post("/api/cart/items", { productId: lamp.id, quantity: 1 });
      const set = await user.put(`/api/cart/items/${lamp.id}`, { quantity: 7 });
      assert.equal(set.status, 200);
      assert.equal(set.body.items[1].quantity, 7);
      const zero = await user.put(`/api/cart/items/${mug.id}`, { quantity: 0 });
      assert.deepEqual(
        zero.body.items.map((i: { productId: string }) => i.productId),
        [lamp.id],
      );
      const removed = await user.delete(`/api/cart/items/${lamp.id}`);
      assert.equal(removed.status, 200);
      assert.deepEqual(removed.body.items, []);
      await user.put(`/api/cart/items/${mug.id}`, { quantity: 2 });
      const cleared = await user.delete("/api/cart");
      assert.equal(cleared.status, 204);
      assert.deepEqual((await user.get("/api/cart")).body.items, []);
      assert.equal((await user.delete(`/api/cart/items/${lamp.id}`)).status, 200, "idempotent");
    });

    it("shows a new catalog price in the cart", async () => {
      const p = await createProduct(shop.url, merchantToken, { price: 1000, stock: 5 });
      await user.post("/api/cart/items", { productId: p.id, quantity: 2 });
      await client(shop.url, merchantToken).patch(`/api/products/${p.id}`, { price: 1500 });
      const cart = (await user.get("/api/cart")).body;
      assert.equal(cart.items[0].product.price, 1500);
      assert.equal(cart.subtotal, 3000);
    });

    describe("quantities", () => {
      const bad: Array<[string, unknown]> = [
        ["0", 0],
        ["-1", -1],
        ["1.5", 1.5],
        ['"abc"', "abc"],
        ['"2" (a string)', "2"],
        ["100", 100],
        ["null", null],
      ];
      for (const [what, quantity] of bad) {
        it(`rejects adding a quantity of ${what} with 422`, async () => {
          const res = await user.post("/api/cart/items", { productId: mug.id, quantity });
          assert.equal(res.status, 422, JSON.stringify(res.body));
          assert.equal(res.body.type, "VALIDATION_ERROR");
          assert.deepEqual((await user.get("/api/cart")).body.items, []);
        });
        if (quantity !== 0) {
          it(`rejects setting a quantity of ${what} with 422`, async () => {
            const res = await user.put(`/api/cart/items/${mug.id}`, { quantity });
            assert.equal(res.status, 422, JSON.stringify(res.body));
          });
        }
      }

      it("rejects a missing quantity or product with 422", async () => {
        assert.equal((await user.post("/api/cart/items", { productId: mug.id })).status, 422);
        assert.equal((await user.post("/api/cart/items", { quantity: 1 })).status, 422);
        assert.equal((await user.put(`/api/cart/items/${mug.id}`, {})).status, 422);
      });

      it("keeps a line at 99 at most, also when adding merges past it", async () => {
        await user.post("/api/cart/items", { productId: lamp.id, quantity: 49 });
        const res = await user.post("/api/cart/items", { productId: lamp.id, quantity: 1 });
        assert.equal(res.status, 200);
        const big = await createProduct(shop.url, merchantToken, { stock: 500 });
        await user.post("/api/cart/items", { productId: big.id, quantity: 60 });
        const over = await user.post("/api/cart/items", { productId: big.id, quantity: 40 });
        assert.equal(over.status, 422);
        assert.equal(over.body.type, "QUANTITY_LIMIT");
        const cart = (await user.get("/api/cart")).body;
        assert.equal(
          cart.items.find((i: { productId: string }) => i.productId === big.id).quantity,
          60,
        );
      });

      it("answers 409 OUT_OF_STOCK for more than the stock, also through merging", async () => {
        const over = await user.post("/api/cart/items", { productId: mug.id, quantity: 6 });
        assert.equal(over.status, 409);
        assert.equal(over.body.type, "OUT_OF_STOCK");
        assert.deepEqual(over.body.data, [{ productId: mug.id, requested: 6, available: 5 }]);
        await user.post("/api/cart/items", { productId: mug.id, quantity: 3 });
        const merged = await user.post("/api/cart/items", { productId: mug.id, quantity: 3 });
        assert.equal(merged.status, 409);
        assert.equal((await user.put(`/api/cart/items/${mug.id}`, { quantity: 6 })).status, 409);
        assert.equal((await user.get("/api/cart")).body.items[0].quantity, 3, "unchanged");
      });
    });

    describe("concurrent adds", () => {
      /** Sends `n` adds of one product at once; the statuses and the final line. */
      async function addAtOnce(productId: string, quantity: number, n = 30) {
        const replies = await Promise.all(
          Array.from({ length: n }, () => user.post("/api/cart/items", { productId, quantity })),
        );
        const cart = (await user.get("/api/cart")).body;
        const line = cart.items.find((i: { productId: string }) => i.productId === productId);
        const answered = replies
          .filter((r) => r.status === 200)
          .map((r) => r.body.items.find((i: { productId: string }) => i.productId === productId));
        return { replies, final: line?.quantity ?? 0, answered: answered.map((l) => l.quantity) };
      }

      it("keeps every increment of 30 adds of the same product at once", async () => {
        const p = await createProduct(shop.url, merchantToken, { stock: 500 });
        const { replies, final, answered } = await addAtOnce(p.id, 1);
        assert.deepEqual(
          replies.map((r) => r.status),
          replies.map(() => 200),
          JSON.stringify(replies.find((r) => r.status !== 200)?.body),
        );
        assert.equal(final, 30);
        assert.equal(Math.max(...answered), 30, "the last add answers the final quantity");
      });

      it("never passes 99 when adds at once merge past it (422 for the rest)", async () => {
        const p = await createProduct(shop.url, merchantToken, { stock: 500 });
        const { replies, final } = await addAtOnce(p.id, 4);
        const ok = replies.filter((r) => r.status === 200).length;
        assert.equal(ok, 24, "24 × 4 = 96 fit, a 25th would make 100");
        assert.equal(final, 96);
        for (const r of replies.filter((x) => x.status !== 200)) {
          assert.equal(r.status, 422);
          assert.equal(r.body.type, "QUANTITY_LIMIT");
        }
      });

      it("never passes the stock when adds at once merge past it (409 for the rest)", async () => {
        const p = await createProduct(shop.url, merchantToken, { stock: 50 });
        const { replies, final } = await addAtOnce(p.id, 3);
        const ok = replies.filter((r) => r.status === 200).length;
        assert.equal(ok, 16, "16 × 3 = 48 fit in a stock of 50");
        assert.equal(final, 48);
        for (const r of replies.filter((x) => x.status !== 200)) {
          assert.equal(r.status, 409);
          assert.equal(r.body.type, "OUT_OF_STOCK");
          assert.ok(r.body.data[0].requested > 50, JSON.stringify(r.body.data));
        }
      });
    });

    describe("products", () => {
      it("answers 404 for an unknown product", async () => {
        for (const productId of ["999999999", "abc", "12abc"]) {
          const res = await user.post("/api/cart/items", { productId, quantity: 1 });
          assert.equal(res.status, 404, productId);
          assert.equal(res.body.type, "NOT_FOUND");
        }
        assert.equal((await user.put("/api/cart/items/999999999", { quantity: 1 })).status, 404);
      });

      it("answers 404 for a deleted product", async () => {
        const p = await createProduct(shop.url, merchantToken);
        await client(shop.url, merchantToken).delete(`/api/products/${p.id}`);
        const res = await user.post("/api/cart/items", { productId: p.id, quantity: 1 });
        assert.equal(res.status, 404);
      });

      it("shows a product deleted after it was added as unavailable, out of the totals", async () => {
        const p = await createProduct(shop.url, merchantToken, { price: 700, stock: 3 });
        await user.post("/api/cart/items", { productId: p.id, quantity: 2 });
        await user.post("/api/cart/items", { productId: mug.id, quantity: 1 });
        await client(shop.url, merchantToken).delete(`/api/products/${p.id}`);
        const res = await user.get("/api/cart");
        assert.equal(res.status, 200);
        const gone = res.body.items.find((i: { productId: string }) => i.productId === p.id);
        assert.equal(gone.product.available, false);
        assert.equal(gone.lineTotal, 0);
        assert.equal(res.body.subtotal, 1999);
        assert.equal(res.body.itemCount, 1);
        // The user can still remove it.
        const removed = await user.delete(`/api/cart/items/${p.id}`);
        assert.equal(removed.body.items.length, 1);
      });
    });

    describe("privacy", () => {
      it("never shows or changes another user's cart", async () => {
        const other = client(shop.url, (await registerUser(shop.url, "other")).accessToken);
        await user.post("/api/cart/items", { productId: mug.id, quantity: 2 });
        assert.deepEqual((await other.get("/api/cart")).body.items, []);
        await other.delete(`/api/cart/items/${mug.id}`);
        await other.delete("/api/cart");
        assert.equal((await user.get("/api/cart")).body.items[0].quantity, 2);
      });

      it("never takes a price, user id or total from the client", async () => {
        const me = (await user.get("/api/users/me")).body;
        const attempts: Array<Record<string, unknown>> = [
          { productId: mug.id, quantity: 1, price: 1 },
          { productId: mug.id, quantity: 1, userId: "1" },
          { productId: mug.id, quantity: 1, total: 1 },
        ];
        for (const body of attempts) {
          assert.equal((await user.post("/api/cart/items", body)).status, 422);
        }
        assert.equal(
          (await user.put(`/api/cart/items/${mug.id}?userId=1`, { quantity: 1 })).status,
          422,
        );
        const cart = (await user.post("/api/cart/items", { productId: mug.id, quantity: 1 })).body;
        assert.equal(cart.subtotal, 1999);
        assert.ok(me.id);
      });

      it("leaves no cart behind a deleted account", async () => {
        const gone = await registerUser(shop.url, "leaving");
        const api = client(shop.url, gone.accessToken);
        await api.post("/api/cart/items", { productId: mug.id, quantity: 1 });
        assert.equal((await api.delete("/api/users/me")).status, 204);
        const meta = { user: { id: gone.user.id, role: "customer" } };
        const cartOf = () =>
          shop.nodes[0].broker.call<{ items: unknown[] }, object>("carts.get", {}, { meta });
        // user.deleted is an event: the cart goes right after the account.
        for (let i = 0; (await cartOf()).items.length > 0; i += 1) {
          assert.ok(i < 200, "the cart was not emptied");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      });

      it("requires a login (401)", async () => {
        const anon = client(shop.url);
        assert.equal((await anon.get("/api/cart")).status, 401);
        assert.equal(
          (await anon.post("/api/cart/items", { productId: mug.id, quantity: 1 })).status,
          401,
        );
        assert.equal((await anon.delete("/api/cart")).status, 401);
      });
    });
  });
}
