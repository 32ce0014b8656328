/**
 * What the monitoring page lists and sums: no internal actions, idle ones only when the public
 * API calls them, one HTTP request counted once, mean and p99 latency, each action's breaker.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  clusterView,
  isInternalAction,
  type Sample,
} from "../../lib/observability/cluster-view.ts";

const counter = (action: string, value: number) => ({ labels: { action, type: "local" }, value });

function sample(at: number, n: number): Sample {
  return {
    at,
    nodes: [{ id: "gw", available: true, local: true, hostname: "h", cpu: 1 }],
    services: [
      {
        name: "api",
        nodeID: "gw",
        available: true,
        actions: {
          "api.rest": { visibility: "private" },
          "api.addRoute": { visibility: "public" },
          "api.health": { visibility: "published" },
        },
      },
      {
        name: "products",
        nodeID: "gw",
        available: true,
        actions: { "products.list": {}, "products.idle": {}, "products.reindex": {} },
      },
      { name: "$node", nodeID: "gw", available: true, actions: { "$node.list": {} } },
    ],
    metrics: {
      gw: [
        {
          type: "counter",
          name: "moleculer.request.total",
          values: [
            counter("api.rest", n),
            counter("products.list", n),
            counter("$node.list", n),
            counter("api.addRoute", 1),
          ],
        },
        {
          type: "histogram",
          name: "moleculer.request.time",
          values: [
            {
              labels: { action: "products.list", type: "local" },
              buckets: { "10": n * 0.9, "100": n },
              count: n,
              sum: n * 8,
            },
          ],
        },
      ],
    },
    health: { gw: { process: { uptime: 42.4 } } },
  };
}

describe("cluster view for the monitoring page", () => {
  const published = new Set(["products.list", "products.idle", "api.health"]);
  const view = clusterView([sample(0, 100), sample(10_000, 300)], { published });

  it("lists neither internal actions nor idle unpublished ones", () => {
    assert.deepEqual(
      view.actions.map((a) => a.name),
      ["api.health", "products.idle", "products.list"],
    );
    assert.ok(isInternalAction("$node.list"));
    assert.ok(isInternalAction("api.rest"));
    assert.ok(isInternalAction("api.addRoute", "public"));
    assert.ok(!isInternalAction("products.list"));
  });

  it("counts one HTTP request once in the headline rate", () => {
    assert.equal(view.summary.requestRate, 20, "products.list's 200 in 10 s, not api.rest's too");
  });

  it("gives each action its mean, p99 and breaker state, and nodes their uptime", () => {
    const list = view.actions.find((a) => a.name === "products.list")!;
    assert.equal(list.mean, 8);
    assert.equal(list.p99, 91);
    assert.equal(list.breaker, "closed");
    assert.equal(view.actions.find((a) => a.name === "products.idle")!.mean, null);
    assert.equal(view.nodes[0].uptimeSeconds, 42);
  });

  it("lists every action with traffic, and all of them without a published list", () => {
    const all = clusterView([sample(0, 100)]);
    assert.ok(all.actions.some((a) => a.name === "products.reindex"));
    assert.ok(!all.actions.some((a) => isInternalAction(a.name)));
  });
});
