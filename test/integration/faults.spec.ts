/**
 * Fault tolerance: a slow products service (injected latency) and, when the orders and payments
 * services exist, payments down. Embedded mode and cluster mode.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { FaultSwitch } from "../helpers/faults.ts";
import { Errors } from "moleculer";
import { client, loginAdmin, registerUser } from "../helpers/http.ts";
import { attachCatalog, type Catalog } from "../helpers/order-catalog.ts";
import { CARDS, checkout, eventually, payOrder, shopperWithCart } from "../helpers/orders.ts";

const modes = await testModes();

for (const mode of modes) {
  describe(`a slow products service (${mode} mode)`, () => {
    let shop: TestShop;
    const slow = new FaultSwitch(["products"]);
    before(async () => {
      shop = await startShop(mode, {
        env: { REQUEST_TIMEOUT_MS: "1000", SEED_ON_START: "true" },
        nodeOptions: (services) =>
          services.includes("products") ? { broker: { middlewares: [slow.middleware()] } } : {},
      });
    });
    after(async () => {
      slow.latencyMs = 0;
      await shop?.stop();
    });

    it("still serves cached reads, and answers uncached ones within the timeout", async () => {
      const warm = await client(shop.url).get("/api/products/1");
      assert.equal(warm.status, 200);
      assert.equal((await client(shop.url).get("/api/products?page=1&pageSize=5")).status, 200);
      slow.latencyMs = 5_000;

      const t0 = Date.now();
      const cached = await client(shop.url).get("/api/products/1");
      assert.equal(cached.status, 200, "a cached detail survives the slowness");
      assert.deepEqual(cached.body, warm.body);
      assert.equal((await client(shop.url).get("/api/products?page=1&pageSize=5")).status, 200);
      assert.ok(Date.now() - t0 < 1_000, `cached reads stay fast (${Date.now() - t0} ms)`);

      const t1 = Date.now();
      const uncached = await client(shop.url).get("/api/products/2");
      const took = Date.now() - t1;
      assert.equal(uncached.status, 504, JSON.stringify(uncached.body));
      assert.equal(uncached.body.type, "TIMEOUT");
      assert.ok(took < 4_000, `answered in ${took} ms, within the 1 s timeout and its retries`);
      slow.latencyMs = 0;
      assert.equal((await client(shop.url).get("/api/products/2")).status, 200, "recovers at once");
    });

    it("shows the cart without prices (degraded) while the catalog fails, and whole again after", async () => {
      const u = await registerUser(shop.url);
      const api = client(shop.url, u.accessToken);
      assert.equal(
        (await api.post("/api/cart/items", { productId: "3", quantity: 2 })).status,
        200,
      );
      slow.failWith = new Errors.MoleculerServerError("catalog down", 500, "INJECTED");
      try {
        const cart = await api.get("/api/cart");
        assert.equal(cart.status, 200, JSON.stringify(cart.body));
        assert.equal(cart.body.degraded, true);
        assert.deepEqual(
          cart.body.items.map((i: { productId: string; quantity: number }) => [
            i.productId,
            i.quantity,
          ]),
          [["3", 2]],
        );
        assert.equal(cart.body.subtotal, 0, "no price is made up");
        // Adding needs the catalog's stock: that is refused, not faked.
        const add = await api.post("/api/cart/items", { productId: "4", quantity: 1 });
        assert.equal(add.status, 503, "a catalog down is a dependency down, not a 500");
        assert.equal(add.body.type, "SERVICE_UNAVAILABLE");
        assert.ok(add.headers.get("retry-after"), "with Retry-After");
      } finally {
        slow.failWith = undefined;
      }
      const whole = await api.get("/api/cart");
      assert.equal(whole.body.degraded, undefined);
      assert.ok(whole.body.subtotal > 0);
    });
  });
}

describe(
  "payments failing: the circuit breaker (cluster mode)",
  { skip: !modes.includes("cluster") && "needs NATS, MariaDB and Redis" },
  () => {
    let shop: TestShop;
    let catalog: Catalog;
    const failing = new FaultSwitch(["payments"]);

    before(async () => {
      shop = await startShop("cluster", {
        env: {
          MOL_CIRCUIT_BREAKER__MIN_REQUEST_COUNT: "4",
          MOL_CIRCUIT_BREAKER__THRESHOLD: "0.5",
          MOL_CIRCUIT_BREAKER__HALF_OPEN_TIME: "1500",
        },
        layout: [
          ["users", "access", "products", "carts", "monitor"],
          ["orders"],
          ["payments"],
          ["api"],
        ],
        nodeOptions: (services) =>
          services.includes("payments") ? { broker: { middlewares: [failing.middleware()] } } : {},
      });
      catalog = await attachCatalog(shop);
    });
    after(async () => {
      failing.failWith = undefined;
      await catalog?.stop();
      await shop?.stop();
    });

    const breakers = async (token: string) => {
      const view = await client(shop.url, token).get("/api/admin/cluster");
      return (view.body.circuitBreakers ?? []) as Array<{
        state: string;
        action?: string;
        target?: string;
      }>;
    };

    it("opens after repeated failures (fast 503s, orders stay pending) and closes after a half-open probe", async () => {
      const admin = await loginAdmin(shop.url, ADMIN);
      const product = await catalog.createProduct({ price: 1000, stock: 100 });
      const orders: Array<{ shopper: Awaited<ReturnType<typeof shopperWithCart>>; id: string }> =
        [];
      for (let i = 0; i < 8; i++) {
        const shopper = await shopperWithCart(shop.url, catalog, [[product, 1]]);
        const res = await checkout(shop.url, shopper);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        orders.push({ shopper, id: res.body.id });
      }

      failing.failWith = new Errors.MoleculerServerError(
        "injected processor failure",
        500,
        "INJECTED",
      );
      for (const o of orders.slice(0, 6)) {
        const res = await payOrder(shop.url, o.shopper, o.id, CARDS.ok);
        assert.equal(res.status, 503, JSON.stringify(res.body));
        assert.equal(res.body.type, "PAYMENT_UNAVAILABLE");
      }
      await eventually("the breaker to open", async () =>
        (await breakers(admin.accessToken)).some((b) => b.state === "open") ? true : undefined,
      );
      // Open: the call fails at once on the orders node, without reaching payments.
      const t0 = Date.now();
      const fast = await payOrder(shop.url, orders[6].shopper, orders[6].id, CARDS.ok);
      assert.equal(fast.status, 503);
      assert.equal(fast.body.type, "PAYMENT_UNAVAILABLE");
      assert.ok(Date.now() - t0 < 2_000, `failed fast (${Date.now() - t0} ms)`);
      for (const o of orders) {
        assert.equal(
          (await client(shop.url, o.shopper.accessToken).get(`/api/orders/${o.id}`)).body.status,
          "pending",
        );
      }

      // payments recovers; after halfOpenTime one probe goes through and closes the breaker.
      failing.failWith = undefined;
      const paid = await eventually("a payment to go through again", async () => {
        const res = await payOrder(shop.url, orders[7].shopper, orders[7].id, CARDS.ok);
        return res.status === 200 ? res : undefined;
      });
      assert.equal(paid.body.status, "paid");
      await eventually("the breaker to close", async () =>
        (await breakers(admin.accessToken)).every((b) => b.state === "closed") ? true : undefined,
      );
      const again = await payOrder(shop.url, orders[0].shopper, orders[0].id, CARDS.ok);
      assert.equal(again.status, 200, JSON.stringify(again.body));
    });
  },
);
