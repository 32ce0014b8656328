/**
 * The observability middleware on brokers joined by Moleculer's in-process Fake transporter:
 * spans, their parent links across nodes, and the ids on log lines.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { ServiceBroker } from "moleculer";
import { flushTracing, startTracing } from "../../lib/observability/tracing.ts";
import { ObservabilityMiddleware } from "../../lib/observability/middleware.ts";
import { loggerOptions } from "../../lib/observability/logger.ts";
import { countLogin, SHOP_METRICS } from "../../lib/observability/metrics.ts";

const exporter = new InMemorySpanExporter();
startTracing({ exporter, exportDelayMs: 5 });

describe("observability middleware", () => {
  const logs: Array<Record<string, unknown>> = [];
  const out = new PassThrough();
  out.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line) logs.push(JSON.parse(line));
  });
  const namespace = `obs-${process.pid}`;
  const make = (nodeID: string) =>
    new ServiceBroker({
      nodeID,
      namespace,
      transporter: "Fake",
      logger: loggerOptions({ format: "json", level: "info", destination: out }),
      metrics: { enabled: true, collectProcessMetrics: false },
      cacher: "Memory",
      middlewares: [ObservabilityMiddleware()],
    });
  const gateway = make("gw");
  const backend = make("be");
  let spans: ReadableSpan[];
  let eventSeen: () => void;
  const seen = new Promise<void>((resolve) => (eventSeen = resolve));

  before(async () => {
    gateway.createService({
      name: "front",
      actions: {
        async handle(ctx) {
          ctx.service!.logger.info("front handles");
          await ctx.call("back.work", { n: 1 });
          await ctx.call("back.work", { n: 2 });
          return ctx.call("front.local");
        },
        local(ctx) {
          ctx.service!.logger.info("front local");
          return "ok";
        },
      },
      events: {
        "thing.happened"(ctx) {
          ctx.service!.logger.info("front saw the event");
          eventSeen();
        },
      },
    });
    backend.createService({
      name: "back",
      actions: {
        work: {
          cache: true,
          handler(ctx) {
            ctx.service!.logger.info("back works", { n: (ctx.params as { n: number }).n });
            return (ctx.params as { n: number }).n;
          },
        },
        fail() {
          throw new Error("broken");
        },
        notify(ctx) {
          ctx.emit("thing.happened", {});
          return true;
        },
      },
    });
    await Promise.all([gateway.start(), backend.start()]);
    await gateway.waitForServices(["back"]);
    await gateway.call("front.handle", {}, { requestID: "req-1" });
    await gateway.call("back.work", { n: 1 }); // cached on the second call
    await gateway.call("back.fail").catch(() => undefined);
    await gateway.call("back.notify", {}, { requestID: "req-2" });
    await seen;
    await flushTracing();
    spans = exporter.getFinishedSpans();
  });

  after(async () => {
    await Promise.all([gateway.stop(), backend.stop()]);
  });

  const find = (name: string, kind: SpanKind, nodeID: string) =>
    spans.filter(
      (s) => s.name === name && s.kind === kind && s.attributes["moleculer.node_id"] === nodeID,
    );
  const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

  it("opens a CLIENT span on the caller and a SERVER span on the callee, linked", () => {
    const [root] = find("front.handle", SpanKind.INTERNAL, "gw");
    assert.ok(root, "the entry action's span");
    const clients = find("back.work", SpanKind.CLIENT, "gw").filter(
      (s) => s.spanContext().traceId === root.spanContext().traceId,
    );
    const servers = find("back.work", SpanKind.SERVER, "be").filter(
      (s) => s.spanContext().traceId === root.spanContext().traceId,
    );
    assert.equal(clients.length, 2);
    assert.equal(servers.length, 2);
    for (const c of clients) assert.equal(parentOf(c), root.spanContext().spanId);
    // Each callee span hangs under its own call, not under the first one (meta merges back).
    assert.deepEqual(
      servers.map(parentOf).sort(),
      clients.map((c) => c.spanContext().spanId).sort(),
    );
  });

  it("makes a local call a child of the calling action", () => {
    const [root] = find("front.handle", SpanKind.INTERNAL, "gw");
    const [local] = find("front.local", SpanKind.INTERNAL, "gw");
    assert.equal(parentOf(local), root.spanContext().spanId);
  });

  it("links an event's handler on another node to the emitting action", () => {
    const [emitter] = find("back.notify", SpanKind.SERVER, "be");
    const handlers = spans.filter((s) => s.name === "event thing.happened");
    assert.equal(handlers.length, 1);
    assert.equal(handlers[0].kind, SpanKind.CONSUMER);
    assert.equal(handlers[0].attributes["moleculer.node_id"], "gw");
    assert.equal(parentOf(handlers[0]), emitter.spanContext().spanId);
    const line = logs.find((l) => l.msg === "front saw the event");
    assert.equal(line?.requestId, "req-2");
    assert.equal(line?.traceId, emitter.spanContext().traceId);
  });

  it("marks a failed action's span as an error", () => {
    const [server] = find("back.fail", SpanKind.SERVER, "be");
    assert.equal(server.status.code, 2);
    assert.equal(server.attributes["error.type"], "Error");
  });

  it("writes the request id and trace id on lines logged on both nodes", () => {
    const [root] = find("front.handle", SpanKind.INTERNAL, "gw");
    const mine = logs.filter((l) => l.requestId === "req-1");
    assert.deepEqual(mine.map((l) => l.msg).sort(), [
      "back works",
      "back works",
      "front handles",
      "front local",
    ]);
    assert.ok(mine.every((l) => l.traceId === root.spanContext().traceId));
    assert.deepEqual(new Set(mine.map((l) => l.nodeID)), new Set(["gw", "be"]));
  });

  it("counts cache hits and misses and business events", () => {
    countLogin(backend, "success");
    const cache = backend.metrics.getMetric(SHOP_METRICS.cache)!.snapshot() as unknown as Array<{
      labels: { result: string };
      value: number;
    }>;
    const byResult = Object.fromEntries(cache.map((s) => [s.labels.result, s.value]));
    assert.ok(byResult.miss >= 2, "first calls miss");
    assert.equal(byResult.hit, 1, "the repeated call hits");
    const logins = backend.metrics.getMetric(SHOP_METRICS.logins)!.snapshot() as Array<{
      value: number;
    }>;
    assert.equal(logins[0].value, 1);
  });
});
