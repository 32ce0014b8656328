/**
 * Fault tolerance: a slow products service (injected latency) and, when the orders and payments
 * services exist, payments down. Embedded mode and cluster mode.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { startShop, type TestShop } from "../helpers/shop.ts";
import { FaultSwitch } from "../helpers/faults.ts";
import { client } from "../helpers/http.ts";

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
  });
}
