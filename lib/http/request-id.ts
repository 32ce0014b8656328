/**
 * The request id a client may send (X-Request-Id, or X-Correlation-Id, which moleculer-web also
 * reads): it is logged on every line of the request and sent back, so only a short id of safe
 * characters is kept; anything else is dropped and the gateway makes its own.
 */
import type { IncomingHttpHeaders } from "node:http";

const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function isSafeRequestId(value: unknown): value is string {
  return typeof value === "string" && SAFE_ID.test(value);
}

/** Removes an incoming request id that is not safe to log (moleculer-web then makes one). */
export function dropUnsafeRequestId(headers: IncomingHttpHeaders): void {
  for (const name of ["x-request-id", "x-correlation-id"]) {
    if (headers[name] !== undefined && !isSafeRequestId(headers[name])) delete headers[name];
  }
}
