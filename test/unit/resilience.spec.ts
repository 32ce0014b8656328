/**
 * What a node does when a dependency is lost: the HTTP answer for a database that cannot serve,
 * the global rate limit failing open and the security checks failing closed when Redis is away
 * (a real ioredis client whose server is unreachable), and the Redis options that make that fast.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { ConnectionAcquireTimeoutError, ConnectionRefusedError, TimeoutError } from "sequelize";
import { ServiceBroker } from "moleculer";
import { toHttpError } from "../../lib/http/errors.ts";
import { RedisStore } from "../../lib/store/kv.ts";
import { redisOptions } from "../../lib/store/redis-options.ts";
import { checkLimit, kvRateStoreFactory } from "../../lib/access/rate-limit.ts";
import { Revocations } from "../../lib/auth/revocations.ts";
import type { AccessClaims } from "../../lib/auth/tokens.ts";
import { clusterUnreachable } from "../../lib/resilience/cluster-link.ts";
import { loadConfig } from "../../lib/config.ts";
import brokerOptions from "../../moleculer.config.ts";

interface ErrorRegenerator {
  init(broker: ServiceBroker): void;
  extractPlainError(err: Error): unknown;
  restore(plain: unknown, payload: object): Error;
}

describe("a database that cannot serve now", () => {
  const broker = new ServiceBroker({ logger: false });
  // Moleculer's own, as the transporter uses it (not in its typings).
  const regenerator = (broker as unknown as { errorRegenerator: ErrorRegenerator })
    .errorRegenerator;
  regenerator.init(broker);

  const cases = [
    new ConnectionAcquireTimeoutError(new Error("Operation timeout")),
    new ConnectionRefusedError(Object.assign(new Error("refused"), { code: "ECONNREFUSED" })),
    new TimeoutError(Object.assign(new Error("Lock wait timeout exceeded"), { sql: "UPDATE t" })),
  ];

  it("is a 503 with Retry-After, on the node that hit it and after crossing the transporter", () => {
    for (const err of cases) {
      const crossed = regenerator.restore(regenerator.extractPlainError(err), {});
      for (const e of [err, crossed]) {
        const answer = toHttpError(e);
        assert.equal(answer.status, 503, `${e.name}: ${answer.status}`);
        assert.equal(answer.body.type, "SERVICE_UNAVAILABLE");
        assert.equal(answer.headers["Retry-After"], "2");
        assert.doesNotMatch(answer.body.message, /sequelize|timeout|refused/i);
      }
    }
  });

  it("leaves other database errors a generic 500", () => {
    const err = new Error("syntax error");
    err.name = "SequelizeDatabaseError";
    assert.equal(toHttpError(err).status, 500);
  });
});

describe("Redis lost", () => {
  // A real client of a port nothing listens on: every command fails as with a lost server.
  const redis = new Redis({ ...redisOptions("redis://127.0.0.1:1"), lazyConnect: true });
  redis.on("error", () => undefined);
  const store = new RedisStore(redis, "test:");
  after(() => redis.disconnect());

  it("makes the store fail at once with a 503 naming redis", async () => {
    const t0 = Date.now();
    await assert.rejects(store.get("k"), (err: { code: number; type: string; message: string }) => {
      assert.equal(err.code, 503);
      assert.equal(err.type, "SERVICE_UNAVAILABLE");
      assert.match(err.message, /redis/);
      return true;
    });
    await assert.rejects(store.hit("k", 1000), { code: 503 });
    assert.ok(Date.now() - t0 < 1_000, "no queueing, no retries");
  });

  it("lets the global rate limit fail open, and says so once a window", async () => {
    const told: Error[] = [];
    const Store = kvRateStoreFactory(store, (err) => told.push(err));
    const limiter = new Store(60_000);
    assert.equal(await limiter.inc("1.2.3.4"), 1);
    assert.equal(await limiter.inc("1.2.3.4"), 1);
    assert.ok(limiter.resetTime > Date.now());
    assert.equal(told.length, 1);
  });

  it("makes the per-route limits (login, registration, checkout) fail closed with 503", async () => {
    await assert.rejects(checkLimit(store, "login:a@b.c", { count: 10, windowMs: 60_000 }), {
      code: 503,
      type: "SERVICE_UNAVAILABLE",
    });
    assert.equal(
      toHttpError(
        await checkLimit(store, "x", { count: 1, windowMs: 1000 }).catch((e: unknown) => e),
      ).headers["Retry-After"],
      "2",
    );
  });

  it("leaves a token's revocation unknown, never valid", async () => {
    const claims = { userId: "1", sessionId: "s", role: "customer", issuedAt: 1 } as AccessClaims;
    assert.equal(await new Revocations(store, 900).status(claims), "unknown");
  });
});

describe("redisOptions", () => {
  it("reads host, port, credentials, database and TLS from the URL", () => {
    const o = redisOptions("rediss://u:p%40ss@cache.example:6380/2");
    assert.equal(o.host, "cache.example");
    assert.equal(o.port, 6380);
    assert.equal(o.username, "u");
    assert.equal(o.password, "p@ss");
    assert.equal(o.db, 2);
    assert.deepEqual(o.tls, {});
    assert.equal(redisOptions("redis://127.0.0.1").port, 6379);
  });

  it("fails commands fast while disconnected instead of queueing them", () => {
    const o = redisOptions("redis://127.0.0.1:6379");
    assert.equal(o.enableOfflineQueue, false);
    assert.ok(o.commandTimeout! > 0 && o.commandTimeout! <= 2_000);
  });
});

describe("the cluster link", () => {
  it("answers a call made without NATS with 503 and Retry-After", () => {
    const answer = toHttpError(clusterUnreachable());
    assert.equal(answer.status, 503);
    assert.equal(answer.body.type, "SERVICE_UNAVAILABLE");
    assert.equal(answer.headers["Retry-After"], "2");
  });

  it("is installed in cluster mode only", () => {
    const names = (env: Record<string, string>) =>
      (brokerOptions(loadConfig(env), {}).middlewares ?? []).map(
        (m) => (m as { name?: string }).name,
      );
    assert.ok(names({ TRANSPORTER: "nats://127.0.0.1:4222" }).includes("ClusterLink"));
    assert.ok(!names({}).includes("ClusterLink"));
  });
});
