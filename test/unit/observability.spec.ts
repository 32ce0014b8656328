import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { createPino, moleculerStyle, scrub, toPino } from "../../lib/observability/logger.ts";
import {
  labelName,
  renderPrometheus,
  type MetricObject,
} from "../../lib/observability/prometheus.ts";
import { clusterView, type Sample } from "../../lib/observability/cluster-view.ts";
import { quantile } from "../../lib/observability/action-stats.ts";

function captured() {
  const out = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  let rest = "";
  out.on("data", (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split("\n");
    rest = parts.pop() ?? "";
    for (const p of parts) if (p) lines.push(JSON.parse(p));
  });
  const logger = moleculerStyle(
    createPino({ format: "json", level: "trace", destination: out }).child(
      { nodeID: "n1", mod: "users" },
      { level: "trace" },
    ),
  );
  return { logger, lines };
}

describe("logger", () => {
  it("redacts passwords, tokens and card data at any depth of a logged object", () => {
    const { logger, lines } = captured();
    logger.info("Params:", {
      email: "ada@example.com",
      password: "p4ssw0rd-secret",
      body: { currentPassword: "old-secret", card: { number: "4242424242424242", cvv: "123" } },
      headers: { authorization: "Bearer abc.def.ghi" },
      deep: { a: { b: { refreshToken: "rt_secret", accessToken: "at_secret" } } },
    });
    const text = JSON.stringify(lines);
    for (const secret of [
      "p4ssw0rd-secret",
      "old-secret",
      "4242424242424242",
      '"123"',
      "abc.def",
      "rt_secret",
      "at_secret",
    ]) {
      assert.ok(!text.includes(secret), `${secret} redacted`);
    }
    assert.equal(lines[0].email, "ada@example.com", "other fields stay");
    assert.equal(lines[0].password, "[REDACTED]");
    assert.equal((lines[0].body as { card: unknown }).card, "[REDACTED]");
  });

  it("masks tokens, card numbers and password pairs inside message text", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl";
    const out = scrub(
      `token ${jwt} card 4242 4242 4242 4242 rt_abcdefghijklmnopqrstuv password=hunter22 Bearer abcdefghijkl`,
    );
    assert.ok(!out.includes(jwt) && !out.includes("4242 4242") && !out.includes("hunter22"));
    assert.ok(!out.includes("rt_abcdefghijklmnop") && !out.includes("abcdefghijkl"));
    assert.equal(
      scrub("order 1234567890123 shipped"),
      "order 1234567890123 shipped",
      "a non-Luhn number stays",
    );
  });

  it("keeps Moleculer's (text, fields) arguments as Pino fields and a message", () => {
    const err = new Error("boom");
    assert.deepEqual(toPino(["Request failed", { url: "/x" }, 42]), [
      { url: "/x" },
      "Request failed 42",
    ]);
    assert.equal(toPino(["x", err])[0].err, err);
    // A field naming the logger's own keys cannot pass for them.
    assert.deepEqual(toPino(["Call", { nodeID: "other" }]), [
      { data: { nodeID: "other" } },
      "Call",
    ]);
  });

  it("writes level, time, bindings and message on each line", () => {
    const { logger, lines } = captured();
    logger.warn("hello");
    assert.equal(lines[0].level, "warn");
    assert.match(lines[0].time as string, /^\d{4}-\d\d-\d\dT/);
    assert.equal(lines[0].nodeID, "n1");
    assert.equal(lines[0].msg, "hello");
  });
});

