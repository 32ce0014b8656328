/**
 * The cluster suite: real node processes over NATS with MariaDB and Redis — two gateway nodes
 * and two backend nodes (two instances of every service) — shopper traffic, and nodes killed and
 * restarted by PID. Bounded in time; everything it starts is killed at the end.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { randomUUID } from "node:crypto";
import { createProduct } from "../helpers/catalog.ts";
import { client, eventually, loginAdmin, registerUser } from "../helpers/http.ts";
import { ADMIN } from "../helpers/shop.ts";
import { BACKEND, Cluster, load } from "./topology.ts";
import { ADDRESS, CARDS } from "../helpers/orders.ts";

const modes = await testModes();
const skip = modes.includes("cluster") ? false : "MariaDB, Redis or NATS not reachable";

describe("the cluster", { skip }, () => {
  const cluster = new Cluster();

  before(async () => {
    await cluster.createDatabase();
    await cluster.start("backend-1", BACKEND);
    await cluster.start("backend-2", BACKEND);
    await cluster.start("gateway-1", ["api"]);
    await cluster.start("gateway-2", ["api"]);
    await cluster.startObserver();
    for (const s of BACKEND) await cluster.waitForInstances(s, 2);
    for (const url of cluster.gateways()) {
      await eventually(
        async () => (await client(url).get("/api/ready")).status === 200,
        20_000,
        200,
      );
    }
  });

  after(async () => {
    await cluster.stop();
  });

  it("balances calls across the instances of a service", async () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const { nodeID } = (await cluster.observer.call("users.ping")) as { nodeID: string };
      counts.set(nodeID, (counts.get(nodeID) ?? 0) + 1);
    }
    assert.deepEqual([...counts.keys()].sort(), ["backend-1", "backend-2"]);
    for (const [node, n] of counts) assert.ok(n >= 10, `${node} served ${n} of 40`);
  });

  it("serves shoppers through either gateway", async () => {
    const [gw1, gw2] = cluster.gateways();
    const u = await registerUser(gw1);
    assert.equal((await client(gw2, u.accessToken).get("/api/users/me")).status, 200);
  });

  it("holds a ban and a rate limit across both gateways", async () => {
    const [gw1, gw2] = cluster.gateways();
    const admin = await loginAdmin(gw1, ADMIN);
    const u = await registerUser(gw2);
    assert.equal(
      (await client(gw1, admin.accessToken).put(`/api/admin/access/blacklist/users/${u.user.id}`))
        .status,
      200,
    );
    await eventually(async () => {
      const [a, b] = await Promise.all(
        [gw1, gw2].map((url) => client(url, u.accessToken).get("/api/users/me")),
      );
      return a.body?.type === "USER_BANNED" && b.body?.type === "USER_BANNED";
    }, 2_000);
  });

  it("survives a backend node killed under load: no hung request, bounded errors, and it comes back", async () => {
    const gateways = cluster.gateways();
    const users = await Promise.all(
      Array.from({ length: 8 }, (_, i) => registerUser(gateways[i % 2], "load")),
    );
    const timeout = Number(cluster.baseEnv().REQUEST_TIMEOUT_MS);
    let killedAt = 0;
    const killer = (async () => {
      await new Promise((r) => setTimeout(r, 2_000));
      killedAt = Date.now();
      await cluster.nodes.get("backend-2")!.proc.kill("SIGKILL");
    })();
    const results = await load(9_000, 8, async (i) => {
      const u = users[i % users.length];
      const res = await client(gateways[i % 2], u.accessToken).get("/api/users/me");
      if (res.status !== 200) throw new Error(`status ${res.status} ${res.body?.type}`);
      return res.status;
    });
    await killer;
    const failed = results.filter((r) => !r.ok);
    for (const f of failed)
      console.warn(`cluster: failed after ${f.latencyMs} ms: ${String(f.error)}`);
    const slowest = Math.max(...results.map((r) => r.latencyMs));
    const errorRate = failed.length / results.length;
    console.warn(
      `cluster: ${results.length} requests, ${failed.length} failed (${(errorRate * 100).toFixed(1)} %), ` +
        `slowest ${slowest} ms, node killed ${killedAt ? "at +2 s" : "never"}`,
    );
    // Every request ended: none waited past the timeout and its retries (3 tries with back-off).
    assert.ok(slowest < timeout * 3 + 2_000, `slowest request took ${slowest} ms`);
    assert.ok(errorRate < 0.1, `error rate ${errorRate}`);
    // Once the loss is known (heartbeat timeout: 4 s), the survivors serve every request.
    const later = results.filter((r) => r.startedAt > killedAt + 5_000);
    const laterFailed = later.filter((r) => !r.ok).map((r) => String(r.error));
    assert.ok(later.length > 0, "requests ran after the loss was known");
    assert.deepEqual(laterFailed, [], "requests after the loss is known all succeed");

    await cluster.restart("backend-2");
    await cluster.waitForInstances("users", 2);
    await eventually(
      async () => {
        const seen = new Set<string>();
        for (let i = 0; i < 10; i++)
          seen.add(((await cluster.observer.call("users.ping")) as { nodeID: string }).nodeID);
        return seen.size === 2;
      },
      20_000,
      500,
    );
  });

  it("loses and duplicates no order when a backend node dies during checkouts", async () => {
    const gateways = cluster.gateways();
    const admin = await loginAdmin(gateways[0], ADMIN);
    const product = await createProduct(gateways[0], admin.accessToken, {
      stock: 1000,
      price: 500,
    });
    const buyers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => registerUser(gateways[i % 2], "buyer")),
    );
    for (const [i, b] of buyers.entries()) {
      const res = await client(gateways[i % 2], b.accessToken).post("/api/cart/items", {
        productId: product.id,
        quantity: 2,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const address = ADDRESS;
    const card = CARDS.ok;
    // Each buyer checks out once with one key, retrying (same key) through either gateway on a 5xx,
    // as a careful client would; a backend node is killed in the middle and restarted.
    const checkout = async (i: number) => {
      const key = randomUUID();
      for (let attempt = 0; attempt < 40; attempt++) {
        const res = await client(gateways[(i + attempt) % 2], buyers[i].accessToken).post(
          "/api/checkout",
          { address, card },
          { headers: { "idempotency-key": key } },
        );
        if (res.status === 201) return res.body as { id: string; status: string };
        if (res.status < 500 && res.status !== 409)
          throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error("checkout never completed");
    };
    const killer = (async () => {
      await new Promise((r) => setTimeout(r, 300));
      await cluster.nodes.get("backend-1")!.proc.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 2_000));
      await cluster.restart("backend-1");
    })();
    const orders = await Promise.all(buyers.map((_, i) => checkout(i)));
    await killer;

    assert.equal(new Set(orders.map((o) => o.id)).size, buyers.length, "one order per buyer");
    for (const [i, b] of buyers.entries()) {
      const mine = await client(gateways[i % 2], b.accessToken).get("/api/orders");
      assert.equal(mine.body.total, 1, `buyer ${i} has exactly one order`);
      assert.equal(mine.body.rows[0].id, orders[i].id);
    }
    // Every order ends paid (a capture in flight at the kill is finished by the outbox).
    await eventually(
      async () => {
        const all = await Promise.all(
          buyers.map((b, i) =>
            client(gateways[i % 2], b.accessToken).get(`/api/orders/${orders[i].id}`),
          ),
        );
        return all.every((r) => r.body.status === "paid");
      },
      30_000,
      500,
    );
    const after = await client(gateways[1]).get(`/api/products/${product.id}`);
    assert.equal(after.body.stock, 1000 - 2 * buyers.length, "stock adds up");
  });
});
