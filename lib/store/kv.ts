/**
 * A small key-value store with expiry for state that every gateway node must share: token
 * revocations, rate-limit counters, access-list versions. Redis in cluster mode, memory in the
 * embedded mode (one process, so memory is shared by all of its services).
 */
import { Redis } from "ioredis";
import { redact } from "../redact.ts";
import { UnavailableError } from "../errors.ts";
import { withTimeout } from "../timeout.ts";
import { redisOptions } from "./redis-options.ts";

export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  mget(keys: string[]): Promise<Array<string | null>>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only when absent; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Adds one; the window starts (ttl set) with the first hit. Returns the count and ms left. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class MemoryStore implements KeyValueStore {
  private readonly data = new Map<string, { value: string; expiresAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async mget(keys: string[]): Promise<Array<string | null>> {
    return keys.map((k) => this.live(k)?.value ?? null);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.data.set(key, { value, expiresAt: ttlMs ? Date.now() + ttlMs : Infinity });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async del(key: string): Promise<void> {
    this.data.delete(key);
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const entry = this.live(key);
    if (!entry) {
      this.data.set(key, { value: "1", expiresAt: Date.now() + windowMs });
      return { count: 1, resetMs: windowMs };
    }
    entry.value = String(Number(entry.value) + 1);
    return { count: Number(entry.value), resetMs: entry.expiresAt - Date.now() };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private live(key: string) {
    const entry = this.data.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.data.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.data) if (entry.expiresAt <= now) this.data.delete(key);
  }
}

/**
 * Redis commands fail fast while the connection is down (no offline queue, a command timeout)
 * and every failure is a 503 `SERVICE_UNAVAILABLE` naming Redis: callers decide whether to fail
 * open (the global rate limit) or closed (token revocations, login limits).
 */
export class RedisStore implements KeyValueStore {
  readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  get(key: string): Promise<string | null> {
    return unavailableOnError(this.redis.get(this.prefix + key));
  }

  async mget(keys: string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return [];
    return unavailableOnError(this.redis.mget(keys.map((k) => this.prefix + k)));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    await unavailableOnError(
      ttlMs
        ? this.redis.set(this.prefix + key, value, "PX", Math.ceil(ttlMs))
        : this.redis.set(this.prefix + key, value),
    );
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const k = this.prefix + key;
    return (
      (await unavailableOnError(this.redis.set(k, value, "PX", Math.ceil(ttlMs), "NX"))) === "OK"
    );
  }

  async del(key: string): Promise<void> {
    await unavailableOnError(this.redis.del(this.prefix + key));
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const k = this.prefix + key;
    const replies = await unavailableOnError(
      this.redis.multi().incr(k).pexpire(k, windowMs, "NX").pttl(k).exec(),
    );
    if (!replies) throw storeUnavailable(new Error("transaction aborted"));
    const count = Number(replies[0][1]);
    const ttl = Number(replies[2][1]);
    return { count, resetMs: ttl > 0 ? ttl : windowMs };
  }

  async ping(): Promise<void> {
    await unavailableOnError(this.redis.ping());
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** 503 naming Redis, with the driver's reason (never a raw driver error, which would be a 500). */
export function storeUnavailable(cause: unknown): UnavailableError {
  const err = new UnavailableError(
    "The shared store (redis) is unavailable, try again shortly",
    "SERVICE_UNAVAILABLE",
    { dependency: "redis" },
  );
  (err as Error).cause = cause;
  return err;
}

async function unavailableOnError<T>(command: Promise<T>): Promise<T> {
  try {
    return await command;
  } catch (err) {
    throw storeUnavailable(err);
  }
}

/** Connects to Redis or throws an Error that says where and why, within seconds. */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis({ ...redisOptions(url), lazyConnect: true });
  redis.on("error", () => {
    // ioredis reconnects by itself; the readiness probe reports a lost connection.
  });
  try {
    await withTimeout(redis.connect(), 6_000, "timed out after 6 s");
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(`Cannot connect to Redis at ${redact(url)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return redis;
}
