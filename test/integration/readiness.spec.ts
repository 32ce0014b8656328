/**
 * GET /api/ready is 200 only when every route the gateway publishes can answer: polled from the
 * moment a node starts, every 200 is followed at once by catalog reads that must answer 200,
 * while the demo catalog is seeded (embedded mode) or while the products node starts (cluster).
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { loadConfig } from "../../lib/config.ts";
import { createNode, type ShopNode } from "../../services/node.ts";
import { ALL_SERVICES } from "../../lib/services.ts";
import { startShop, type TestShop } from "../helpers/shop.ts";
import { freePort } from "../helpers/processes.ts";
import { testModes } from "../helpers/infra.ts";

const modes = await testModes();

async function status(url: string): Promise<number | "down"> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return "down";
  }
}

/**
 * Polls readiness until `done()` and ready; after every 200 the catalog must answer. Returns
 * the readiness answers seen, in order (consecutive repeats folded).
 */
async function watchReadiness(base: string, done: () => boolean): Promise<Array<number | "down">> {
  const seen: Array<number | "down"> = [];
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ready = await status(base + "/api/ready");
    if (seen.at(-1) !== ready) seen.push(ready);
    if (ready === 200) {
      for (const path of ["/api/products?pageSize=1", "/api/categories", "/api/products/1"]) {
        assert.equal(await status(base + path), 200, `${path} after /api/ready 200 (${seen})`);
      }
      if (done()) return seen;
    }
    assert.ok(Date.now() < deadline, `not ready in time: ${seen}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("GET /api/ready while the demo catalog is seeded (embedded)", () => {
  let node: ShopNode | undefined;
  let starting: Promise<unknown> | undefined;
  const dir = mkdtempSync(join(tmpdir(), "shop-ready-"));
  after(async () => {
    await starting?.catch(() => undefined);
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is not 200 before the catalog answers", async () => {
    const port = await freePort();
    const config = loadConfig({
      NODE_ENV: "test",
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "error",
      LOG_FORMAT: "json",
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(dir, "shop.sqlite")}`,
      SEED_ON_START: "true",
      JWT_SECRET: "test-secret-" + randomBytes(16).toString("hex"),
    });
    assert.deepEqual(config.services, [...ALL_SERVICES]);
    node = await createNode(config);
    let started = false;
    starting = node.start().then(() => (started = true));
    const seen = await watchReadiness(`http://127.0.0.1:${port}`, () => started);
    await starting;
    assert.equal(seen.at(-1), 200);
  });
});

for (const mode of modes.filter((m) => m === "cluster")) {
  describe("GET /api/ready while the products node starts (cluster)", () => {
    let shop: TestShop;
    after(() => shop?.stop());

    it("answers 503 naming the missing actions, then 200 once the catalog answers", async () => {
      const backend = ALL_SERVICES.filter((s) => s !== "api" && s !== "products");
      shop = await startShop(mode, { layout: [backend, ["api"]] });
      const res = await fetch(shop.url + "/api/ready");
      const body = (await res.json()) as { status: string; checks: Record<string, string> };
      assert.equal(res.status, 503);
      assert.equal(body.status, "unavailable");
      assert.match(body.checks.services, /^error: not available: .*products\.get/);
      assert.equal(body.checks.database, "ok");
      assert.equal(body.checks.access, "ok");

      let started = false;
      const starting = shop
        .addNode(["products"], { SEED_ON_START: "true" })
        .then(() => (started = true));
      const seen = await watchReadiness(shop.url, () => started);
      await starting;
      assert.equal(seen[0], 503);
      assert.equal(seen.at(-1), 200);
    });
  });
}
