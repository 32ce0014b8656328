/**
 * One family of rate-limit headers (API.md): `X-RateLimit-Limit`, `X-RateLimit-Remaining`, and
 * `Retry-After` on a 429. moleculer-web's limiter writes its own `X-Rate-Limit-Limit`,
 * `-Remaining` and `-Reset` (the window's end, epoch ms); they are read here, renamed, and never
 * sent.
 */
import type { ServerResponse } from "node:http";

const LIMIT = "X-Rate-Limit-Limit";
const REMAINING = "X-Rate-Limit-Remaining";
const RESET = "X-Rate-Limit-Reset";

export interface LimiterHeaders {
  limit?: string;
  remaining?: string;
  /** The window's end, epoch ms. */
  reset?: number;
}

/** Removes moleculer-web's limiter headers from `res` and returns what they said. */
export function takeLimiterHeaders(res: ServerResponse): LimiterHeaders {
  const limit = res.getHeader(LIMIT);
  if (limit === undefined) return {};
  const taken: LimiterHeaders = {
    limit: String(limit),
    remaining: String(res.getHeader(REMAINING)),
    reset: Number(res.getHeader(RESET)) || undefined,
  };
  res.removeHeader(LIMIT);
  res.removeHeader(REMAINING);
  res.removeHeader(RESET);
  return taken;
}

/** Moves moleculer-web's limiter headers to the API's names (a request that passed the limiter). */
export function renameLimiterHeaders(res: ServerResponse): void {
  const taken = takeLimiterHeaders(res);
  if (taken.limit === undefined) return;
  res.setHeader("X-RateLimit-Limit", taken.limit);
  res.setHeader("X-RateLimit-Remaining", taken.remaining ?? "0");
}