describe("Prometheus exposition", () => {
  const metrics: MetricObject[] = [
    {
      type: "counter",
      name: "shop.logins.total",
      description: "Logins",
      values: [{ labels: { outcome: "success" }, value: 3 }],
    },
    {
      type: "counter",
      name: "moleculer.event.emit",
      values: [{ labels: { event: 'a"b\\c' }, value: 1 }],
    },
    {
      type: "gauge",
      name: "process.memory.rss",
      unit: "byte",
      values: [{ labels: {}, value: 100 }],
    },
    { type: "gauge", name: "empty.gauge", values: [] },
    {
      type: "histogram",
      name: "moleculer.request.time",
      description: "Request times",
      values: [
        {
          labels: { action: "users.login", caller: null as unknown as string },
          buckets: { "10": 1, "50": 3 },
          count: 4,
          sum: 120,
          quantiles: { "0.5": 20 },
        },
      ],
    },
    {
      type: "histogram",
      name: "only.quantiles",
      values: [{ labels: {}, quantiles: { "0.5": 2 }, count: 2, sum: 4 }],
    },
    { type: "info", name: "os.hostname", values: [{ labels: {}, value: "box" }] },
    { type: "counter", name: "os.datetime.unix", values: [{ labels: {}, value: 1 }] },
  ];
  const text = renderPrometheus(metrics, { namespace: "", node_id: "n1" });

  it("writes counters with a _total name, every series with the node's labels", () => {
    assert.match(text, /^# TYPE shop_logins_total counter$/m);
    assert.match(text, /^shop_logins_total\{namespace="",node_id="n1",outcome="success"\} 3$/m);
    assert.match(
      text,
      /^moleculer_event_emit_total\{namespace="",node_id="n1",event="a\\"b\\\\c"\} 1$/m,
    );
  });

  it("writes histograms as buckets, +Inf, sum and count only (no quantile series)", () => {
    assert.match(text, /^# TYPE moleculer_request_time histogram$/m);
    assert.match(
      text,
      /^moleculer_request_time_bucket\{.*action="users.login",caller="",le="10"\} 1$/m,
    );
    assert.match(text, /^moleculer_request_time_bucket\{.*le="\+Inf"\} 4$/m);
    assert.match(text, /^moleculer_request_time_sum\{.*\} 120$/m);
    assert.match(text, /^moleculer_request_time_count\{.*\} 4$/m);
    assert.ok(!/moleculer_request_time\{.*quantile/.test(text));
    assert.match(text, /^# TYPE only_quantiles summary$/m);
    assert.match(text, /^only_quantiles\{.*quantile="0.5"\} 2$/m);
  });

  it("skips empty metrics and Moleculer's datetime metrics; info becomes a gauge", () => {
    assert.ok(!text.includes("empty_gauge") && !text.includes("os_datetime"));
    assert.match(text, /^os_hostname\{namespace="",node_id="n1",value="box"\} 1$/m);
  });

  it("writes label names in snake_case", () => {
    assert.equal(labelName("nodeID"), "node_id");
    assert.equal(labelName("affectedNodeID"), "affected_node_id");
    assert.equal(labelName("errorCode"), "error_code");
    assert.equal(labelName("le"), "le");
  });
});

describe("cluster view", () => {
  it("estimates quantiles from cumulative buckets like histogram_quantile()", () => {
    const buckets = new Map([
      [10, 50],
      [100, 90],
      [Infinity, 100],
    ]);
    assert.equal(quantile(0.5, buckets), 10);
    assert.equal(quantile(0.7, buckets), 55);
    assert.equal(quantile(0.95, buckets), 100, "in the +Inf bucket: the highest finite bound");
    assert.equal(quantile(0.5, new Map([[Infinity, 0]])), null);
  });

  const sample = (
    at: number,
    logins: number,
    errors: number,
    fast: number,
    slow: number,
  ): Sample => ({
    at,
    nodes: [
      { id: "gw", available: true, local: false, hostname: "h1", cpu: 12 },
      { id: "u1", available: true, local: true, hostname: "h2", cpu: 30 },
      { id: "u2", available: false, local: false, hostname: "h3", cpu: null },
    ],
    services: [
      { name: "api", nodeID: "gw", available: true, actions: {} },
      { name: "users", nodeID: "u1", available: true, actions: { "users.login": {} } },
      { name: "users", nodeID: "u2", available: false, actions: { "users.login": {} } },
    ],
    metrics: {
      gw: [
        {
          type: "counter",
          name: "moleculer.request.total",
          values: [{ labels: { action: "users.login", type: "remote" }, value: logins }],
        },
        {
          type: "gauge",
          name: "moleculer.circuit-breaker.opened.active",
          values: [
            { labels: { affectedNodeID: "u2", service: "users", action: "users.login" }, value: 1 },
          ],
        },
        {
          type: "counter",
          name: "shop.gateway.rate_limited.total",
          values: [{ labels: { rule: "login" }, value: logins }],
        },
      ],
      u1: [
        {
          type: "counter",
          name: "moleculer.request.total",
          values: [
            { labels: { action: "users.login", type: "local", caller: "api" }, value: logins },
          ],
        },
        {
          type: "counter",
          name: "moleculer.request.error.total",
          values: [{ labels: { action: "users.login", type: "local" }, value: errors }],
        },
        {
          type: "histogram",
          name: "moleculer.request.time",
          values: [
            {
              labels: { action: "users.login", type: "local" },
              buckets: { "10": fast, "100": fast + slow },
              count: fast + slow,
            },
          ],
        },
      ],
      u2: null,
    },
    health: {
      u1: { process: { memory: { rss: 5, heapUsed: 3, heapTotal: 4 }, uptime: 9 } },
      gw: null,
      u2: null,
    },
  });

  const view = clusterView([sample(0, 100, 0, 100, 0), sample(10_000, 200, 20, 150, 50)]);

  it("rates requests and errors per second over the window, counted where the action ran", () => {
    const login = view.actions.find((a) => a.name === "users.login")!;
    assert.equal(login.requests, 200, "the gateway's remote count is not added");
    assert.equal(login.requestRate, 10);
    assert.equal(login.errorRate, 2);
    assert.equal(login.errorRatio, 0.2);
    assert.equal(login.p50, 10, "50 fast of 100 in the window");
    assert.equal(login.p95, 91);
    assert.deepEqual(
      login.instances.map((i) => [i.nodeID, i.breaker]),
      [
        ["u1", "closed"],
        ["u2", "open"],
      ],
    );
  });

  it("lists nodes up and down, services and instances, breakers and rate-limit rejections", () => {
    assert.deepEqual(
      view.nodes.map((n) => [n.id, n.status]),
      [
        ["gw", "up"],
        ["u1", "up"],
        ["u2", "down"],
      ],
    );
    assert.equal(view.nodes[1].memory?.rss, 5);
    assert.deepEqual(
      view.services.map((s) => [s.name, s.instances.length, s.up]),
      [
        ["api", 1, 1],
        ["users", 2, 1],
      ],
    );
    assert.deepEqual(view.circuitBreakers, [
      { callerNodeID: "gw", targetNodeID: "u2", action: "users.login", state: "open" },
    ]);
    assert.equal(view.rateLimit.rejected, 200);
    assert.equal(view.rateLimit.rejectedRate, 10);
    assert.equal(view.summary.nodesDown, 1);
    assert.equal(view.summary.openBreakers, 1);
  });

  it("has no rate before a second sample", () => {
    const login = clusterView([sample(0, 10, 1, 5, 5)]).actions.find(
      (a) => a.name === "users.login",
    )!;
    assert.equal(login.requestRate, null);
    assert.equal(login.requests, 10);
  });

  it("takes Moleculer's sliding quantiles when the window saw no request", () => {
    const before = sample(0, 10, 1, 5, 5);
    const now = sample(10_000, 10, 1, 5, 5);
    const histogram = now.metrics.u1![2].values[0] as { quantiles?: object };
    histogram.quantiles = { "0.5": 7, "0.95": 42 };
    const login = clusterView([before, now]).actions.find((a) => a.name === "users.login")!;
    assert.equal(login.requestRate, 0);
    assert.equal(login.p50, 7);
    assert.equal(login.p95, 42);
  });
});

describe("broker options (moleculer.config.ts)", () => {
  it("enable metrics everywhere and a metrics port only with METRICS_PORT", async () => {
    const { loadConfig } = await import("../../lib/config.ts");
    const { default: brokerOptions } = await import("../../moleculer.config.ts");
    const without = brokerOptions(loadConfig({}), {});
    assert.equal((without.metrics as { enabled: boolean }).enabled, true);
    assert.deepEqual((without.metrics as { reporter: unknown[] }).reporter, []);
    const withPort = brokerOptions(loadConfig({ METRICS_PORT: "9464", HOST: "0.0.0.0" }), {});
    assert.deepEqual((withPort.metrics as { reporter: unknown[] }).reporter, [
      { type: "ShopPrometheus", options: { port: 9464, host: "0.0.0.0" } },
    ]);
    assert.equal((without.tracing as { enabled: boolean }).enabled, false, "OpenTelemetry instead");
    assert.equal(without.middlewares?.length, 1);
    assert.throws(() => loadConfig({ METRICS_PORT: "http" }), /METRICS_PORT/);
  });
});
