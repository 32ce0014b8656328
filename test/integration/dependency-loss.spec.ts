/**
 * A gateway (and a products node) that loses Redis or NATS (cluster mode: the embedded mode has
 * neither). Their connections go through TCP proxies that the test cuts and restores, as a
 * dead server or a lost network would. Liveness never depends on them; readiness names the lost
 * one; public catalog reads are still served; anything that needs a token check fails closed
 * with 503 and Retry-After; everything comes back on its own.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { clusterInfra, testModes } from "../helpers/infra.ts";
import { ADMIN, gatewayUrl, startShop, type TestShop } from "../helpers/shop.ts";
import { TcpProxy } from "../helpers/tcp-proxy.ts";
import { client, eventually, loginAdmin, registerUser } from "../helpers/http.ts";
import { createProduct } from "../helpers/catalog.ts";
import { FaultSwitch } from "../helpers/faults.ts";

const modes = await testModes();

describe(
  "a gateway that loses Redis or NATS (cluster mode)",
  { skip: !modes.includes("cluster") && "needs NATS, MariaDB and Redis" },
  () => {
    const infra = clusterInfra();
    const redis = new TcpProxy(infra.redisUrl);
    const nats = new TcpProxy(infra.natsUrl);
    let shop: TestShop;
    let gw: string;
    let productId: string;
    const slowCarts = new FaultSwitch(["carts"]);

    before(async () => {
      await redis.start();
      await nats.start();
      shop = await startShop("cluster", {
        env: { REQUEST_TIMEOUT_MS: "5000" },
        nodeOptions: (services) =>
          services.includes("carts") ? { broker: { middlewares: [slowCarts.middleware()] } } : {},
      });
      // A second products instance and the gateway under test reach Redis (and the gateway NATS)
      // only through the proxies.
      await shop.addNode(["products"], { REDIS_URL: redis.url(infra.redisUrl) });
      const node = await shop.addNode(["api"], {
        REDIS_URL: redis.url(infra.redisUrl),
        TRANSPORTER: nats.url(infra.natsUrl),
      });
      gw = gatewayUrl(node);
      await node.broker.waitForServices(["users", "products", "carts", "access"], 20_000);
      await eventually(async () => (await client(gw).get("/api/ready")).status === 200, 20_000);
      const admin = await loginAdmin(shop.url, ADMIN);
      productId = String((await createProduct(shop.url, admin.accessToken, { stock: 5 })).id);
      // Both products instances answer reads through the gateway under test.
      await eventually(async () => {
        const seen = new Set<string>();
        for (const n of shop.nodes) {
          if (n.broker.getLocalService("products")) seen.add(n.broker.nodeID);
        }
        return seen.size === 2;
      }, 10_000);
    });

    after(async () => {
      slowCarts.latencyMs = 0;
      await redis.restore().catch(() => undefined);
      await nats.restore().catch(() => undefined);
      await shop?.stop();
      await redis.stop();
      await nats.stop();
    });

    it("without Redis: alive, not ready (cache named), catalog served, token checks fail closed with 503, and back on its own", async () => {
      const u = await registerUser(gw);
      const api = client(gw, u.accessToken);
      assert.equal((await api.get("/api/cart")).status, 200);

      await redis.cut();
      try {
        const health = await client(gw).get("/api/health");
        assert.equal(health.status, 200, JSON.stringify(health.body));

        const ready = await client(gw).get("/api/ready");
        assert.equal(ready.status, 503, JSON.stringify(ready.body));
        assert.notEqual(ready.body.checks.cache, "ok", JSON.stringify(ready.body));
        assert.match(ready.body.checks.cache, /redis/i);

        // Round robin spreads reads over both products instances, one of them without Redis.
        for (let i = 0; i < 6; i++) {
          const detail = await client(gw).get(`/api/products/${productId}`);
          assert.equal(detail.status, 200, JSON.stringify(detail.body));
          const page = await client(gw).get(`/api/products?page=1&pageSize=5`);
          assert.equal(page.status, 200, JSON.stringify(page.body));
        }
        // A token on a public route is not trusted (its revocation cannot be checked): anonymous.
        assert.equal((await api.get(`/api/products/${productId}`)).status, 200);

        for (const res of [
          await api.get("/api/cart"),
          await api.get("/api/users/me"),
          await client(gw).post("/api/auth/login", { email: u.email, password: u.password }),
        ]) {
          assert.equal(res.status, 503, JSON.stringify(res.body));
          assert.equal(res.body.type, "SERVICE_UNAVAILABLE");
          assert.ok(Number(res.headers.get("retry-after")) >= 1, "Retry-After is set");
        }
      } finally {
        await redis.restore();
      }
      await eventually(async () => (await client(gw).get("/api/ready")).status === 200, 20_000);
      await eventually(async () => (await api.get("/api/cart")).status === 200, 10_000);
      const login = await client(gw).post("/api/auth/login", {
        email: u.email,
        password: u.password,
      });
      assert.equal(login.status, 200, JSON.stringify(login.body));
    });

    it("without NATS: alive, not ready (transporter named), calls 503 with Retry-After at once, and back on its own", async () => {
      const u = await registerUser(gw);
      const api = client(gw, u.accessToken);
      // A call in flight when the connection drops is answered at once, not after its timeout.
      slowCarts.latencyMs = 4_000;
      const t0 = Date.now();
      const inFlight = api.get("/api/cart");
      await new Promise((r) => setTimeout(r, 300));
      await nats.cut();
      try {
        const dropped = await inFlight;
        slowCarts.latencyMs = 0;
        assert.equal(dropped.status, 503, JSON.stringify(dropped.body));
        assert.ok(Number(dropped.headers.get("retry-after")) >= 1, "Retry-After is set");
        assert.ok(Date.now() - t0 < 3_000, `the call in flight ended after ${Date.now() - t0} ms`);

        await eventually(
          async () => (await client(gw).get("/api/ready")).status === 503,
          10_000,
          100,
        );
        const ready = await client(gw).get("/api/ready");
        assert.notEqual(ready.body.checks.transporter, "ok", JSON.stringify(ready.body));
        assert.equal((await client(gw).get("/api/health")).status, 200);

        for (const path of [`/api/products/${productId}`, "/api/cart"]) {
          const t0 = Date.now();
          const res = await api.get(path);
          const took = Date.now() - t0;
          assert.equal(res.status, 503, `${path}: ${JSON.stringify(res.body)}`);
          assert.equal(res.body.type, "SERVICE_UNAVAILABLE");
          assert.ok(Number(res.headers.get("retry-after")) >= 1, "Retry-After is set");
          assert.ok(took < 2_000, `${path} answered in ${took} ms, not after a timeout`);
        }
        // Longer than the heartbeat timeout: both sides drop each other and must rediscover.
        await new Promise((r) => setTimeout(r, 7_000));
      } finally {
        await nats.restore();
      }
      await eventually(async () => (await client(gw).get("/api/ready")).status === 200, 30_000);
      await eventually(
        async () =>
          (await client(gw).get(`/api/products/${productId}`)).status === 200 &&
          (await api.get("/api/cart")).status === 200,
        30_000,
      );
    });
  },
);
