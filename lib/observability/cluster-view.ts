/**
 * The monitor's view of the cluster, computed from samples of every node's metrics (pure
 * functions: the monitor service collects, this file computes).
 * - request and error rates: the growth of Moleculer's request counters between the newest
 *   sample and one about RATE_WINDOW_MS older, per action and per node (counted on the node that
 *   ran the action, so a remote call is counted once);
 * - p50/p95 latency: estimated from the growth of the request-time histogram buckets over
 *   LATENCY_WINDOW_MS, interpolated inside a bucket as Prometheus's histogram_quantile() does
 *   (so instances and callers aggregate correctly);
 * - circuit breakers: the open and half-open breakers every node holds towards another node;
 * - business counters (shop.*, rate limits among them): totals and rates.
 */
import type { MetricObject } from "./prometheus.ts";
import { actionStats, growth, round, series, type Series } from "./action-stats.ts";

export const RATE_WINDOW_MS = 10_000;
export const LATENCY_WINDOW_MS = 60_000;

export interface NodeInfo {
  id: string;
  available: boolean;
  local: boolean;
  hostname: string | null;
  cpu: number | null;
  lastHeartbeatTime?: number;
  offlineSince?: number | null;
  client?: { version?: string };
}

export interface NodeHealth {
  cpu?: { utilization?: number | null; load1?: number; cores?: number };
  mem?: { free?: number; total?: number; percent?: number };
  process?: { memory?: { rss?: number; heapUsed?: number; heapTotal?: number }; uptime?: number };
}

export interface ServiceInfo {
  name: string;
  version?: string | number | null;
  nodeID: string;
  available: boolean;
  actions?: Record<string, { visibility?: string }>;
}

/** One collection round. */
export interface Sample {
  at: number;
  nodes: NodeInfo[];
  services: ServiceInfo[];
  /** Per node id: its metrics, or null when it did not answer. */
  metrics: Record<string, MetricObject[] | null>;
  health: Record<string, NodeHealth | null>;
}

export type BreakerState = "closed" | "open" | "half-open";

/**
 * Actions never listed: Moleculer's own ($node.*), the gateway's dispatcher (api.rest runs for
 * every HTTP request besides the action it calls: counting it would count a request twice) and
 * moleculer-web's route management.
 */
export function isInternalAction(name: string, visibility?: string): boolean {
  return (
    name.startsWith("$") ||
    name === "api.rest" ||
    name === "api.addRoute" ||
    name === "api.removeRoute" ||
    visibility === "private"
  );
}

export interface ViewOptions {
  /** Actions listed even without traffic (those behind a REST route); all, when absent. */
  published?: ReadonlySet<string>;
}

