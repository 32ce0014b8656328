/**
 * Configuration from the environment: parsed once, validated, typed.
 * A bad value stops the start with a message that names the variable.
 */

import { parseLimit, type Limit } from "./access/rate-limit.ts";
import { parseTrustProxy, type TrustProxy } from "./http/proxy.ts";
import { redact } from "./redact.ts";
import { ALL_SERVICES, type ServiceName } from "./services.ts";

export const DEFAULT_JWT_SECRET = "dev-only-secret-do-not-use-in-production";
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;
const NODE_ENVS = ["development", "production", "test"] as const;

export interface Config {
  nodeEnv: (typeof NODE_ENVS)[number];
  host: string;
  port: number;
  databaseUrl: string;
  /** "sqlite" for the embedded mode, "mysql" for MariaDB/MySQL. */
  databaseDialect: "sqlite" | "mysql";
  redisUrl: string | undefined;
  transporter: string | undefined;
  discoverer: string | undefined;
  namespace: string;
  services: ServiceName[];
  nodeId: string | undefined;
  jwtSecret: string;
  jwtIssuer: string;
  jwtAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /**
   * How long a just-rotated refresh token still gets its successor pair back (two tabs refreshing
   * at once) instead of counting as a reuse that revokes the family; 0 turns the grace off.
   */
  refreshReuseGraceSeconds: number;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  orderPaymentTtlSeconds: number;
  /**
   * How long an in-flight checkout or payment step may run before another node treats it as
   * crashed and finishes it (idempotency lock, checkout reminder, payment lease, outbox lease).
   */
  orderRecoverySeconds: number;
  /** MAX_PENDING_ORDERS: open (unpaid) orders a user may have at once. */
  maxPendingOrders: number;
  otelEndpoint: string | undefined;
  /**
   * Port on which every node serves its own Prometheus metrics (default 9464 in cluster mode in
   * production, else unset; METRICS_PORT=off turns it off).
   */
  metricsPort: number | undefined;
  /** Port of the node's own health endpoint (/live, /ready) for container probes; unset: none. */
  healthPort: number | undefined;
  /** When set, the gateway's GET /metrics on the API port needs `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** Time a client has to send a request's headers and body before it gets 408 and is closed. */
  httpReadTimeoutMs: number;
  /** Open HTTP connections per client address; connections past it get 429 (0 = no cap). */
  httpMaxConnectionsPerAddress: number;
  logLevel: (typeof LOG_LEVELS)[number];
  logFormat: "json" | "pretty";
  /** Which proxies in front of the gateway are trusted (Express's `trust proxy`, lib/http/proxy.ts). */
  trustProxy: TrustProxy;
  /** Seed the demo catalog when the products table is empty (embedded mode default). */
  seedOnStart: boolean;
  paymentFailureRate: number;
  paymentLatencyMs: number;
  requestTimeoutMs: number;
  rateLimits: {
    /** Every /api request, per client address. */
    global: Limit | undefined;
    /** Login attempts per (account, address); five times this per address over all accounts. */
    login: Limit | undefined;
    /**
     * Failed logins per account from anywhere before each further failure doubles a wait
     * (up to loginBackoffMaxSeconds) for addresses that never logged in to the account.
     */
    loginAccount: Limit | undefined;
    /** Registrations per address. */
    register: Limit | undefined;
    /** Checkouts and payments per user. */
    checkout: Limit | undefined;
  };
  /** The longest wait the per-account login backoff imposes. */
  loginBackoffMaxSeconds: number;
  /** A JSON file with the login whitelist; default config/access.json. */
  accessWhitelistFile: string | undefined;
  /** The MOL_* variables: broker options overridden from the environment (moleculer.config.ts). */
  brokerOverrides: Record<string, string>;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new Reader(env, problems);

