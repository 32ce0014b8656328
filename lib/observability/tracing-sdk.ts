/**
 * The OpenTelemetry SDK of a node that records spans: a tracer provider with a batching exporter
 * (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, or the exporter a test gives), and the HTTP, mysql2
 * and ioredis instrumentations. tracing.ts loads this module only when spans are recorded, so a
 * node without an endpoint never loads the SDK, its exporter or the instrumentations.
 */
import { createRequire, register } from "node:module";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TracerProvider,
  type SpanExporter,
} from "@opentelemetry/sdk-trace";
import { ExportResultCode } from "@opentelemetry/core";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";

export interface RecordingOptions {
  /** OTLP/HTTP base URL (spans go to `<endpoint>/v1/traces`), used when no exporter is given. */
  endpoint?: string;
  exporter?: SpanExporter;
  /** Told once when exports start failing and once when they work again. */
  report?: ExportReport;
  attributes: Record<string, string>;
  exportDelayMs: number;
}

/** A tracer provider that records every root span and exports what it records. */
export function recordingTracerProvider(opts: RecordingOptions): TracerProvider {
  const exporter = reportingOnce(
    opts.exporter ?? otlpExporter(opts.endpoint!),
    opts.endpoint ?? "the exporter",
    opts.report ?? (() => undefined),
  );
  return new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: "douyin-mall",
      [ATTR_SERVICE_VERSION]: process.env.npm_package_version ?? "0.1.0",
      ...opts.attributes,
    }),
    // Root spans are recorded; a child follows its parent's decision (W3C sampled flag).
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter,
        scheduledDelayMillis: opts.exportDelayMs,
        maxQueueSize: 8_192,
      }),
    ],
  });
}

export type ExportReport = (level: "warn" | "info", message: string) => void;

/**
 * The exporter, telling `report` when the collector becomes unreachable and when it is back, once
 * each: a node whose collector is missing (tracing is optional) says so once, not per batch.
 */
export function reportingOnce(
  exporter: SpanExporter,
  where: string,
  report: ExportReport,
): SpanExporter {
  let failing = false;
  return {
    export(spans, done) {
      exporter.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS && !failing) {
          failing = true;
          report(
            "warn",
            `Traces cannot be exported to ${where} (${result.error?.message ?? "failed"}); ` +
              "spans are dropped until it answers (reported once)",
          );
        } else if (result.code === ExportResultCode.SUCCESS && failing) {
          failing = false;
          report("info", `Traces are exported to ${where} again`);
        }
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

// Loaded synchronously and only when used: the instrumentations must patch mysql2 and ioredis
// before any other module imports them, and a top-level await would not hold those imports back.
const require = createRequire(import.meta.url);

function otlpExporter(endpoint: string): SpanExporter {
  const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-http");
  return new OTLPTraceExporter({ url: endpoint.replace(/\/+$/, "") + "/v1/traces" });
}

/** Instruments HTTP, mysql2 and ioredis; must run before those modules are first imported. */
export function instrumentLibraries(): void {
  // ioredis is imported as an ES module (lib/store/kv.ts), which require hooks do not see: the
  // loader hook of import-in-the-middle lets the instrumentation patch it, for ioredis only.
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.url, {
    data: { include: ["ioredis"] },
  });
  const { registerInstrumentations } = require("@opentelemetry/instrumentation");
  const http = require("@opentelemetry/instrumentation-http");
  const mysql2 = require("@opentelemetry/instrumentation-mysql2");
  const ioredis = require("@opentelemetry/instrumentation-ioredis");
  registerInstrumentations({
    instrumentations: [
      new http.HttpInstrumentation({
        // Outgoing calls are the OTLP export itself; tracing them would trace the tracer.
        ignoreOutgoingRequestHook: () => true,
        ignoreIncomingRequestHook: (req: { url?: string }) => req.url === "/metrics",
      }),
      new mysql2.MySQL2Instrumentation(),
      new ioredis.IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
}
