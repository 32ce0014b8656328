/**
 * OpenTelemetry for one process. A tracer provider is always installed, so every request gets a
 * W3C trace id that travels across nodes and appears in the logs. Spans are exported, and HTTP,
 * mysql2 and ioredis are instrumented, only when OTEL_EXPORTER_OTLP_ENDPOINT is set: then this
 * must run before those modules are loaded (bin/start.ts imports tracing-init.ts first).
 */
import { createRequire, register } from "node:module";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TracerProvider,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";

export const TRACER_NAME = "douyin-mall";

export interface TracingOptions {
  /** OTLP/HTTP base URL (spans go to `<endpoint>/v1/traces`); unset: ids only, nothing exported. */
  endpoint?: string;
  /** Another exporter (tests); implies recording. */
  exporter?: SpanExporter;
  /** Resource attributes naming this process (node id, services). */
  attributes?: Record<string, string>;
  /** Instrument HTTP, mysql2 and ioredis (default: when an endpoint is given). */
  instrument?: boolean;
  /** How long finished spans wait before export (default 1 s). */
  exportDelayMs?: number;
}

let provider: TracerProvider | undefined;
let recording = false;

/** Installs the process-wide tracer provider once; later calls are ignored. */
export function startTracing(opts: TracingOptions = {}): void {
  if (provider) return;
  const exporter = opts.exporter ?? (opts.endpoint ? otlpExporter(opts.endpoint) : undefined);
  recording = exporter !== undefined;
  const processors: SpanProcessor[] = exporter
    ? [
        new BatchSpanProcessor({
          exporter,
          scheduledDelayMillis: opts.exportDelayMs ?? 1_000,
          maxQueueSize: 8_192,
        }),
      ]
    : [];
  provider = installProvider(processors, opts.attributes ?? {}, recording);
  if (opts.instrument ?? opts.endpoint !== undefined) instrumentLibraries();
}

/** The provider without export, for nodes created without bin/start.ts (tests, REPL). */
export function ensureTracing(): void {
  if (!provider) provider = installProvider([], {}, false);
}

/** True when spans are recorded and exported. */
export function isTracingRecording(): boolean {
  return recording;
}

/** Exports the spans still buffered (called when a broker stops). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush().catch(() => undefined);
}

function installProvider(
  spanProcessors: SpanProcessor[],
  attributes: Record<string, string>,
  record: boolean,
): TracerProvider {
  const p = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: "douyin-mall",
      [ATTR_SERVICE_VERSION]: process.env.npm_package_version ?? "0.1.0",
      ...attributes,
    }),
    // Without an exporter, spans are not recorded but still get ids (for the logs and headers).
    sampler: new ParentBasedSampler({
      root: record ? new AlwaysOnSampler() : new AlwaysOffSampler(),
    }),
    spanProcessors,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(p);
  return p;
}

// Loaded synchronously and only when used: the instrumentations must patch mysql2 and ioredis
// before any other module imports them, and a top-level await would not hold those imports back.
const require = createRequire(import.meta.url);

function otlpExporter(endpoint: string): SpanExporter {
  const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-http");
  return new OTLPTraceExporter({ url: endpoint.replace(/\/+$/, "") + "/v1/traces" });
}

function instrumentLibraries(): void {
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
