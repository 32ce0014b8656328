/**
 * The node's own health endpoint (lib/observability/health-server.ts) and the image's probe
 * (deploy/probe.sh, bash over /dev/tcp) that asks it.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  check,
  startHealthServer,
  type HealthServer,
} from "../../lib/observability/health-server.ts";

const PROBE = fileURLToPath(new URL("../../deploy/probe.sh", import.meta.url));

function runProbe(port: number, mode: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      "bash",
      [PROBE, mode],
      { env: { ...process.env, HEALTH_PORT: String(port) }, timeout: 20_000 },
      (err, stdout) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout }),
    );
  });
}

describe("health server", () => {
  let server: HealthServer;
  let database = "ok";
  before(async () => {
    server = await startHealthServer(0, "127.0.0.1", {
      ready: async () => ({ broker: "ok", database }),
    });
  });
  after(() => server.close());

  it("answers /live with 200 and /ready with the checks", async () => {
    const live = await fetch(`http://127.0.0.1:${server.port}/live`);
    assert.equal(live.status, 200);
    assert.deepEqual(await live.json(), { status: "ok" });
    const ready = await fetch(`http://127.0.0.1:${server.port}/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), {
      status: "ok",
      checks: { broker: "ok", database: "ok" },
    });
  });

  it("is not ready while a check fails, and names it", async () => {
    database = "error: timed out after 2000 ms";
    try {
      const ready = await fetch(`http://127.0.0.1:${server.port}/ready`);
      assert.equal(ready.status, 503);
      const body = (await ready.json()) as { status: string; checks: Record<string, string> };
      assert.equal(body.status, "unavailable");
      assert.equal(body.checks.database, "error: timed out after 2000 ms");
      // Liveness never asks another component.
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/live`)).status, 200);
    } finally {
      database = "ok";
    }
  });

  it("answers other paths with 404 and other methods with 405", async () => {
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status, 404);
    const post = await fetch(`http://127.0.0.1:${server.port}/live`, { method: "POST" });
    assert.equal(post.status, 405);
  });

  it("check() turns a slow or failing dependency into a reason", async () => {
    assert.equal(await check(async () => 1), "ok");
    assert.equal(await check(() => Promise.reject(new Error("refused"))), "error: refused");
    assert.equal(
      await check(() => new Promise((r) => setTimeout(r, 500)), 20),
      "error: timed out after 20 ms",
    );
  });

  it("deploy/probe.sh exits 0 when healthy and 1 when not ready or nothing listens", async () => {
    const live = await runProbe(server.port, "live");
    assert.equal(live.code, 0, live.stdout);
    assert.match(live.stdout, /^healthy: \{"status":"ok"\}/);
    database = "error: down";
    try {
      const ready = await runProbe(server.port, "ready");
      assert.equal(ready.code, 1, ready.stdout);
      assert.match(ready.stdout, /^unhealthy: HTTP\/1\.\d 503/);
    } finally {
      database = "ok";
    }
    const closed = await startHealthServer(0, "127.0.0.1", { ready: async () => ({}) });
    const port = closed.port;
    await closed.close();
    const nothing = await runProbe(port, "live");
    assert.equal(nothing.code, 1, nothing.stdout);
  });
});
