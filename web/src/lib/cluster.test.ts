import { describe, expect, it } from "vitest";
import { breakerState, normalizeCluster } from "./cluster.ts";

describe("normalizeCluster", () => {
  it("reads the suggested shape", () => {
    const view = normalizeCluster({
      nodes: [
        {
          id: "gateway-1",
          hostname: "gw",
          ipList: ["10.0.0.1"],
          available: true,
          local: true,
          cpu: 12.5,
          uptime: 3600,
          services: ["api", "users"],
        },
        { id: "worker-1", available: false, services: [{ name: "orders" }] },
      ],
      services: [
        { name: "users", version: "1", instances: [{ nodeId: "gateway-1", available: true }] },
      ],
      actions: [
        {
          name: "users.login",
          requestRate: 10,
          errorRate: 0.1,
          latency: { mean: 4, p95: 9, p99: 20 },
          breaker: "closed",
        },
        {
          name: "orders.checkout",
          requestRate: 30,
          errorRate: 0,
          latency: { mean: 40, p95: 90, p99: 120 },
          breaker: "half_open",
        },
      ],
    });
    expect(view.nodes).toEqual([
      {
        id: "gateway-1",
        hostname: "gw",
        ips: ["10.0.0.1"],
        available: true,
        local: true,
        cpu: 12.5,
        uptime: 3600,
        services: ["api", "users"],
      },
      {
        id: "worker-1",
        hostname: null,
        ips: [],
        available: false,
        local: false,
        cpu: null,
        uptime: null,
        services: ["orders"],
      },
    ]);
    expect(view.services[0]).toEqual({
      name: "users",
      version: "1",
      instances: [{ nodeId: "gateway-1", available: true }],
    });
    expect(view.actions.map((a) => a.name)).toEqual(["orders.checkout", "users.login"]);
    expect(view.actions[1]).toMatchObject({
      requestRate: 10,
      errorRate: 0.1,
      latencyMean: 4,
      latencyP95: 9,
      latencyP99: 20,
    });
    expect(view.totals.requestRate).toBe(40);
    expect(view.totals.errorRate).toBeCloseTo(0.025);
    expect(view.totals.latencyP95).toBe(90);
    expect(view.breakers).toContainEqual({
      nodeId: null,
      action: "orders.checkout",
      state: "half-open",
    });
  });

  it("accepts maps keyed by id and Moleculer's spellings", () => {
    const view = normalizeCluster({
      nodes: {
        "node-a": { nodeID: "node-a", available: true, cpu: { usage: 50 }, services: { api: {} } },
      },
      actions: { "products.list": { rps: 5, errorsPerSecond: 1, latency: 7 } },
      breakers: { "node-a:payments.charge": "OPEN" },
    });
    expect(view.nodes[0]).toMatchObject({ id: "node-a", cpu: 50, services: ["api"] });
    expect(view.services).toEqual([
      { name: "api", version: null, instances: [{ nodeId: "node-a", available: true }] },
    ]);
    expect(view.actions[0]).toMatchObject({
      name: "products.list",
      requestRate: 5,
      errorRate: 0.2,
      latencyMean: 7,
    });
    expect(view.breakers).toEqual([{ nodeId: "node-a", action: "payments.charge", state: "open" }]);
  });

  it("reads an error rate given in percent", () => {
    expect(
      normalizeCluster({ actions: [{ name: "a", errorRate: 5 }] }).actions[0].errorRate,
    ).toBeCloseTo(0.05);
  });

  it("gives an empty view for an empty or odd answer", () => {
    for (const raw of [null, undefined, "x", {}, { nodes: 3 }]) {
      expect(normalizeCluster(raw)).toEqual({
        nodes: [],
        services: [],
        actions: [],
        breakers: [],
        totals: { requestRate: null, errorRate: null, latencyP95: null },
      });
    }
  });

  it("knows the breaker states", () => {
    expect(breakerState("HALF_OPEN")).toBe("half-open");
    expect(breakerState({ state: "closed" })).toBe("closed");
    expect(breakerState("weird")).toBeNull();
  });
});

describe("normalizeCluster on GET /api/admin/cluster's own shape", () => {
  // As lib/observability/cluster-view.ts sends it (test/unit/cluster-view.spec.ts).
  const api = {
    summary: { requestRate: 20, errorRate: 2, nodesUp: 1 },
    nodes: [
      {
        id: "gw",
        status: "up",
        local: true,
        hostname: "h",
        cpu: 3,
        uptimeSeconds: 7260,
        services: ["api"],
      },
    ],
    services: [{ name: "users", version: null, instances: [{ nodeID: "gw", up: false }], up: 0 }],
    actions: [
      { name: "$node.list", requests: 5, requestRate: 1, errorRate: 0, errorRatio: 0 },
      { name: "api.rest", requests: 300, requestRate: 20, errorRate: 0, errorRatio: 0 },
      { name: "api.addRoute", requests: 0, requestRate: 0, errorRate: 0, errorRatio: null },
      {
        name: "products.list",
        service: "products",
        requests: 300,
        errors: 30,
        requestRate: 20,
        errorRate: 2,
        errorRatio: 0.1,
        mean: 8,
        p50: 5,
        p95: 60,
        p99: 91,
        breaker: "closed",
        instances: [{ nodeID: "gw", breaker: "closed" }],
      },
      {
        name: "users.login",
        requests: 0,
        errors: 0,
        requestRate: 0,
        errorRate: 0,
        errorRatio: null,
        mean: null,
        p50: null,
        p95: null,
        p99: null,
        breaker: "closed",
      },
    ],
    circuitBreakers: [],
  };
  const view = normalizeCluster(api);

  it("reads uptimeSeconds, mean, p99, the breaker and the error ratio", () => {
    expect(view.nodes[0].uptime).toBe(7260);
    const list = view.actions.find((a) => a.name === "products.list")!;
    expect(list).toMatchObject({
      requestRate: 20,
      errorRate: 0.1,
      latencyMean: 8,
      latencyP95: 60,
      latencyP99: 91,
      breaker: "closed",
    });
    expect(view.actions.find((a) => a.name === "users.login")!.errorRate).toBe(0);
    expect(view.services[0].instances[0].available).toBe(false);
  });

  it("hides internal actions and counts one HTTP request once", () => {
    expect(view.actions.map((a) => a.name)).toEqual(["products.list", "users.login"]);
    expect(view.totals.requestRate).toBe(20);
    expect(view.totals.errorRate).toBeCloseTo(0.1);
  });
});
