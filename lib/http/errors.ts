/**
 * The single mapper from any error to the HTTP error of API.md:
 * `{ name, message, code, type, data }`. Client errors pass through; framework errors become
 * clear codes; anything unknown becomes a generic 500 without internals.
 */
import { isDatabaseUnavailable } from "../resilience/transient.ts";

export interface HttpError {
  status: number;
  body: { name: string; message: string; code: number; type: string; data?: unknown };
  headers: Record<string, string>;
}

const INTERNAL: HttpError["body"] = {
  name: "InternalError",
  message: "Something went wrong on our side",
  code: 500,
  type: "INTERNAL_ERROR",
};

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  type?: unknown;
  data?: unknown;
  status?: unknown;
}

/** Framework error types that are answered with a stable public error. */
const FRAMEWORK: Record<string, { status: number; name: string; type: string; message: string }> = {
  SERVICE_NOT_FOUND: {
    status: 503,
    name: "ServiceUnavailableError",
    type: "SERVICE_UNAVAILABLE",
    message: "A service needed for this request is unavailable, try again shortly",
  },
  SERVICE_NOT_AVAILABLE: {
    status: 503,
    name: "ServiceUnavailableError",
    type: "SERVICE_UNAVAILABLE",
    message: "A service needed for this request is unavailable, try again shortly",
  },
  REQUEST_TIMEOUT: {
    status: 504,
    name: "TimeoutError",
    type: "TIMEOUT",
    message: "The request took too long, try again shortly",
  },
  REQUEST_REJECTED: {
    status: 503,
    name: "ServiceUnavailableError",
    type: "SERVICE_UNAVAILABLE",
    message: "A service needed for this request is unavailable, try again shortly",
  },
  REQUEST_SKIPPED: {
    status: 504,
    name: "TimeoutError",
    type: "TIMEOUT",
    message: "The request took too long, try again shortly",
  },
  QUEUE_FULL: {
    status: 503,
    name: "BusyError",
    type: "BUSY",
    message: "The shop is busy, try again shortly",
  },
  CIRCUIT_BREAKER_OPEN: {
    status: 503,
    name: "ServiceUnavailableError",
    type: "SERVICE_UNAVAILABLE",
    message: "A service needed for this request is unavailable, try again shortly",
  },
};

/** body-parser's error types. */
const BODY: Record<string, { status: number; type: string; message: string }> = {
  "entity.too.large": {
    status: 413,
    type: "PAYLOAD_TOO_LARGE",
    message: "Request body is larger than 1 MiB",
  },
  "entity.parse.failed": {
    status: 400,
    type: "INVALID_JSON",
    message: "Request body is not valid JSON",
  },
  "encoding.unsupported": {
    status: 415,
    type: "UNSUPPORTED_ENCODING",
    message: "Unsupported content encoding",
  },
  "charset.unsupported": {
    status: 415,
    type: "UNSUPPORTED_CHARSET",
    message: "Unsupported charset",
  },
  "request.aborted": { status: 400, type: "REQUEST_ABORTED", message: "Request aborted" },
};

/** moleculer-web's own client errors, renamed to this API's types. */
const GATEWAY: Record<string, { type: string; message?: string }> = {
  NO_TOKEN: { type: "UNAUTHORIZED", message: "Authentication required" },
  INVALID_TOKEN: { type: "UNAUTHORIZED", message: "Invalid or expired token" },
  NOT_FOUND: { type: "NOT_FOUND" },
};

