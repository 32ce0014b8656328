/**
 * Reviews, ratings and sold counts through HTTP (API.md "Addresses, favourites, reviews"), in the
 * embedded mode and in cluster mode (users, orders, payments and the catalog on separate brokers
 * over NATS, two gateways, MariaDB, Redis).
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { client, loginAdmin, registerUser, userWithRole } from "../helpers/http.ts";
import type { Catalog, Shopper } from "../helpers/order-catalog.ts";
import { ADDRESS, CARDS, checkout, eventually, pool, shopperWithCart } from "../helpers/orders.ts";
import { ordersModes, useOrdersShop } from "../helpers/orders-suite.ts";
import { ADMIN, type TestShop } from "../helpers/shop.ts";

const modes = await ordersModes();

interface Merchant {
  accessToken: string;
  user: { id: string };
}

for (const mode of modes) {
  describe(`reviews (${mode} mode)`, () => {
    const suite = useOrdersShop(mode);
    let shop: TestShop;
    let catalog: Catalog;
    let admin: ReturnType<typeof client>;
    let merchant: Merchant;
    before(async () => {
      ({ shop, catalog } = suite);
      admin = client(shop.url, (await loginAdmin(shop.url, ADMIN)).accessToken);
      merchant = await userWithRole(shop.url, ADMIN, "merchant");
    });
    const api = (s: { accessToken: string }) => client(shop.url, s.accessToken);

    /** A product of `owner` (the suite's merchant by default). */
    async function product(stock = 100, owner: Merchant = merchant): Promise<string> {
      const res = await api(owner).post("/api/products", {
        name: `Review product ${randomBytes(3).toString("hex")}`,
        description: "A product for the reviews tests",
        price: 1000,
        stock,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return String(res.body.id);
    }

    /** A paid order (checkout with a card pays it at once) of the lines, for a new buyer. */
    async function paidOrder(lines: Array<[string, number]>, buyer?: Shopper) {
      const shopper = buyer ?? (await shopperWithCart(shop.url, catalog, lines));
      if (buyer) for (const [p, q] of lines) await catalog.addToCart(buyer, p, q);
      const res = await checkout(shop.url, shopper, { address: ADDRESS, card: CARDS.ok });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.status, "paid");
      return { shopper, order: res.body as { id: string; status: string } };
    }

    async function completedOrder(lines: Array<[string, number]>, buyer?: Shopper) {
      const o = await paidOrder(lines, buyer);
      for (const status of ["shipped", "completed"]) {
        const res = await admin.patch(`/api/admin/orders/${o.order.id}`, { status });
        assert.equal(res.status, 200, JSON.stringify(res.body));
      }
      return o;
    }

    const getProduct = async (id: string) =>
      (await client(shop.url).get(`/api/products/${id}`)).body;

    const soldCountIs = (id: string, expected: number) =>
      eventually(`soldCount ${expected} of ${id}`, async () => {
        const p = await getProduct(id);
        return p.soldCount === expected ? p : undefined;
      });

    describe("POST /api/orders/:id/reviews", () => {
      it("lets only the buyer of a completed order's line review it, once", async () => {
        const a = await product();
        const b = await product();
        const { shopper, order } = await completedOrder([[a, 1]]);
        const stranger = await registerUser(shop.url, "stranger");
        const path = `/api/orders/${order.id}/reviews`;

        const theirs = await api(stranger).post(path, { productId: a, rating: 5 });
        assert.equal(theirs.status, 404, JSON.stringify(theirs.body));
        const notALine = await api(shopper).post(path, { productId: b, rating: 5 });
        assert.equal(notALine.status, 404);
        assert.equal((await client(shop.url).post(path, { productId: a, rating: 5 })).status, 401);
        for (const rating of [0, 6, 4.5, "5"]) {
          const bad = await api(shopper).post(path, { productId: a, rating });
          assert.equal(bad.status, 422, `rating ${JSON.stringify(rating)}`);
        }
        const tooLong = await api(shopper).post(path, {
          productId: a,
          rating: 5,
          text: "好".repeat(2001),
        });
        assert.equal(tooLong.status, 422);

        const text = '<b>很好</b> & "great"\n第二行';
        const created = await api(shopper).post(path, { productId: a, rating: 4, text });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.equal(created.body.productId, a);
        assert.equal(created.body.orderId, order.id);
        assert.equal(created.body.rating, 4);
        assert.equal(created.body.text, text, "stored as given");
        assert.equal(created.body.reply, null);
        assert.equal(typeof created.body.author.name, "string");
        assert.ok(created.body.author.name.length > 0);

        const again = await api(shopper).post(path, { productId: a, rating: 1 });
        assert.equal(again.status, 409);
        assert.equal(again.body.type, "ALREADY_REVIEWED");
        const p = await getProduct(a);
        assert.deepEqual(p.rating, { average: 4, count: 1 });
      });

      it("refuses a line of an order that is not completed (409 ORDER_NOT_COMPLETED)", async () => {
        const a = await product();
        const { shopper, order } = await paidOrder([[a, 1]]);
        const res = await api(shopper).post(`/api/orders/${order.id}/reviews`, {
          productId: a,
          rating: 5,
        });
        assert.equal(res.status, 409);
        assert.equal(res.body.type, "ORDER_NOT_COMPLETED");
        assert.deepEqual((await getProduct(a)).rating, { average: 0, count: 0 });
      });

      it("keeps the average right under 20 concurrent reviews of different lines", async () => {
        const a = await product();
        const buyer = await registerUser(shop.url, "fan");
        const orders: string[] = [];
        for (let i = 0; i < 20; i += 1)
          orders.push((await completedOrder([[a, 1]], buyer)).order.id);
        const ratings = orders.map((_, i) => (i % 5) + 1);
        const answers = await pool(
          orders.map(
            (id, i) => () =>
              api(buyer).post(`/api/orders/${id}/reviews`, { productId: a, rating: ratings[i] }),
          ),
          20,
        );
        assert.deepEqual(
          answers.map((r) => r.status),
          orders.map(() => 201),
        );
        const sum = ratings.reduce((x, y) => x + y, 0);
        const p = await getProduct(a);
        assert.deepEqual(p.rating, { average: Math.round((sum * 10) / 20) / 10, count: 20 });
        const list = await client(shop.url).get(`/api/products/${a}/reviews?pageSize=100`);
        assert.equal(list.body.total, 20);
      });

      it("answers one 201 and 409s for concurrent duplicates of one line", async () => {
        const a = await product();
        const { shopper, order } = await completedOrder([[a, 1]]);
        const answers = await Promise.all(
          Array.from({ length: 5 }, () =>
            api(shopper).post(`/api/orders/${order.id}/reviews`, { productId: a, rating: 3 }),
          ),
        );
        assert.deepEqual(answers.map((r) => r.status).sort(), [201, 409, 409, 409, 409]);
        assert.deepEqual((await getProduct(a)).rating, { average: 3, count: 1 });
      });
    });

    describe("GET /api/products/:id/reviews and replies", () => {
      it("lists reviews publicly, newest first, by rating; the owning merchant replies once", async () => {
        const a = await product();
        const buyer = await registerUser(shop.url, "critic");
        const reviews: Array<{ id: string; rating: number }> = [];
        for (const rating of [5, 2, 5]) {
          const { order } = await completedOrder([[a, 1]], buyer);
          const res = await api(buyer).post(`/api/orders/${order.id}/reviews`, {
            productId: a,
            rating,
          });
          assert.equal(res.status, 201, JSON.stringify(res.body));
          reviews.push(res.body);
        }
        const pub = client(shop.url);
        const all = await pub.get(`/api/products/${a}/reviews`);
        assert.equal(all.status, 200);
        assert.deepEqual(
          all.body.rows.map((r: { id: string }) => r.id),
          reviews.map((r) => r.id).reverse(),
        );
        const fives = await pub.get(`/api/products/${a}/reviews?rating=5&pageSize=1`);
        assert.equal(fives.body.total, 2);
        assert.equal(fives.body.totalPages, 2);
        assert.equal(fives.body.rows[0].rating, 5);
        assert.equal((await pub.get(`/api/products/${a}/reviews?rating=9`)).status, 422);
        assert.equal((await pub.get(`/api/products/999999999/reviews`)).status, 404);

        const target = reviews[1].id;
        const path = `/api/products/${a}/reviews/${target}/reply`;
        const rival = await userWithRole(shop.url, ADMIN, "merchant", "rival");
        const byRival = await api(rival).post(path, { text: "buy mine" });
        assert.equal(byRival.status, 403);
        assert.equal(byRival.body.type, "NOT_PRODUCT_OWNER");
        assert.equal((await api(buyer).post(path, { text: "me too" })).status, 403);
        const other = await product();
        const wrongProduct = await api(merchant).post(
          `/api/products/${other}/reviews/${target}/reply`,
          { text: "x" },
        );
        assert.equal(wrongProduct.status, 404);
        assert.equal((await api(merchant).post(path, { text: "" })).status, 422);

        const reply = await api(merchant).post(path, { text: "抱歉,已为您补发" });
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
        assert.equal(reply.body.reply.text, "抱歉,已为您补发");
        const twice = await api(merchant).post(path, { text: "again" });
        assert.equal(twice.status, 409);
        assert.equal(twice.body.type, "ALREADY_REPLIED");
        const shown = await pub.get(`/api/products/${a}/reviews?rating=2`);
        assert.equal(shown.body.rows[0].reply.text, "抱歉,已为您补发");
      });
    });

    describe("sold counts", () => {
      it("counts units of paid orders and takes a refunded order's off, once however often its messages come", async () => {
        const a = await product();
        const first = await paidOrder([[a, 2]]);
        const second = await paidOrder([[a, 3]]);
        await soldCountIs(a, 5);

        // The outbox delivers at least once: a replayed commit counts nothing twice.
        await catalog.broker.call("products.commit", { orderId: first.order.id });
        await catalog.broker.call("products.commit", { orderId: second.order.id });
        assert.equal((await getProduct(a)).soldCount, 5);

        const refund = await api(second.shopper).post(`/api/orders/${second.order.id}/cancel`);
        assert.equal(refund.status, 200, JSON.stringify(refund.body));
        assert.equal(refund.body.status, "refunded");
        await soldCountIs(a, 2);
        await catalog.broker.call("products.release", { orderId: second.order.id });
        assert.equal((await getProduct(a)).soldCount, 2);

        // Shipped and completed orders stay sold.
        for (const status of ["shipped", "completed"]) {
          await admin.patch(`/api/admin/orders/${first.order.id}`, { status });
        }
        assert.equal((await getProduct(a)).soldCount, 2);
      });
    });

    describe("GET /api/products?sort=sales|rating", () => {
      it("orders a merchant's products by units sold and by average rating, ties by newest", async () => {
        const seller = await userWithRole(shop.url, ADMIN, "merchant", "seller");
        const low = await product(100, seller);
        const high = await product(100, seller);
        const unsold = await product(100, seller);
        const newer = await product(100, seller);
        const buyer = await registerUser(shop.url, "sorter");
        const o1 = await completedOrder([[low, 1]], buyer);
        const o2 = await completedOrder([[high, 4]], buyer);
        await soldCountIs(high, 4);
        await soldCountIs(low, 1);
        const ids = async (sort: string) =>
          (
            await client(shop.url).get(`/api/products?merchantId=${seller.user.id}&sort=${sort}`)
          ).body.rows.map((p: { id: string }) => p.id);
        assert.deepEqual(await ids("sales"), [high, low, newer, unsold]);

        await api(buyer).post(`/api/orders/${o1.order.id}/reviews`, { productId: low, rating: 5 });
        await api(buyer).post(`/api/orders/${o2.order.id}/reviews`, { productId: high, rating: 3 });
        assert.deepEqual(await ids("rating"), [low, high, newer, unsold]);

        // The whole catalog and a category (links joined to the products) sort the same way.
        const whole = (await client(shop.url).get("/api/products?sort=sales&pageSize=100")).body;
        const counts = whole.rows.map((p: { soldCount: number }) => p.soldCount);
        assert.deepEqual(
          counts,
          [...counts].sort((x: number, y: number) => y - x),
        );
        const [category] = (await client(shop.url).get("/api/categories")).body;
        const inCategory = await client(shop.url).get(
          `/api/products?category=${category.slug}&sort=rating`,
        );
        assert.equal(inCategory.status, 200);
        const scores = inCategory.body.rows.map(
          (p: { rating: { average: number } }) => p.rating.average,
        );
        assert.deepEqual(
          scores,
          [...scores].sort((x: number, y: number) => y - x),
        );
      });
    });
  });
}