/** The view served by monitor.cluster and the stream. */
export function clusterView(history: readonly Sample[], opts: ViewOptions = {}) {
  const now = history[history.length - 1];
  const rateBase = baseline(history, RATE_WINDOW_MS);
  const latencyBase = baseline(history, LATENCY_WINDOW_MS);
  const breakers = breakerStates(now);

  const actionNames = new Set<string>();
  const visibility = new Map<string, string | undefined>();
  for (const svc of now.services) {
    for (const [name, def] of Object.entries(svc.actions ?? {})) {
      visibility.set(name, def.visibility);
      if (!isInternalAction(name, def.visibility)) actionNames.add(name);
    }
  }
  for (const nodeMetrics of Object.values(now.metrics)) {
    for (const s of series(nodeMetrics, "moleculer.request.total")) {
      const name = String(s.labels.action);
      if (s.labels.type === "local" && !isInternalAction(name, visibility.get(name))) {
        actionNames.add(name);
      }
    }
  }

  const allActions = [...actionNames].sort().map((name) => {
    const nodeIds = instancesOf(now, name);
    const instances = nodeIds.map((nodeID) => ({
      nodeID,
      breaker: worstBreaker(breakers, name, nodeID),
      ...actionStats(now, rateBase, latencyBase, name, [nodeID]),
    }));
    const states = instances.map((i) => i.breaker);
    return {
      name,
      service: name.slice(0, name.lastIndexOf(".")),
      ...actionStats(now, rateBase, latencyBase, name, nodeIds),
      /** The worst breaker state towards any instance. */
      breaker: (states.includes("open")
        ? "open"
        : states.includes("half-open")
          ? "half-open"
          : "closed") as BreakerState,
      instances,
    };
  });
  // Shown: what had traffic, and what the public API calls (so an idle route is seen idle).
  const actions = allActions.filter(
    (a) => a.requests > 0 || a.breaker !== "closed" || (opts.published?.has(a.name) ?? true),
  );

  const servicesByName = new Map<
    string,
    { name: string; version: string | null; instances: Array<{ nodeID: string; up: boolean }> }
  >();
  for (const svc of now.services) {
    if (svc.name.startsWith("$")) continue;
    const entry = servicesByName.get(svc.name) ?? {
      name: svc.name,
      version: svc.version == null ? null : String(svc.version),
      instances: [],
    };
    entry.instances.push({ nodeID: svc.nodeID, up: svc.available });
    servicesByName.set(svc.name, entry);
  }
  const services = [...servicesByName.values()]
    .map((s) => ({ ...s, up: s.instances.filter((i) => i.up).length }))
    .sort((a, b) => a.name.localeCompare(b.name));

  const nodes = now.nodes
    .map((n) => nodeView(n, now.health[n.id] ?? null, now))
    .sort((a, b) => a.id.localeCompare(b.id));

  const business = businessCounters(now, rateBase);
  const totals = actions.reduce(
    (t, a) => ({
      requestRate: t.requestRate + (a.requestRate ?? 0),
      errorRate: t.errorRate + (a.errorRate ?? 0),
    }),
    { requestRate: 0, errorRate: 0 },
  );
  const rateLimited = business["shop.gateway.rate_limited.total"];
  const banned = business["shop.gateway.banned.total"];

  return {
    collectedAt: new Date(now.at).toISOString(),
    windowSeconds: {
      rates: rateBase ? (now.at - rateBase.at) / 1000 : null,
      latency: LATENCY_WINDOW_MS / 1000,
    },
    summary: {
      nodesUp: nodes.filter((n) => n.status === "up").length,
      nodesDown: nodes.filter((n) => n.status === "down").length,
      services: services.length,
      requestRate: round(totals.requestRate),
      errorRate: round(totals.errorRate),
      openBreakers: breakers.filter((b) => b.state !== "closed").length,
    },
    nodes,
    services,
    actions,
    circuitBreakers: breakers,
    rateLimit: {
      rejected: rateLimited?.total ?? 0,
      rejectedRate: rateLimited?.rate ?? null,
      byRule: rateLimited?.series ?? [],
    },
    bans: {
      rejected: banned?.total ?? 0,
      rejectedRate: banned?.rate ?? null,
      byKind: banned?.series ?? [],
    },
    business,
  };
}

export type ClusterView = ReturnType<typeof clusterView>;

/** The newest sample at least `windowMs` older than the last (else the oldest one). */
function baseline(history: readonly Sample[], windowMs: number): Sample | undefined {
  if (history.length < 2) return undefined;
  const last = history[history.length - 1];
  let base = history[0];
  for (const s of history.slice(0, -1)) {
    if (last.at - s.at >= windowMs) base = s;
  }
  return base;
}

function instancesOf(sample: Sample, action: string): string[] {
  const ids = new Set<string>();
  for (const svc of sample.services) if (svc.actions?.[action]) ids.add(svc.nodeID);
  for (const [nodeID, metrics] of Object.entries(sample.metrics)) {
    if (
      series(metrics, "moleculer.request.total").some(
        (s) => s.labels.action === action && s.labels.type === "local",
      )
    ) {
      ids.add(nodeID);
    }
  }
  return [...ids].sort();
}

