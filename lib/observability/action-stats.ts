/**
 * Per-action numbers of the cluster view (cluster-view.ts), from samples of the nodes' Moleculer
 * metrics: request and error counts and rates, and p50/p95 latency estimated from histogram
 * buckets (or Moleculer's sliding quantiles when the window saw no request).
 */
import type { MetricObject } from "./prometheus.ts";

/** What the stats read of one collection round (cluster-view.ts's Sample has more). */
export interface MetricsSample {
  at: number;
  /** Per node id: its metrics, or null when it did not answer. */
  metrics: Record<string, MetricObject[] | null>;
}

export interface ActionStats {
  requests: number;
  errors: number;
  requestRate: number | null;
  errorRate: number | null;
  errorRatio: number | null;
  /** Mean latency (ms) over the latency window, else since the node started. */
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Series {
  labels: Record<string, unknown>;
  value?: number;
  count?: number;
  sum?: number;
  buckets?: Record<string, number>;
  quantiles?: Record<string, number | null>;
}

export function series(metrics: MetricObject[] | null | undefined, name: string): Series[] {
  const metric = metrics?.find((m) => m.name === name);
  return (metric?.values ?? []) as Series[];
}

/** Sum of a counter's local series for an action on some nodes. */
function counterSum(
  sample: MetricsSample | undefined,
  name: string,
  action: string,
  nodeIds: string[],
): number {
  if (!sample) return 0;
  let sum = 0;
  for (const nodeID of nodeIds) {
    for (const s of series(sample.metrics[nodeID], name)) {
      if (s.labels.action === action && s.labels.type === "local") sum += s.value ?? 0;
    }
  }
  return sum;
}

/** Summed cumulative buckets (le → count) of an action's local request-time histogram. */
function bucketSum(
  sample: MetricsSample | undefined,
  action: string,
  nodeIds: string[],
): Map<number, number> {
  const out = new Map<number, number>();
  if (!sample) return out;
  for (const nodeID of nodeIds) {
    for (const s of series(sample.metrics[nodeID], "moleculer.request.time")) {
      if (s.labels.action !== action || s.labels.type !== "local") continue;
      for (const [le, count] of Object.entries(s.buckets ?? {})) {
        out.set(Number(le), (out.get(Number(le)) ?? 0) + (count ?? 0));
      }
      out.set(Infinity, (out.get(Infinity) ?? 0) + (s.count ?? 0));
    }
  }
  return out;
}

export function actionStats(
  now: MetricsSample,
  rateBase: MetricsSample | undefined,
  latencyBase: MetricsSample | undefined,
  action: string,
  nodeIds: string[],
): ActionStats {
  const requests = counterSum(now, "moleculer.request.total", action, nodeIds);
  const errors = counterSum(now, "moleculer.request.error.total", action, nodeIds);
  let requestRate: number | null = null;
  let errorRate: number | null = null;
  let errorRatio: number | null = null;
  if (rateBase) {
    const seconds = (now.at - rateBase.at) / 1000;
    const dr = growth(requests, counterSum(rateBase, "moleculer.request.total", action, nodeIds));
    const de = growth(
      errors,
      counterSum(rateBase, "moleculer.request.error.total", action, nodeIds),
    );
    requestRate = round(dr / seconds);
    errorRate = round(de / seconds);
    errorRatio = dr > 0 ? round(Math.min(1, de / dr)) : null;
  }
  const current = bucketSum(now, action, nodeIds);
  const previous = bucketSum(latencyBase, action, nodeIds);
  const window = new Map<number, number>();
  for (const [le, count] of current) window.set(le, growth(count, previous.get(le) ?? 0));
  return {
    requests,
    errors,
    requestRate,
    errorRate,
    errorRatio,
    mean: meanLatency(now, latencyBase, action, nodeIds),
    p50: quantile(0.5, window) ?? slidingQuantile(now, action, nodeIds, "0.5"),
    p95: quantile(0.95, window) ?? slidingQuantile(now, action, nodeIds, "0.95"),
    p99: quantile(0.99, window) ?? slidingQuantile(now, action, nodeIds, "0.99"),
  };
}

/** Sum and count of an action's local request-time histogram on some nodes. */
function timeTotals(sample: MetricsSample | undefined, action: string, nodeIds: string[]) {
  let sum = 0;
  let count = 0;
  if (!sample) return { sum, count };
  for (const nodeID of nodeIds) {
    for (const s of series(sample.metrics[nodeID], "moleculer.request.time")) {
      if (s.labels.action !== action || s.labels.type !== "local") continue;
      sum += s.sum ?? 0;
      count += s.count ?? 0;
    }
  }
  return { sum, count };
}

/** Mean latency over the window (growth of sum / growth of count), else since start. */
function meanLatency(
  now: MetricsSample,
  base: MetricsSample | undefined,
  action: string,
  nodeIds: string[],
): number | null {
  const current = timeTotals(now, action, nodeIds);
  const before = timeTotals(base, action, nodeIds);
  const count = growth(current.count, before.count);
  if (base && count > 0 && current.count >= before.count) {
    return round((current.sum - before.sum) / count);
  }
  return current.count > 0 ? round(current.sum / current.count) : null;
}

/**
 * Before the monitor has a window of its own (it samples only while watched): Moleculer's own
 * sliding one-minute quantiles, combined across series weighted by their request counts.
 */
function slidingQuantile(
  sample: MetricsSample,
  action: string,
  nodeIds: string[],
  q: string,
): number | null {
  let weighted = 0;
  let weight = 0;
  for (const nodeID of nodeIds) {
    for (const s of series(sample.metrics[nodeID], "moleculer.request.time")) {
      if (s.labels.action !== action || s.labels.type !== "local") continue;
      const value = s.quantiles?.[q];
      if (typeof value !== "number" || !Number.isFinite(value) || !s.count) continue;
      weighted += value * s.count;
      weight += s.count;
    }
  }
  return weight > 0 ? round(weighted / weight) : null;
}

/** A counter's growth; a restarted node's counter starts again from zero. */
export function growth(now: number, before: number): number {
  return now >= before ? now - before : now;
}

/**
 * The q-quantile of cumulative buckets (upper bound → count), interpolated linearly inside the
 * bucket it falls in (Prometheus's histogram_quantile()). Null without observations.
 */
export function quantile(q: number, buckets: Map<number, number>): number | null {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  if (bounds.length === 0) return null;
  const total = buckets.get(Infinity) ?? buckets.get(bounds[bounds.length - 1]) ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound) ?? 0;
    if (count >= rank) {
      if (bound === Infinity) return round(lowerBound);
      const inBucket = count - lowerCount;
      const fraction = inBucket > 0 ? (rank - lowerCount) / inBucket : 1;
      return round(lowerBound + (bound - lowerBound) * fraction);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return round(lowerBound);
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
