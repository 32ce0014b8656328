/**
 * The tracer of a node that records no spans (no OTEL_EXPORTER_OTLP_ENDPOINT): each span is a
 * non-recording span with a fresh span id, in its parent's trace (a new trace id at the root), so
 * every request still gets a W3C trace id for the logs and the `traceparent` sent to other nodes,
 * without loading the OpenTelemetry SDK (its modules cost each node about 4 MB; tracing-sdk.ts).
 */
import { randomFillSync } from "node:crypto";
import {
  TraceFlags,
  context,
  isSpanContextValid,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";

/** A tracer provider that makes ids only; the same tracer for every name. */
export function idsOnlyTracerProvider(): TracerProvider {
  const tracer = new IdsOnlyTracer();
  return { getTracer: () => tracer };
}

class IdsOnlyTracer implements Tracer {
  startSpan(_name: string, options?: SpanOptions, ctx: Context = context.active()): Span {
    const parent = options?.root ? undefined : trace.getSpanContext(ctx);
    const inTrace = parent !== undefined && isSpanContextValid(parent);
    return trace.wrapSpanContext({
      traceId: inTrace ? parent.traceId : randomId(16),
      spanId: randomId(8),
      // A sampled caller stays sampled below this node, for the nodes that do record.
      traceFlags: inTrace ? parent.traceFlags : TraceFlags.NONE,
    });
  }

  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...args: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = args[args.length - 1] as F;
    const options = args.length > 1 ? (args[0] as SpanOptions) : undefined;
    const parent = args.length > 2 ? (args[1] as Context) : context.active();
    const span = this.startSpan(name, options, parent);
    return context.with(trace.setSpan(parent, span), () => fn(span)) as ReturnType<F>;
  }
}

// Random bytes drawn in batches: a request makes a few spans, each needing 8 or 24 bytes.
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** `bytes` random bytes as lower-case hex, never all zeros (an invalid W3C id). */
export function randomId(bytes: number): string {
  for (;;) {
    if (offset + bytes > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const hex = pool.toString("hex", offset, offset + bytes);
    offset += bytes;
    if (!/^0+$/.test(hex)) return hex;
  }
}