export function toHttpError(err: unknown): HttpError {
  const e = (typeof err === "object" && err !== null ? err : {}) as ErrorLike;
  const type = typeof e.type === "string" ? e.type : undefined;

  if (type && BODY[type]) {
    const b = BODY[type];
    return plain(b.status, "BadRequestError", b.message, b.type);
  }
  if (type && FRAMEWORK[type]) {
    const f = FRAMEWORK[type];
    return plain(
      f.status,
      f.name,
      f.message,
      f.type,
      f.status === 503 ? { "Retry-After": "2" } : {},
    );
  }

  // A database that cannot serve now: the request was fine and may succeed shortly, so 503.
  if (isDatabaseUnavailable(err)) {
    const f = FRAMEWORK.SERVICE_NOT_AVAILABLE;
    return plain(f.status, f.name, f.message, f.type, { "Retry-After": "2" });
  }

  const code = typeof e.code === "number" ? e.code : undefined;
  if (code === 429) {
    const message = "Too many requests, slow down";
    return plain(429, "RateLimitedError", message, "RATE_LIMITED", {
      "Retry-After": String(retryAfter(e.data)),
    });
  }
  // moleculer-web's own error when no instance of the route's service is up (it has no type).
  if (code === 503 && e.name === "ServiceUnavailableError" && type === undefined) {
    const f = FRAMEWORK.SERVICE_NOT_AVAILABLE;
    return plain(f.status, f.name, f.message, f.type, { "Retry-After": "2" });
  }
  if (code !== undefined && code >= 400 && code < 500 && type && /^[A-Z][A-Z0-9_]*$/.test(type)) {
    const gw = GATEWAY[type];
    const message = gw?.message ?? (typeof e.message === "string" ? e.message : "Bad request");
    const headers: Record<string, string> = {};
    if (code === 429) headers["Retry-After"] = String(retryAfter(e.data));
    const name = typeof e.name === "string" ? e.name : "ClientError";
    return plain(code, name, message, gw?.type ?? type, headers, publicData(e.data));
  }
  // Declared 5xx errors of the domain (e.g. PAYMENT_UNAVAILABLE) keep their type, not their data.
  // Only the domain's own UnavailableError (lib/errors.ts) keeps its message: framework 5xx
  // errors name nodes and actions.
  if (code !== undefined && code >= 502 && code <= 504 && type && e.name === "UnavailableError") {
    const message = typeof e.message === "string" ? e.message : "Service unavailable";
    const name = typeof e.name === "string" ? e.name : "ServiceUnavailableError";
    return plain(code, name, message, type, code === 503 ? { "Retry-After": "2" } : {});
  }
  return { status: 500, body: { ...INTERNAL }, headers: {} };
}

function plain(
  status: number,
  name: string,
  message: string,
  type: string,
  headers: Record<string, string> = {},
  data?: unknown,
): HttpError {
  const body: HttpError["body"] = { name, message, code: status, type };
  if (data !== undefined && data !== null) body.data = data;
  return { status, body, headers };
}

function retryAfter(data: unknown): number {
  const value = (data as { retryAfter?: unknown } | undefined)?.retryAfter;
  return typeof value === "number" && value > 0 ? Math.ceil(value) : 1;
}

/** An error lists at most this many problems, each text cut to MAX_DATA_TEXT characters. */
export const MAX_DATA_ITEMS = 10;
const MAX_DATA_TEXT = 200;

/**
 * Validation details name the field and the problem; the node and action that found it stay
 * inside. A body with thousands of bad keys gets a few of them back, never an echo of itself.
 */
function publicData(data: unknown): unknown {
  if (!Array.isArray(data)) return data;
  const items: unknown[] = data.slice(0, MAX_DATA_ITEMS).map((item) => {
    if (typeof item !== "object" || item === null) return cut(item);
    const { nodeID: _n, action: _a, ...rest } = item as Record<string, unknown>;
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, cut(v)]));
  });
  if (data.length > MAX_DATA_ITEMS) {
    const more = data.length - MAX_DATA_ITEMS;
    items.push({ type: "more", message: `${more} more problems not listed`, count: more });
  }
  return items;
}

function cut(value: unknown): unknown {
  return typeof value === "string" && value.length > MAX_DATA_TEXT
    ? `${value.slice(0, MAX_DATA_TEXT)}… (${value.length} characters)`
    : value;
}
