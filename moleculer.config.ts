/**
 * Broker options for a node, built from the validated configuration. Every option can be
 * overridden from the environment the way moleculer-runner does it: `MOL_<OPTION>` with `__`
 * between nesting levels, e.g. `MOL_REQUEST_TIMEOUT=5000`,
 * `MOL_CIRCUIT_BREAKER__THRESHOLD=0.3`, `MOL_REGISTRY__STRATEGY=CpuUsage`.
 */
import { hostname } from "node:os";
import type { BrokerOptions } from "moleculer";
import type { Config } from "./lib/config.ts";
import { loggerOptions } from "./lib/observability/logger.ts";
import { ObservabilityMiddleware } from "./lib/observability/middleware.ts";
import { REPORTER_TYPE } from "./lib/observability/prometheus.ts";
import { ClusterLinkMiddleware } from "./lib/resilience/cluster-link.ts";
import { CACHER_TYPE } from "./lib/store/fail-open-cacher.ts";
import { redisOptions } from "./lib/store/redis-options.ts";
import { ApiValidator } from "./lib/validator.ts";

export default function brokerOptions(
  config: Config,
  env: Record<string, string | undefined> = config.brokerOverrides,
): BrokerOptions {
  const cluster = config.transporter !== undefined;
  const options: BrokerOptions = {
    namespace: config.namespace,
    nodeID: config.nodeId ?? `${hostname()}-${process.pid}`,
    // bin/start.ts stops the node on SIGTERM/SIGINT (broker, then database and store); the
    // broker's own handlers would stop it a second time and exit before the database closed.
    skipProcessEventRegistration: true,
    // Pino: JSON lines, or readable lines with LOG_FORMAT=pretty (lib/observability/logger.ts).
    logger: loggerOptions({ format: config.logFormat, level: config.logLevel }),
    logLevel: config.logLevel === "fatal" ? "fatal" : config.logLevel,
    // A URL string is a valid transporter/discoverer config (Moleculer resolves it by scheme).
    transporter: (config.transporter ?? null) as BrokerOptions["transporter"],
    registry: {
      strategy: "RoundRobin",
      preferLocal: true,
      ...(config.discoverer ? { discoverer: config.discoverer as "Etcd3" } : {}),
    },
    // Fails open: without Redis a lookup is a miss and the action answers from the database.
    cacher: config.redisUrl
      ? {
          type: CACHER_TYPE as "Redis",
          options: {
            prefix: `shop-${config.namespace || "default"}-cache`,
            ttl: 300,
            redis: redisOptions(config.redisUrl) as Record<string, unknown>,
          },
        }
      : { type: "Memory", options: { ttl: 300, clone: false } },
    serializer: "JSON",
    requestTimeout: config.requestTimeoutMs,
    // Retries are opted into per action (only where a retry is safe).
    retryPolicy: { enabled: false, retries: 3, delay: 100, maxDelay: 2000, factor: 2 },
    maxCallLevel: 20,
    // A dead peer is found by the cluster-link probe within about a second of a slow call; the
    // heartbeats are the backstop (a peer is dropped 6–12 s after its last heartbeat).
    heartbeatInterval: 2,
    heartbeatTimeout: 6,
    contextParamsCloning: false,
    tracking: { enabled: true, shutdownTimeout: 10_000 },
    disableBalancer: false,
    circuitBreaker: {
      enabled: cluster,
      threshold: 0.5,
      minRequestCount: 20,
      windowTime: 60,
      halfOpenTime: 10_000,
      // A callee's failure counts; a healthy callee reporting that *its* dependency is down
      // (data.dependency, e.g. orders answering PAYMENT_UNAVAILABLE) must not open a breaker to it.
      check: (err: Error & { code?: number; data?: { dependency?: unknown } }) =>
        Boolean(err && (err.code ?? 0) >= 500 && !err.data?.dependency),
    },
    bulkhead: { enabled: true, concurrency: 100, maxQueueSize: 1000 },
    // fastest-validator with API.md's input rules: no null for typed fields, no control
    // characters in text, plain decimals from query strings (lib/validator.ts).
    validator: new ApiValidator(),
    // Every node keeps its metrics; the gateway serves its own at GET /metrics, and every node
    // serves its own on METRICS_PORT when set (lib/observability/prometheus.ts).
    metrics: {
      enabled: true,
      collectProcessMetrics: true,
      reporter:
        config.metricsPort === undefined
          ? []
          : [
              {
                type: REPORTER_TYPE as "Prometheus",
                options: { port: config.metricsPort, host: config.host },
              },
            ],
    },
    // Traces are OpenTelemetry's, made by the observability middleware (not Moleculer's tracer).
    tracing: { enabled: false },
    // The cluster link: remote calls fail fast with 503 while NATS is lost, and a peer whose NATS
    // connection is gone is dropped at once, so safe reads retry on another instance.
    middlewares: [ObservabilityMiddleware(), ...(cluster ? [ClusterLinkMiddleware()] : [])],
    transit: { maxQueueSize: 50_000, disableReconnect: false },
  };
  return overrideFromEnv(options, env);
}

/** Applies `MOL_*` variables onto the options (same rules as moleculer-runner). */
export function overrideFromEnv(
  options: BrokerOptions,
  env: Record<string, string | undefined>,
): BrokerOptions {
  const result = options as Record<string, unknown>;
  for (const [key, raw] of Object.entries(env)) {
    if (!key.startsWith("MOL_") || raw === undefined) continue;
    const path = key
      .slice(4)
      .split("__")
      .map((level) =>
        level
          .toLowerCase()
          .split("_")
          .map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
          .join(""),
      );
    let target = result;
    for (const segment of path.slice(0, -1)) {
      if (typeof target[segment] !== "object" || target[segment] === null) target[segment] = {};
      target = target[segment] as Record<string, unknown>;
    }
    target[path[path.length - 1]] = parseEnvValue(raw);
  }
  return result as BrokerOptions;
}

function parseEnvValue(raw: string): unknown {
  if (raw === "true" || raw === "false") return raw === "true";
  if (raw.trim() !== "" && !Number.isNaN(Number(raw))) return Number(raw);
  return raw;
}
