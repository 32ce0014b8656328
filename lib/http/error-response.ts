/**
 * The HTTP answer to a failed request, as the gateway writes it: the mapped error (errors.ts)
 * with the headers that depend on the request — the global rate limiter's, the request id, and
 * Idempotent-Replayed when the failure is a replay.
 */
import { toHttpError } from "./errors.ts";

export interface ErrorRequest {
  now: number;
  /** moleculer-web's global limiter: its window's end (epoch ms) and its limit, when it ran. */
  rateLimitReset?: number;
  rateLimitLimit?: string;
  requestId?: string;
  /** The Idempotent-Replayed header the action set, if any. */
  replayed?: string;
}

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** A 429 of the gateway-wide limiter (not a route's own RATE_LIMITED). */
  globalRateLimit: boolean;
}

export function errorResponse(err: unknown, req: ErrorRequest): ErrorResponse {
  const mapped = toHttpError(err);
  const headers: Record<string, string> = {
    "Content-Type": "application/json; charset=utf-8",
    ...mapped.headers,
  };
  const globalRateLimit =
    mapped.status === 429 && (err as { type?: string })?.type !== "RATE_LIMITED";
  if (globalRateLimit && req.rateLimitReset !== undefined && req.rateLimitReset > req.now) {
    headers["Retry-After"] = String(Math.ceil((req.rateLimitReset - req.now) / 1000));
    headers["X-RateLimit-Limit"] = String(req.rateLimitLimit);
    headers["X-RateLimit-Remaining"] = "0";
  }
  if (req.replayed) headers["Idempotent-Replayed"] = req.replayed;
  if (req.requestId) headers["X-Request-Id"] = req.requestId;
  return { status: mapped.status, headers, body: JSON.stringify(mapped.body), globalRateLimit };
}
