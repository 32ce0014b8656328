/**
 * ioredis options from a REDIS_URL, shared by the key-value store and the action cacher. While
 * Redis is away, commands fail at once (no offline queue) or after a short command timeout (a
 * hung server), never after minutes of queued retries; ioredis keeps reconnecting in the
 * background (at most 2 s apart), so the node recovers on its own when Redis returns.
 */
import type { RedisOptions } from "ioredis";

/** How long one Redis command may take before it counts as failed. */
export const REDIS_COMMAND_TIMEOUT_MS = 1_500;

export function redisOptions(url: string): RedisOptions {
  const u = new URL(url);
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") {
    throw new Error(`Unsupported Redis URL scheme ${u.protocol}`);
  }
  const db = u.pathname.replace(/^\//, "");
  return {
    host: u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === "rediss:" ? { tls: {} } : {}),
    connectTimeout: 5_000,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (times: number) => Math.min(times * 100, 2_000),
  };
}
