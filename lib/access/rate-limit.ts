/**
 * Rate limits: "count/seconds" settings, a moleculer-web rate-limit store backed by the shared
 * key-value store (Redis in cluster mode, so all gateway nodes count together), and the stricter
 * per-route limits checked in the gateway.
 */
import type { KeyValueStore } from "../store/kv.ts";

export interface Limit {
  count: number;
  windowMs: number;
}

/** "20/60" → 20 per 60 s; "0" → no limit (undefined). */
export function parseLimit(value: string): Limit | undefined | "invalid" {
  if (value.trim() === "0") return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) return "invalid";
  return { count: Number(m[1]), windowMs: Number(m[2]) * 1000 };
}

export interface LimitVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  retryAfterSeconds: number;
}

export async function checkLimit(
  store: KeyValueStore,
  key: string,
  limit: Limit,
): Promise<LimitVerdict> {
  const { count, resetMs } = await store.hit(`rl:${key}`, limit.windowMs);
  return {
    allowed: count <= limit.count,
    limit: limit.count,
    remaining: Math.max(0, limit.count - count),
    retryAfterSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
  };
}

/**
 * moleculer-web's rate limiter calls `new StoreFactory(window, opts, broker)` and awaits
 * `store.inc(key)`; `resetTime` is read right after for the reset header.
 *
 * The global per-address limit fails open: while its store is unavailable every request counts
 * as the window's first (`onUnavailable` is told, at most once per window), because refusing
 * every request would turn a lost Redis into a lost shop. The limits that guard security (login,
 * registration, checkout: checkLimit) fail closed instead.
 */
export function kvRateStoreFactory(
  store: KeyValueStore,
  onUnavailable: (err: Error) => void = () => undefined,
) {
  let warnedAt = 0;
  return class KvRateStore {
    resetTime = Date.now();
    private readonly windowMs: number;
    constructor(windowMs: number) {
      this.windowMs = windowMs;
    }
    async inc(key: string): Promise<number> {
      try {
        const { count, resetMs } = await store.hit(`rl:global:${key}`, this.windowMs);
        this.resetTime = Date.now() + resetMs;
        return count;
      } catch (err) {
        const now = Date.now();
        if (now - warnedAt >= this.windowMs) {
          warnedAt = now;
          onUnavailable(err as Error);
        }
        this.resetTime = now + this.windowMs;
        return 1;
      }
    }
  };
}
