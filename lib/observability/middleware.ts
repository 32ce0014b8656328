/**
 * The observability middleware of every broker (moleculer.config.ts):
 * - a span per action and event handled on this node, child of the caller's span: the active
 *   span for a local call, or the W3C traceparent the caller put in `ctx.meta.$otel` for a call
 *   that came over the transporter (a CLIENT span is opened on the calling node for it);
 * - the request id and the span in the OpenTelemetry context while a handler runs, so every log
 *   line carries them (logger.ts);
 * - the shop's business metrics registered, the action cacher's hits and misses counted;
 * - buffered spans exported when the broker stops.
 * Moleculer's own tracing stays off: spans go through OpenTelemetry (tracing.ts).
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context as OtelContext,
  type Span,
} from "@opentelemetry/api";
import type { Context, Middleware, ServiceBroker } from "moleculer";
import { withRequestId } from "./context.ts";
import { instrumentCacher, registerShopMetrics } from "./metrics.ts";
import { TRACER_NAME, ensureTracing, flushTracing, setTracingLogger } from "./tracing.ts";

/** The ctx.meta key carrying the caller's span across nodes (W3C trace context). */
export const TRACE_META = "$otel";

type Carrier = Record<string, string>;
type Meta = Record<string, unknown>;
type Handler = (ctx: Context<unknown, Meta>) => unknown;
type EmitFn = (event: string, payload?: unknown, opts?: { meta?: Meta }) => unknown;

const spans = new WeakMap<object, Span>();

/** The span of the action a context runs (for log lines written outside the handler). */
export function spanOf(ctx: object | undefined): Span | undefined {
  return ctx ? spans.get(ctx) : undefined;
}

export function ObservabilityMiddleware(): Middleware {
  const tracer = trace.getTracer(TRACER_NAME);
  let broker: ServiceBroker;
  let logger: ReturnType<ServiceBroker["getLogger"]>;

  /** The parent of a handler's span: the caller's, from meta when it came from another node. */
  const parentOf = (ctx: Context<unknown, Meta>): OtelContext => {
    if (!isFromAnotherNode(broker, ctx)) return context.active();
    const carrier = ctx.meta?.[TRACE_META];
    return carrier && typeof carrier === "object"
      ? propagation.extract(ROOT_CONTEXT, carrier as Carrier)
      : ROOT_CONTEXT;
  };

  const run = (
    name: string,
    kind: SpanKind,
    parent: OtelContext,
    attributes: Attributes,
    ctx: Context<unknown, Meta>,
    next: Handler,
  ): unknown => {
    const span = tracer.startSpan(name, { kind, attributes }, parent);
    spans.set(ctx, span);
    let active = trace.setSpan(parent, span);
    if (ctx.requestID) active = withRequestId(ctx.requestID, active);
    if (kind === SpanKind.CLIENT) ctx.meta[TRACE_META] = carrierOf(active);
    return context.with(active, () => settle(span, () => next(ctx)));
  };

  return {
    name: "Observability",

    created(b: ServiceBroker) {
      broker = b;
      logger = b.getLogger("observability");
      ensureTracing();
      setTracingLogger(b.getLogger("tracing"));
      registerShopMetrics(b);
      instrumentCacher(b);
    },

    localAction(next: Handler, action: { name: string; service?: { name: string } }) {
      if (isInternal(action.name)) return next;
      return function tracedLocalAction(ctx: Context<unknown, Meta>) {
        if (!isFromAnotherNode(broker, ctx)) {
          const attributes = attributesOf(broker, ctx, action);
          return run(action.name, SpanKind.INTERNAL, context.active(), attributes, ctx, next);
        }
        // The one line a node writes for a request from another node: follow it across nodes.
        const traced = (c: Context<unknown, Meta>) => {
          logger.debug(`Handling '${action.name}' called from node '${c.nodeID}'`);
          return next(c);
        };
        const attributes = attributesOf(broker, ctx, action);
        return run(action.name, SpanKind.SERVER, parentOf(ctx), attributes, ctx, traced);
      };
    },

    remoteAction(next: Handler, action: { name: string; service?: { name: string } }) {
      if (isInternal(action.name)) return next;
      return function tracedRemoteAction(ctx: Context<unknown, Meta>) {
        const attributes = {
          ...attributesOf(broker, ctx, action),
          "moleculer.target_node_id": ctx.nodeID ?? "",
        };
        return run(action.name, SpanKind.CLIENT, context.active(), attributes, ctx, next);
      };
    },

    localEvent(next: Handler, event: { name: string; service?: { name: string } }) {
      if (isInternal(event.name)) return next;
      return function tracedLocalEvent(ctx: Context<unknown, Meta>) {
        const parent = parentOf(ctx);
        const kind = isFromAnotherNode(broker, ctx) ? SpanKind.CONSUMER : SpanKind.INTERNAL;
        const attributes = {
          "moleculer.event": event.name,
          "moleculer.service": event.service?.name ?? "",
          "moleculer.node_id": broker.nodeID,
          "moleculer.request_id": ctx.requestID ?? "",
        };
        return run(`event ${event.name}`, kind, parent, attributes, ctx, next);
      };
    },

    // Events carry the emitter's span the same way calls do.
    emit: ((next: EmitFn) => withTraceMeta(next)) as unknown as Middleware["emit"],
    broadcast: ((next: EmitFn) => withTraceMeta(next)) as unknown as Middleware["broadcast"],

    async stopped() {
      await flushTracing();
    },
  } as unknown as Middleware;
}