  const nodeEnv = read.oneOf("NODE_ENV", NODE_ENVS, "development");
  const databaseUrl = read.string("DATABASE_URL", "sqlite:data/shop.sqlite");
  const databaseDialect = dialectOf(databaseUrl);
  if (!databaseDialect) {
    problems.push(
      `DATABASE_URL must be sqlite:<path> or mysql://user:pass@host:port/db (got "${redact(databaseUrl)}")`,
    );
  }
  const redisUrl = read.url("REDIS_URL", ["redis:", "rediss:"]);
  const transporter = read.url("TRANSPORTER", ["nats:"]);
  const discoverer = read.url("DISCOVERER", ["etcd3:", "local:", "redis:", "rediss:"]);
  const services = read.list("SERVICES", ALL_SERVICES);
  if (transporter === undefined && services.length !== ALL_SERVICES.length) {
    problems.push(
      "SERVICES: a node hosting only some services needs a TRANSPORTER to reach the rest",
    );
  }
  const jwtSecret = read.string("JWT_SECRET", DEFAULT_JWT_SECRET);
  if (nodeEnv === "production" && jwtSecret === DEFAULT_JWT_SECRET) {
    problems.push("JWT_SECRET must be set to a secret of your own when NODE_ENV=production");
  } else if (nodeEnv === "production" && jwtSecret.length < 32) {
    problems.push("JWT_SECRET must be at least 32 characters when NODE_ENV=production");
  }
  const adminEmail = read.optional("ADMIN_EMAIL");
  const adminPassword = read.optional("ADMIN_PASSWORD");
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    problems.push("ADMIN_EMAIL and ADMIN_PASSWORD must be set together");
  }
  if (adminPassword !== undefined && adminPassword.length < 8) {
    problems.push("ADMIN_PASSWORD must be at least 8 characters");
  }
  const logFormat = read.oneOf(
    "LOG_FORMAT",
    ["json", "pretty"] as const,
    nodeEnv === "development" ? "pretty" : "json",
  );

  const config: Config = {
    nodeEnv,
    host: read.string("HOST", "127.0.0.1"),
    port: read.int("PORT", 3000, 0, 65535),
    databaseUrl,
    databaseDialect: databaseDialect ?? "sqlite",
    redisUrl,
    transporter,
    discoverer,
    namespace: read.pattern("NAMESPACE", /^[A-Za-z0-9_-]*$/, ""),
    services,
    nodeId: read.optional("NODE_ID"),
    jwtSecret,
    jwtIssuer: read.string("JWT_ISSUER", "douyin-mall"),
    jwtAudience: read.string("JWT_AUDIENCE", "douyin-mall-api"),
    accessTokenTtlSeconds: read.int("ACCESS_TOKEN_TTL_SECONDS", 900, 10, 86_400),
    refreshTokenTtlSeconds: read.int("REFRESH_TOKEN_TTL_SECONDS", 30 * 86_400, 60, 365 * 86_400),
    refreshReuseGraceSeconds: read.int("REFRESH_REUSE_GRACE_SECONDS", 20, 0, 300),
    adminEmail,
    adminPassword,
    orderPaymentTtlSeconds: read.int("ORDER_PAYMENT_TTL_SECONDS", 900, 1, 7 * 86_400),
    orderRecoverySeconds: read.int("ORDER_RECOVERY_SECONDS", 30, 2, 3600),
    maxPendingOrders: read.int("MAX_PENDING_ORDERS", 3, 1, 100),
    otelEndpoint: read.url("OTEL_EXPORTER_OTLP_ENDPOINT", ["http:", "https:"]),
    metricsPort: readMetricsPort(read, nodeEnv === "production" && transporter !== undefined),
    metricsToken: read.secret("METRICS_TOKEN", 16),
    httpReadTimeoutMs: read.int("HTTP_READ_TIMEOUT_MS", 10_000, 100, 600_000),
    httpMaxConnectionsPerAddress: read.int("HTTP_MAX_CONNECTIONS_PER_ADDRESS", 256, 0, 1_000_000),
    healthPort:
      read.optional("HEALTH_PORT") === undefined ? undefined : read.int("HEALTH_PORT", 0, 0, 65535),
    logLevel: read.oneOf("LOG_LEVEL", LOG_LEVELS, "info"),
    logFormat,
    trustProxy: read.trustProxy("TRUST_PROXY"),
    seedOnStart: read.bool("SEED_ON_START", databaseDialect === "sqlite"),
    paymentFailureRate: read.number("PAYMENT_FAILURE_RATE", 0, 0, 1),
    paymentLatencyMs: read.int("PAYMENT_LATENCY_MS", 0, 0, 60_000),
    requestTimeoutMs: read.int("REQUEST_TIMEOUT_MS", 10_000, 100, 600_000),
    rateLimits: {
      global: read.limit("RATE_LIMIT_GLOBAL", "1200/60"),
      login: read.limit("RATE_LIMIT_LOGIN", "5/60"),
      loginAccount: read.limit("RATE_LIMIT_LOGIN_ACCOUNT", "20/900"),
      register: read.limit("RATE_LIMIT_REGISTER", "20/60"),
      checkout: read.limit("RATE_LIMIT_CHECKOUT", "30/60"),
    },
    loginBackoffMaxSeconds: read.int("LOGIN_BACKOFF_MAX_SECONDS", 900, 1, 86_400),
    accessWhitelistFile: read.optional("ACCESS_WHITELIST_FILE"),
    brokerOverrides: Object.fromEntries(
      Object.entries(env).filter(
        (e): e is [string, string] => e[0].startsWith("MOL_") && e[1] !== undefined,
      ),
    ),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The port metrics are served on: METRICS_PORT, `off`, or 9464 for a production cluster node. */
export const DEFAULT_METRICS_PORT = 9464;
function readMetricsPort(read: Reader, clusterProduction: boolean): number | undefined {
  const raw = read.optional("METRICS_PORT");
  if (raw === undefined) return clusterProduction ? DEFAULT_METRICS_PORT : undefined;
  if (raw.toLowerCase() === "off") return undefined;
  return read.int("METRICS_PORT", 0, 0, 65535);
}

/** True when this node talks to other nodes (cluster mode). */
export function isClusterMode(config: Config): boolean {
  return config.transporter !== undefined;
}

export function dialectOf(url: string): "sqlite" | "mysql" | undefined {
  if (url.startsWith("sqlite:")) return "sqlite";
  if (url.startsWith("mysql://") || url.startsWith("mariadb://")) return "mysql";
  return undefined;
}

class Reader {
  private readonly env: Env;
  private readonly problems: string[];
  constructor(env: Env, problems: string[]) {
    this.env = env;
    this.problems = problems;
  }

  optional(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  secret(name: string, minLength: number): string | undefined {
    const value = this.optional(name);
    if (value !== undefined && value.length < minLength) {
      this.problems.push(`${name} must be at least ${minLength} characters`);
    }
    return value;
  }

  pattern(name: string, re: RegExp, fallback: string): string {
    const value = this.string(name, fallback);
    if (!re.test(value)) this.problems.push(`${name} must match ${re} (got "${value}")`);
    return value;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (["1", "true", "yes", "on"].includes(raw)) return true;
    if (["0", "false", "no", "off"].includes(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  trustProxy(name: string): TrustProxy {
    const raw = this.optional(name);
    if (raw === undefined) return false;
    const parsed = parseTrustProxy(raw);
    if ("value" in parsed) return parsed.value;
    this.problems.push(
      `${name} must be true, false, a hop count or addresses/CIDRs: ${parsed.problem}`,
    );
    return false;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(", ")} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    let protocol: string;
    try {
      protocol = new URL(raw).protocol;
    } catch {
      this.problems.push(`${name} is not a valid URL (got "${redact(raw)}")`);
      return undefined;
    }
    if (!protocols.includes(protocol)) {
      this.problems.push(`${name} must use ${protocols.join(" or ")} (got "${redact(raw)}")`);
      return undefined;
    }
    return raw;
  }

  limit(name: string, fallback: string): Limit | undefined {
    const raw = this.optional(name) ?? fallback;
    const parsed = parseLimit(raw);
    if (parsed === "invalid") {
      this.problems.push(
        `${name} must be "count/seconds" like 20/60, or 0 for no limit (got "${raw}")`,
      );
      return parseLimit(fallback) as Limit | undefined;
    }
    return parsed;
  }

  list<T extends string>(name: string, allowed: readonly T[]): T[] {
    const raw = this.optional(name);
    if (raw === undefined || raw === "*" || raw === "all") return [...allowed];
    const items = raw
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = items.filter((s) => !(allowed as readonly string[]).includes(s));
    if (unknown.length > 0 || items.length === 0) {
      this.problems.push(
        `${name} must list services from ${allowed.join(", ")} (unknown: ${unknown.join(", ") || "none given"})`,
      );
      return [...allowed];
    }
    return [...new Set(items)] as T[];
  }
}