/** Open and half-open breakers each node holds (closed ones are not listed). */
function breakerStates(sample: Sample) {
  const out: Array<{
    callerNodeID: string;
    targetNodeID: string;
    action: string;
    state: BreakerState;
  }> = [];
  for (const [callerNodeID, metrics] of Object.entries(sample.metrics)) {
    const open = series(metrics, "moleculer.circuit-breaker.opened.active");
    const half = series(metrics, "moleculer.circuit-breaker.half-opened.active");
    for (const [list, state] of [
      [open, "open"],
      [half, "half-open"],
    ] as const) {
      for (const s of list) {
        if (!s.value) continue;
        out.push({
          callerNodeID,
          targetNodeID: String(s.labels.affectedNodeID),
          action: String(s.labels.action),
          state,
        });
      }
    }
  }
  return out;
}

function worstBreaker(
  breakers: ReturnType<typeof breakerStates>,
  action: string,
  nodeID: string,
): BreakerState {
  const states = breakers
    .filter((b) => b.action === action && b.targetNodeID === nodeID)
    .map((b) => b.state);
  if (states.includes("open")) return "open";
  if (states.includes("half-open")) return "half-open";
  return "closed";
}

function nodeView(node: NodeInfo, health: NodeHealth | null, sample: Sample) {
  const memory = health?.process?.memory;
  return {
    id: node.id,
    status: node.available ? ("up" as const) : ("down" as const),
    local: node.local,
    hostname: node.hostname,
    version: node.client?.version ?? null,
    services: [
      ...new Set(
        sample.services
          .filter((s) => s.nodeID === node.id && !s.name.startsWith("$"))
          .map((s) => s.name),
      ),
    ].sort(),
    /** CPU use of the node's host in percent (from its heartbeats), null when unknown. */
    cpu: node.cpu ?? health?.cpu?.utilization ?? null,
    load1: health?.cpu?.load1 ?? null,
    memory: memory
      ? {
          rss: memory.rss ?? null,
          heapUsed: memory.heapUsed ?? null,
          heapTotal: memory.heapTotal ?? null,
          systemUsedPercent: health?.mem?.percent != null ? round(100 - health.mem.percent) : null,
        }
      : null,
    uptimeSeconds: health?.process?.uptime != null ? Math.round(health.process.uptime) : null,
    metricsAnswered: sample.metrics[node.id] != null,
  };
}

/** Every shop.* counter summed over nodes: total, rate, and per label set. */
function businessCounters(now: Sample, base: Sample | undefined) {
  const seconds = base ? (now.at - base.at) / 1000 : 0;
  const collect = (sample: Sample | undefined) => {
    const byMetric = new Map<
      string,
      Map<string, { labels: Record<string, unknown>; value: number }>
    >();
    for (const metrics of Object.values(sample?.metrics ?? {})) {
      for (const metric of metrics ?? []) {
        if (!metric.name.startsWith("shop.") || metric.type !== "counter") continue;
        const bySeries = byMetric.get(metric.name) ?? new Map();
        for (const s of metric.values as Series[]) {
          const key = JSON.stringify(s.labels ?? {});
          const entry = bySeries.get(key) ?? { labels: s.labels ?? {}, value: 0 };
          entry.value += s.value ?? 0;
          bySeries.set(key, entry);
        }
        byMetric.set(metric.name, bySeries);
      }
    }
    return byMetric;
  };
  const current = collect(now);
  const before = collect(base);
  const out: Record<
    string,
    {
      total: number;
      rate: number | null;
      series: Array<{ labels: Record<string, unknown>; total: number; rate: number | null }>;
    }
  > = {};
  for (const [name, bySeries] of current) {
    const list = [...bySeries.entries()].map(([key, s]) => {
      const prev = before.get(name)?.get(key)?.value ?? 0;
      return {
        labels: s.labels,
        total: s.value,
        rate: base ? round(growth(s.value, prev) / seconds) : null,
      };
    });
    const total = list.reduce((t, s) => t + s.total, 0);
    const rate = base ? round(list.reduce((t, s) => t + (s.rate ?? 0), 0)) : null;
    out[name] = { total, rate, series: list };
  }
  return out;
}
