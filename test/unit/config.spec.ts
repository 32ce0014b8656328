import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, DEFAULT_JWT_SECRET, loadConfig } from "../../lib/config.ts";
import { redact } from "../../lib/redact.ts";
import { ALL_SERVICES } from "../../lib/services.ts";
import brokerOptions, { overrideFromEnv } from "../../moleculer.config.ts";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
}

describe("loadConfig", () => {
  it("gives the embedded defaults with an empty environment", () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.databaseUrl, "sqlite:data/shop.sqlite");
    assert.equal(c.databaseDialect, "sqlite");
    assert.equal(c.transporter, undefined);
    assert.deepEqual(c.services, [...ALL_SERVICES]);
    assert.equal(c.orderPaymentTtlSeconds, 900);
    assert.equal(c.seedOnStart, true);
    assert.equal(c.logFormat, "pretty");
  });

  it("reads cluster settings", () => {
    const c = loadConfig({
      DATABASE_URL: "mysql://shop:pw@db:3306/shop",
      REDIS_URL: "redis://cache:6379",
      TRANSPORTER: "nats://nats:4222",
      SERVICES: "api",
      NODE_ID: "gw-1",
      NAMESPACE: "prod",
      NODE_ENV: "production",
      JWT_SECRET: "x".repeat(40),
    });
    assert.equal(c.databaseDialect, "mysql");
    assert.deepEqual(c.services, ["api"]);
    assert.equal(c.logFormat, "json");
    assert.equal(c.seedOnStart, false);
  });

  it("names the variable of every bad value", () => {
    const problems = problemsOf({
      PORT: "eighty",
      DATABASE_URL: "postgres://x",
      REDIS_URL: "http://nope",
      LOG_LEVEL: "loud",
      ORDER_PAYMENT_TTL_SECONDS: "-5",
      SERVICES: "api,nonsense",
      TRANSPORTER: "nats://127.0.0.1:4222",
    });
    for (const name of [
      "PORT",
      "DATABASE_URL",
      "REDIS_URL",
      "LOG_LEVEL",
      "ORDER_PAYMENT_TTL_SECONDS",
      "SERVICES",
    ]) {
      assert.ok(
        problems.some((p) => p.startsWith(name)),
        `a problem names ${name}: ${problems.join(" | ")}`,
      );
    }
  });

  it("reads the login limits and the refresh grace, naming a bad one", () => {
    const c = loadConfig({});
    assert.deepEqual(c.rateLimits.login, { count: 5, windowMs: 60_000 });
    assert.deepEqual(c.rateLimits.loginAccount, { count: 20, windowMs: 900_000 });
    assert.equal(c.loginBackoffMaxSeconds, 900);
    assert.equal(c.refreshReuseGraceSeconds, 20);
    assert.equal(loadConfig({ RATE_LIMIT_LOGIN_ACCOUNT: "0" }).rateLimits.loginAccount, undefined);
    const problems = problemsOf({
      RATE_LIMIT_LOGIN_ACCOUNT: "lots",
      LOGIN_BACKOFF_MAX_SECONDS: "0",
      REFRESH_REUSE_GRACE_SECONDS: "3600",
    });
    for (const name of [
      "RATE_LIMIT_LOGIN_ACCOUNT",
      "LOGIN_BACKOFF_MAX_SECONDS",
      "REFRESH_REUSE_GRACE_SECONDS",
    ]) {
      assert.ok(
        problems.some((p) => p.startsWith(name)),
        `${name}: ${problems.join(" | ")}`,
      );
    }
  });

  it("refuses the default JWT secret in production", () => {
    const problems = problemsOf({ NODE_ENV: "production" });
    assert.ok(problems.some((p) => p.includes("JWT_SECRET")));
    assert.ok(problemsOf({ NODE_ENV: "production", JWT_SECRET: DEFAULT_JWT_SECRET }).length > 0);
    assert.ok(problemsOf({ NODE_ENV: "production", JWT_SECRET: "short" }).length > 0);
  });

  it("needs a transporter for a node hosting only some services", () => {
    assert.ok(problemsOf({ SERVICES: "api" }).some((p) => p.startsWith("SERVICES")));
  });

  it("needs ADMIN_EMAIL and ADMIN_PASSWORD together", () => {
    assert.ok(problemsOf({ ADMIN_EMAIL: "a@b.c" }).some((p) => p.includes("ADMIN_PASSWORD")));
  });

  it("gives the gateway a 10 s read timeout and a per-address connection cap", () => {
    const c = loadConfig({});
    assert.equal(c.httpReadTimeoutMs, 10_000);
    assert.equal(c.httpMaxConnectionsPerAddress, 256);
    const set = loadConfig({ HTTP_READ_TIMEOUT_MS: "2500", HTTP_MAX_CONNECTIONS_PER_ADDRESS: "0" });
    assert.equal(set.httpReadTimeoutMs, 2500);
    assert.equal(set.httpMaxConnectionsPerAddress, 0);
    const problems = problemsOf({
      HTTP_READ_TIMEOUT_MS: "10s",
      HTTP_MAX_CONNECTIONS_PER_ADDRESS: "-1",
    });
    assert.ok(problems.some((p) => p.startsWith("HTTP_READ_TIMEOUT_MS")));
    assert.ok(problems.some((p) => p.startsWith("HTTP_MAX_CONNECTIONS_PER_ADDRESS")));
  });

  it("serves metrics on port 9464 by default only on a production cluster node", () => {
    const cluster = { TRANSPORTER: "nats://nats:4222", JWT_SECRET: "x".repeat(40) };
    assert.equal(loadConfig({ ...cluster, NODE_ENV: "production" }).metricsPort, 9464);
    assert.equal(loadConfig({ ...cluster }).metricsPort, undefined, "development");
    assert.equal(
      loadConfig({ NODE_ENV: "production", JWT_SECRET: "x".repeat(40) }).metricsPort,
      undefined,
    );
    const off = loadConfig({ ...cluster, NODE_ENV: "production", METRICS_PORT: "off" });
    assert.equal(off.metricsPort, undefined);
    assert.equal(loadConfig({ METRICS_PORT: "9100" }).metricsPort, 9100);
    assert.ok(problemsOf({ METRICS_PORT: "nine" }).some((p) => p.startsWith("METRICS_PORT")));
  });

  it("takes a METRICS_TOKEN of 16 characters or more", () => {
    assert.equal(loadConfig({}).metricsToken, undefined);
    assert.equal(loadConfig({ METRICS_TOKEN: "t".repeat(16) }).metricsToken, "t".repeat(16));
    assert.ok(problemsOf({ METRICS_TOKEN: "short" }).some((p) => p.startsWith("METRICS_TOKEN")));
  });

  it("never prints a password from a URL", () => {
    assert.equal(redact("mysql://shop:s3cret@db:3306/shop"), "mysql://shop:***@db:3306/shop");
    const problems = problemsOf({ DATABASE_URL: "postgres://u:s3cret@h/db" });
    assert.ok(!problems.join(" ").includes("s3cret"));
  });
});