function isFromAnotherNode(broker: ServiceBroker, ctx: Context<unknown, Meta>): boolean {
  return ctx.nodeID != null && ctx.nodeID !== broker.nodeID;
}

function withTraceMeta(next: EmitFn): EmitFn {
  return (event, payload, opts) => {
    if (isInternal(event) || !trace.getSpan(context.active())) return next(event, payload, opts);
    const meta = { ...opts?.meta, [TRACE_META]: carrierOf(context.active()) };
    return next(event, payload, { ...opts, meta });
  };
}

function carrierOf(ctx: OtelContext): Carrier {
  const carrier: Carrier = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Moleculer's internal services and events ($node.*, $services.changed...) are not traced. */
function isInternal(name: string): boolean {
  return name.startsWith("$");
}

function attributesOf(
  broker: ServiceBroker,
  ctx: Context<unknown, Meta>,
  action: { name: string; service?: { name: string } },
): Attributes {
  return {
    "rpc.system": "moleculer",
    "rpc.service": action.service?.name ?? action.name.split(".")[0],
    "rpc.method": action.name.slice(action.name.lastIndexOf(".") + 1),
    "moleculer.action": action.name,
    "moleculer.service": action.service?.name ?? action.name.split(".")[0],
    "moleculer.node_id": broker.nodeID,
    "moleculer.request_id": ctx.requestID ?? "",
    "moleculer.caller": ctx.caller ?? "",
    "moleculer.level": ctx.level ?? 1,
  };
}

/** Ends the span when the handler settles; server errors (5xx or unknown) mark it failed. */
function settle(span: Span, work: () => unknown): unknown {
  let result: unknown;
  try {
    result = work();
  } catch (err) {
    fail(span, err);
    span.end();
    throw err;
  }
  if (result && typeof (result as Promise<unknown>).then === "function") {
    return (result as Promise<unknown>).then(
      (value) => {
        span.end();
        return value;
      },
      (err: unknown) => {
        fail(span, err);
        span.end();
        throw err;
      },
    );
  }
  span.end();
  return result;
}

function fail(span: Span, err: unknown): void {
  const e = err as { name?: string; message?: string; code?: number; type?: string };
  span.setAttribute("error.type", e?.type ?? e?.name ?? "Error");
  if (typeof e?.code === "number") span.setAttribute("moleculer.error_code", e.code);
  if (typeof e?.code === "number" && e.code < 500) return;
  span.recordException(err as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: e?.message });
}
