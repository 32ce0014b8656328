/**
 * OpenTelemetry for one process. A tracer provider is always installed, so every request gets a
 * W3C trace id that travels across nodes and appears in the logs. Spans are recorded and
 * exported, and HTTP, mysql2 and ioredis are instrumented, only when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set: then the SDK is loaded (tracing-sdk.ts), before those modules are (bin/start.ts imports
 * tracing-init.ts first). Without it the provider only makes ids (trace-ids.ts) and the SDK is
 * never loaded.
 */
import { createRequire } from "node:module";
import { context, propagation, trace, type TracerProvider } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type { SpanExporter } from "@opentelemetry/sdk-trace";
import { idsOnlyTracerProvider } from "./trace-ids.ts";

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

type Sdk = typeof import("./tracing-sdk.ts");
type Flushable = TracerProvider & { forceFlush?: () => Promise<void> };

let provider: Flushable | undefined;
let recording = false;
/** Where export trouble is told: the broker's logger once a node has one (setTracingLogger). */
let exportLogger: { warn(msg: string): void; info(msg: string): void } = {
  warn: (msg) => console.warn(msg),
  info: () => undefined,
};

/** Export trouble goes to this logger from now on (called when a broker is created). */
export function setTracingLogger(logger: { warn(msg: string): void; info(msg: string): void }) {
  exportLogger = logger;
}

/** Installs the process-wide tracer provider once; later calls are ignored. */
export function startTracing(opts: TracingOptions = {}): void {
  if (provider) return;
  recording = opts.exporter !== undefined || opts.endpoint !== undefined;
  const instrument = opts.instrument ?? opts.endpoint !== undefined;
  // Synchronous on purpose: the instrumentations must be in place before the modules they patch
  // are imported, and a top-level await would not hold those imports back.
  const sdk = recording || instrument ? loadSdk() : undefined;
  provider = recording
    ? sdk!.recordingTracerProvider({
        endpoint: opts.endpoint,
        exporter: opts.exporter,
        attributes: opts.attributes ?? {},
        exportDelayMs: opts.exportDelayMs ?? 1_000,
        report: (level, message) => exportLogger[level](message),
      })
    : idsOnlyTracerProvider();
  install(provider);
  if (instrument) sdk!.instrumentLibraries();
}

/** The provider without export, for nodes created without bin/start.ts (tests, REPL). */
export function ensureTracing(): void {
  if (!provider) install((provider = idsOnlyTracerProvider()));
}

/** True when spans are recorded and exported. */
export function isTracingRecording(): boolean {
  return recording;
}

/** Exports the spans still buffered (called when a broker stops). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush?.().catch(() => undefined);
}

function install(p: TracerProvider): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(p);
}

function loadSdk(): Sdk {
  return createRequire(import.meta.url)("./tracing-sdk.ts") as Sdk;
}
