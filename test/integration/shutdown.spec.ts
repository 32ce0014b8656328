/**
 * Graceful shutdown: SIGTERM stops taking new connections, drains the requests in flight and
 * exits 0. A real process (embedded mode, its own SQLite file); and a cluster node stops once.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { freePort, spawnNode, type NodeProcess } from "../helpers/processes.ts";
import { call, eventually, registerUser } from "../helpers/http.ts";
import { clusterInfra, testModes } from "../helpers/infra.ts";

describe("graceful shutdown", () => {
  const dir = mkdtempSync(join(tmpdir(), "shop-shutdown-"));
  let node: NodeProcess | undefined;
  after(async () => {
    await node?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("drains in-flight requests on SIGTERM and exits 0", async () => {
    // A random port in 30000-50000 collided with the kernel's ephemeral ports in CI.
    const port = String(await freePort());
    node = spawnNode({
      DATABASE_URL: `sqlite:${join(dir, "shop.sqlite")}`,
      PORT: port,
      SEED_ON_START: "false",
      RATE_LIMIT_GLOBAL: "0",
      RATE_LIMIT_LOGIN: "0",
      RATE_LIMIT_REGISTER: "0",
    });
    await node.started;
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      async () =>
        (await call(url, "GET", "/api/health").catch(() => ({ status: 0 }))).status === 200,
    );
    const u = await registerUser(url);
    // Each login hashes with argon2 (tens of ms): 16 of them are still running at SIGTERM.
    const inFlight = Array.from({ length: 16 }, () =>
      call(url, "POST", "/api/auth/login", { email: u.email, password: u.password }),
    );
    await new Promise((r) => setTimeout(r, 100));
    node.child.kill("SIGTERM");
    const answers = await Promise.allSettled(inFlight);
    // 200, or refused before it ever reached the server; a connection cut mid-request fails.
    const outcomes = answers.map((a) =>
      a.status === "fulfilled"
        ? String(a.value.status)
        : String((a.reason as { cause?: { code?: string } }).cause?.code ?? a.reason),
    );
    assert.equal(await node.exited, 0, "exits cleanly");
    assert.ok(
      outcomes.every((o) => o === "200" || o === "ECONNREFUSED"),
      outcomes.join(","),
    );
    assert.ok(outcomes.filter((o) => o === "200").length >= 8, outcomes.join(","));
    await assert.rejects(call(url, "GET", "/api/health"), "no longer accepts connections");
  });
});

if ((await testModes()).includes("cluster")) {
  describe("stopping a cluster node", () => {
    const infra = clusterInfra();
    const database = `shop_test_stop_${process.pid}`;
    let node: NodeProcess | undefined;
    after(async () => {
      await node?.kill("SIGKILL");
      const c = await mysql.createConnection(infra.mysqlAdminUrl);
      await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await c.end();
    });

    it("stops each service once on SIGTERM, and exits 0", async () => {
      const c = await mysql.createConnection(infra.mysqlAdminUrl);
      await c.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
      await c.end();
      node = spawnNode({
        DATABASE_URL: `${infra.mysqlAdminUrl.replace(/\/[^/]*$/, "")}/${database}`,
        TRANSPORTER: infra.natsUrl,
        REDIS_URL: infra.redisUrl,
        NAMESPACE: `stop${process.pid}`,
        SERVICES: "carts",
        SEED_ON_START: "false",
      });
      await node.started;
      node.child.kill("SIGTERM");
      assert.equal(await node.exited, 0);
      const out = node.output();
      assert.equal((out.match(/Service 'carts' stopped\./g) ?? []).length, 1, out);
      assert.equal((out.match(/Good bye/g) ?? []).length, 1, out);
    });
  });
}
