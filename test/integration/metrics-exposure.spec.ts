/**
 * Where the metrics answer. In production the gateway's GET /metrics on the API port (the public
 * one) is not served without METRICS_TOKEN; every node serves its own on METRICS_PORT instead.
 * With METRICS_TOKEN it needs the token. (Outside production it is open: observability.spec.ts.)
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Server } from "node:http";
import { once } from "node:events";
import { startShop, type TestShop } from "../helpers/shop.ts";
import { testModes } from "../helpers/infra.ts";

const modes = await testModes();
const TOKEN = "metrics-token-for-the-tests-0123456789";

/** The port a node's metrics reporter listens on (METRICS_PORT=0: any free port). */
async function metricsPortOf(shop: TestShop, index: number): Promise<number> {
  const registry = shop.nodes[index].broker.metrics as unknown as {
    reporter?: Array<{ server?: Server }>;
  };
  const server = registry.reporter?.[0]?.server;
  assert.ok(server, `node ${shop.nodes[index].broker.nodeID} has no metrics server`);
  if (!server.listening) await once(server, "listening");
  return (server.address() as { port: number }).port;
}

for (const mode of modes) {
  describe(`metrics in production, no token (${mode})`, () => {
    let shop: TestShop;
    before(async () => {
      shop = await startShop(mode, { env: { NODE_ENV: "production", METRICS_PORT: "0" } });
    });
    after(() => shop?.stop());

    it("does not serve GET /metrics on the API port", async () => {
      for (const url of shop.urls) {
        const res = await fetch(url + "/metrics");
        assert.equal(res.status, 404);
        assert.equal(((await res.json()) as { type: string }).type, "NOT_FOUND");
      }
    });

    it("serves every node's own metrics on its metrics port", async () => {
      for (let i = 0; i < shop.nodes.length; i++) {
        const port = await metricsPortOf(shop, i);
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        assert.equal(res.status, 200);
        const text = await res.text();
        const nodeId = shop.nodes[i].broker.nodeID;
        assert.ok(text.includes(`node_id="${nodeId}"`), `${nodeId} in its own metrics`);
        assert.match(text, /^# TYPE moleculer_request_total counter$/m);
      }
    });
  });
}

describe("metrics behind METRICS_TOKEN (embedded, production)", () => {
  let shop: TestShop;
  before(async () => {
    shop = await startShop("embedded", {
      env: { NODE_ENV: "production", METRICS_TOKEN: TOKEN },
    });
  });
  after(() => shop?.stop());

  it("answers 401 without the token or with another one", async () => {
    for (const authorization of [undefined, "Bearer not-the-token", TOKEN]) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      const res = await fetch(shop.url + "/metrics", { headers });
      assert.equal(res.status, 401, String(authorization));
      const body = (await res.json()) as { type: string; code: number };
      assert.equal(body.type, "UNAUTHORIZED");
      assert.equal(body.code, 401);
    }
  });

  it("serves the gateway's metrics with the token", async () => {
    const res = await fetch(shop.url + "/metrics", {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^# TYPE shop_http_requests_total counter$/m);
  });
});
