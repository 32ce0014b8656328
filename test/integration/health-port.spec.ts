/**
 * Every node's own health endpoint (HEALTH_PORT): what container probes ask. In both modes: in
 * the cluster, every node (gateways and the service node) answers, and the readiness of a node
 * includes its transporter; a stopping node is not ready.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { startShop, type TestShop } from "../helpers/shop.ts";

for (const mode of await testModes()) {
  describe(`health port (${mode})`, () => {
    let shop: TestShop;
    before(async () => {
      shop = await startShop(mode, { env: { HEALTH_PORT: "0" } });
    });
    after(() => shop?.stop());

    it("every node answers /live and /ready on its own port", async () => {
      for (const node of shop.nodes) {
        assert.ok(node.healthPort, `${node.broker.nodeID} has a health port`);
        const live = await fetch(`http://127.0.0.1:${node.healthPort}/live`);
        assert.equal(live.status, 200);
        const ready = await fetch(`http://127.0.0.1:${node.healthPort}/ready`);
        const body = (await ready.json()) as { status: string; checks: Record<string, string> };
        assert.equal(ready.status, 200, JSON.stringify(body));
        assert.equal(body.checks.broker, "ok");
        if (mode === "cluster") assert.equal(body.checks.transporter, "ok");
        if (node.platform.sequelize) assert.equal(body.checks.database, "ok");
      }
    });

    it("a node that stops is no longer ready, then no longer answers", async () => {
      // Last test: in the embedded mode it stops the shop's only node.
      const node = mode === "cluster" ? await shop.addNode(["carts"]) : shop.nodes[0];
      const url = `http://127.0.0.1:${node.healthPort}`;
      assert.equal((await fetch(`${url}/ready`)).status, 200);
      const stopping = node.stop();
      const during = await fetch(`${url}/ready`).then(
        (r) => r.status,
        () => 0,
      );
      await stopping;
      // 503 while it drains, or already closed: never 200 once the stop began.
      assert.notEqual(during, 200);
      await assert.rejects(fetch(`${url}/live`));
    });
  });
}