describe("moleculer.config.ts", () => {
  it("uses no transporter and a memory cacher in the embedded mode", () => {
    const o = brokerOptions(loadConfig({}), {});
    assert.equal(o.transporter, null);
    assert.deepEqual((o.cacher as { type: string }).type, "Memory");
  });

  it("uses NATS and the Redis cacher in cluster mode", () => {
    const o = brokerOptions(
      loadConfig({ TRANSPORTER: "nats://127.0.0.1:4222", REDIS_URL: "redis://127.0.0.1:6379" }),
      {},
    );
    assert.equal(o.transporter, "nats://127.0.0.1:4222");
    assert.equal((o.cacher as { type: string }).type, "FailOpenRedis");
  });

  it("takes MOL_ variables from the configuration's environment", () => {
    const o = brokerOptions(
      loadConfig({ MOL_REQUEST_TIMEOUT: "777", MOL_CIRCUIT_BREAKER__MIN_REQUEST_COUNT: "3" }),
    );
    assert.equal(o.requestTimeout, 777);
    assert.equal(o.circuitBreaker?.minRequestCount, 3);
  });

  it("lets MOL_ variables override any option, nested with __", () => {
    const o = overrideFromEnv(brokerOptions(loadConfig({}), {}), {
      MOL_REQUEST_TIMEOUT: "1234",
      MOL_CIRCUIT_BREAKER__THRESHOLD: "0.3",
      MOL_REGISTRY__STRATEGY: "CpuUsage",
      MOL_TRACKING__ENABLED: "false",
    });
    assert.equal(o.requestTimeout, 1234);
    assert.equal(o.circuitBreaker?.threshold, 0.3);
    assert.equal(o.registry?.strategy, "CpuUsage");
    assert.equal(o.tracking?.enabled, false);
  });
});
