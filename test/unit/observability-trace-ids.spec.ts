/**
 * Tracing without an OTLP endpoint: ids for the logs and for other nodes, and no SDK loaded.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ROOT_CONTEXT, TraceFlags, trace } from "@opentelemetry/api";
import { idsOnlyTracerProvider, randomId } from "../../lib/observability/trace-ids.ts";
import { ensureTracing } from "../../lib/observability/tracing.ts";

ensureTracing(); // the context manager, for startActiveSpan
const tracer = idsOnlyTracerProvider().getTracer("test");

describe("the ids-only tracer (no OTEL_EXPORTER_OTLP_ENDPOINT)", () => {
  it("gives a root span a new trace id and span id, not sampled, not recording", () => {
    const a = tracer.startSpan("a", {}, ROOT_CONTEXT);
    const b = tracer.startSpan("b", {}, ROOT_CONTEXT);
    assert.match(a.spanContext().traceId, /^[0-9a-f]{32}$/);
    assert.match(a.spanContext().spanId, /^[0-9a-f]{16}$/);
    assert.notEqual(a.spanContext().traceId, b.spanContext().traceId);
    assert.equal(a.spanContext().traceFlags, TraceFlags.NONE);
    assert.equal(a.isRecording(), false);
  });

  it("puts a child in its parent's trace with a span id of its own", () => {
    const parent = tracer.startSpan("parent", {}, ROOT_CONTEXT);
    const child = tracer.startSpan("child", {}, trace.setSpan(ROOT_CONTEXT, parent));
    assert.equal(child.spanContext().traceId, parent.spanContext().traceId);
    assert.notEqual(child.spanContext().spanId, parent.spanContext().spanId);
  });

  it("keeps a remote caller's sampled flag and starts a new trace when asked for a root", () => {
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    const child = tracer.startSpan("child", {}, remote);
    assert.equal(child.spanContext().traceId, "0af7651916cd43dd8448eb211c80319c");
    assert.equal(child.spanContext().traceFlags, TraceFlags.SAMPLED);
    const root = tracer.startSpan("root", { root: true }, remote);
    assert.notEqual(root.spanContext().traceId, "0af7651916cd43dd8448eb211c80319c");
  });

  it("runs startActiveSpan's function with the new span active", () => {
    const seen = tracer.startActiveSpan("active", (span) => {
      assert.equal(trace.getActiveSpan(), span);
      return span.spanContext().spanId;
    });
    assert.match(seen, /^[0-9a-f]{16}$/);
  });

  it("draws distinct random ids across refills of its byte pool", () => {
    const ids = new Set(Array.from({ length: 2_000 }, () => randomId(8)));
    assert.equal(ids.size, 2_000);
  });

  it("never loads the OpenTelemetry SDK, exporter or instrumentations in such a process", () => {
    const tracing = new URL("../../lib/observability/tracing.ts", import.meta.url).href;
    const middleware = new URL("../../lib/observability/middleware.ts", import.meta.url).href;
    // A child process: this test process has loaded the SDK through other spec files.
    const script = `
      import { registerHooks } from "node:module";
      const loaded = [];
      registerHooks({ resolve(spec, ctx, next) { loaded.push(spec); return next(spec, ctx); } });
      const { startTracing } = await import(${JSON.stringify(tracing)});
      await import(${JSON.stringify(middleware)});
      startTracing({ attributes: { "service.instance.id": "t" } });
      const { trace } = await import("@opentelemetry/api");
      const id = trace.getTracer("t").startSpan("x").spanContext().traceId;
      console.log(JSON.stringify({ id, sdk: loaded.filter((s) => /tracing-sdk|opentelemetry\\/(sdk|exporter|instrumentation|resources)/.test(s)) }));
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      encoding: "utf8",
    });
    const { id, sdk } = JSON.parse(out.trim().split("\n").pop()!);
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.deepEqual(sdk, []);
  });
});
