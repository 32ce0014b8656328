/**
 * A products node killed (SIGKILL: no goodbye) under steady catalog reads, with the production
 * timing (heartbeats, the 10 s request timeout): its callers must not stall until the heartbeat
 * timeout. The gateway finds the peer gone through NATS within about a second of a slow call,
 * drops it, and the reads it had in flight run again on the other instance.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { createProduct } from "../helpers/catalog.ts";
import { client, eventually, loginAdmin } from "../helpers/http.ts";
import { ADMIN } from "../helpers/shop.ts";
import { Cluster, load } from "./topology.ts";

const modes = await testModes();
const skip = modes.includes("cluster") ? false : "MariaDB, Redis or NATS not reachable";

describe("a products node killed under read load", { skip }, () => {
  // The defaults of moleculer.config.ts, not the cluster suite's short test heartbeats.
  const cluster = new Cluster({
    MOL_HEARTBEAT_INTERVAL: "2",
    MOL_HEARTBEAT_TIMEOUT: "6",
    REQUEST_TIMEOUT_MS: "10000",
  });
  let gateway: string;
  const ids: string[] = [];

  before(async () => {
    await cluster.createDatabase();
    await cluster.start("backend-1", ["users", "access", "products", "carts", "monitor"]);
    await cluster.start("products-2", ["products"]);
    await cluster.start("gateway-1", ["api"]);
    await cluster.startObserver();
    await cluster.waitForInstances("products", 2);
    gateway = cluster.gateways()[0];
    // Not /api/ready: this cluster hosts no orders or payments, so it is never ready as a whole.
    await eventually(
      async () => (await client(gateway).get("/api/products?pageSize=1")).status === 200,
      20_000,
      200,
    );
    const admin = await loginAdmin(gateway, ADMIN);
    for (let i = 0; i < 20; i++) {
      ids.push(String((await createProduct(gateway, admin.accessToken)).id));
    }
  });

  after(async () => {
    await cluster.stop();
  });

  it("keeps ≥ 95 % of reads succeeding, with the first success after the kill within 3 s", async () => {
    let killedAt = 0;
    const killer = (async () => {
      await new Promise((r) => setTimeout(r, 2_000));
      killedAt = Date.now();
      await cluster.nodes.get("products-2")!.proc.kill("SIGKILL");
    })();
    const results = await load(10_000, 8, async (i) => {
      const path =
        i % 2 === 0 ? `/api/products/${ids[i % ids.length]}` : `/api/products?page=${1 + (i % 3)}`;
      const res = await client(gateway).get(path);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body?.type}`);
      return Date.now();
    });
    await killer;
    assert.ok(killedAt > 0, "the node was killed during the load");

    // Reads that were still running at the kill or started after it.
    const affected = results.filter((r) => r.startedAt + r.latencyMs >= killedAt);
    const failed = affected.filter((r) => !r.ok);
    const successes = affected
      .filter((r) => r.ok)
      .map((r) => r.startedAt + r.latencyMs)
      .sort((a, b) => a - b);
    const firstSuccess = successes.find((t) => t >= killedAt);
    let longestGap = 0;
    for (let i = 1; i < successes.length; i++) {
      longestGap = Math.max(longestGap, successes[i] - successes[i - 1]);
    }
    const slowest = Math.max(...affected.map((r) => r.latencyMs));
    const rate = (affected.length - failed.length) / affected.length;
    console.warn(
      `dead node: ${affected.length} reads after the kill, ${failed.length} failed, ` +
        `first success +${firstSuccess === undefined ? "never" : firstSuccess - killedAt} ms, ` +
        `longest gap ${longestGap} ms, slowest ${slowest} ms`,
    );
    for (const f of failed.slice(0, 5)) console.warn(`  failed: ${String(f.error)}`);

    assert.ok(rate >= 0.95, `${(rate * 100).toFixed(1)} % of reads succeeded`);
    assert.ok(firstSuccess !== undefined, "reads succeed after the kill");
    assert.ok(firstSuccess - killedAt <= 3_000, `first success ${firstSuccess - killedAt} ms`);
    assert.ok(longestGap <= 3_000, `reads stalled for ${longestGap} ms`);
    assert.ok(slowest < 5_000, `a read waited ${slowest} ms`);
  });
});
