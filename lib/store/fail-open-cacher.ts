/**
 * Moleculer's Redis cacher, failing open: while Redis is away a lookup is a miss (the action
 * runs and answers from the database), a store or a removal is skipped, and nothing fails the
 * call. Removals skipped while away would leave stale answers behind, so the first reconnection
 * after one cleans the whole cache (it refills itself from the database).
 */
import { Cachers } from "../moleculer.ts";

type Logger = { warn(...args: unknown[]): void };
type RedisCacher = InstanceType<typeof Cachers.Redis>;
const RedisCacherClass = Cachers.Redis as unknown as new (opts: unknown) => RedisCacher & {
  client: { on(event: string, listener: () => void): unknown };
  logger: Logger;
  opts: { missingResponse?: unknown };
};

/** At most one warning per this many ms while Redis stays away. */
const WARN_EVERY_MS = 10_000;

export class FailOpenRedisCacher extends RedisCacherClass {
  /** A removal was skipped: clean everything once Redis is back. */
  private stale = false;
  private lastWarning = 0;

  init(broker: unknown): void {
    super.init(broker as never);
    this.client.on("ready", () => {
      if (!this.stale) return;
      this.stale = false;
      this.clean().catch(() => undefined);
    });
  }

  get(key: string): Promise<Record<string, unknown> | null> {
    return super.get(key).catch((err: unknown) => {
      this.warn("lookup", err);
      return this.opts.missingResponse as Record<string, unknown> | null;
    });
  }

  set(key: string, data: unknown, ttl?: number): Promise<void> {
    return super.set(key, data, ttl).catch((err: unknown) => {
      this.warn("store", err);
    });
  }

  del(keys: string | string[]): Promise<void> {
    return super.del(keys).catch((err: unknown) => {
      this.stale = true;
      this.warn("removal", err);
    });
  }

  clean(match?: string | string[]): Promise<void> {
    return super.clean(match).catch((err: unknown) => {
      this.stale = true;
      this.warn("clean", err);
    });
  }

  private warn(what: string, err: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(
      `Action cache ${what} failed, serving without the cache: ${(err as Error)?.message ?? err}`,
    );
  }
}

/** The broker option's cacher type name (`cacher: { type: CACHER_TYPE, options }`). */
export const CACHER_TYPE = "FailOpenRedis";
(Cachers as unknown as { register(name: string, value: unknown): void }).register(
  CACHER_TYPE,
  FailOpenRedisCacher,
);
