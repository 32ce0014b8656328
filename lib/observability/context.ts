/**
 * The request scope of the code running now: the request id and the active span, both carried
 * by the OpenTelemetry context (AsyncLocalStorage underneath). The log mixin reads it, so every
 * line written while a request is handled names the request and its trace.
 */
import {
  ROOT_CONTEXT,
  context,
  createContextKey,
  isSpanContextValid,
  trace,
  type Context as OtelContext,
} from "@opentelemetry/api";

const REQUEST_ID = createContextKey("douyin-mall.request-id");

/** `parent` (default: the active context) carrying the request id. */
export function withRequestId(requestId: string, parent: OtelContext = context.active()) {
  return parent.setValue(REQUEST_ID, requestId);
}

export interface RequestIds {
  requestId?: string;
  traceId?: string;
  spanId?: string;
}

/** The request id and trace/span ids of the code running now (empty outside a request). */
export function currentIds(): RequestIds {
  const active = context.active();
  const ids: RequestIds = {};
  const requestId = active.getValue(REQUEST_ID);
  if (typeof requestId === "string") ids.requestId = requestId;
  const span = trace.getSpanContext(active);
  if (span && isSpanContextValid(span)) {
    ids.traceId = span.traceId;
    ids.spanId = span.spanId;
  }
  return ids;
}

/** Runs `fn` outside any request (timers started by a request must not extend its trace). */
export function detached<T>(fn: () => T): T {
  return context.with(ROOT_CONTEXT, fn);
}
