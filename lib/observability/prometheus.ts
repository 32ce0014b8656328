/**
 * Prometheus text exposition of a node's Moleculer metric registry (Moleculer's built-in metrics
 * and the shop's, see metrics.ts). Moleculer's own Prometheus reporter writes quantiles and
 * min/mean/max series under a histogram's name, which Prometheus's parser and promtool flag; this
 * renderer keeps Moleculer's metric names but writes what the format defines:
 * - counters end in `_total`; histograms are `_bucket` / `_sum` / `_count` (quantiles are left to
 *   `histogram_quantile()`); a histogram with quantiles only becomes a summary;
 * - label names are snake_case (`nodeID` → `node_id`) and every series carries `namespace` and
 *   `node_id`, so series of different nodes never collide.
 *
 * ShopPrometheusReporter is Moleculer's reporter with this renderer: it serves a node's metrics on
 * METRICS_PORT. The gateway serves its own node's metrics at GET /metrics (gateway.mixin.ts).
 */
import type { MetricRegistry } from "moleculer";
import { MetricReporters } from "../moleculer.ts";

interface Snapshot {
  labels?: Record<string, unknown>;
  value?: unknown;
  count?: number;
  sum?: number;
  buckets?: Record<string, number>;
  quantiles?: Record<string, number>;
}

export interface MetricObject {
  type: string;
  name: string;
  description?: string;
  unit?: string;
  values: Snapshot[];
}

export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** The exposition of `metrics` (MetricRegistry#list()), `labels` added to every series. */
export function renderPrometheus(
  metrics: readonly MetricObject[],
  labels: Record<string, string> = {},
): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const metric of metrics) {
    if (metric.name.startsWith("os.datetime")) continue;
    const values = metric.values ?? [];
    if (values.length === 0) continue;
    let name = metricName(metric.name);
    if (metric.type === "counter" && !name.endsWith("_total")) name += "_total";
    if (seen.has(name)) continue;
    seen.add(name);
    const help = metric.description || metric.name + (metric.unit ? ` (${metric.unit})` : "");
    const family = renderFamily(metric.type, name, values, labels);
    if (family.length === 0) continue;
    lines.push(`# HELP ${name} ${escapeHelp(help)}`, ...family);
  }
  return lines.join("\n") + "\n";
}

function renderFamily(
  type: string,
  name: string,
  values: Snapshot[],
  base: Record<string, string>,
): string[] {
  const out: string[] = [];
  const sample = (suffix: string, item: Snapshot, value: unknown, extra = {}) => {
    if (typeof value !== "number") return;
    out.push(`${name}${suffix}${labelString({ ...base, ...item.labels, ...extra })} ${num(value)}`);
  };
  switch (type) {
    case "counter":
    case "gauge":
      out.push(`# TYPE ${name} ${type}`);
      for (const item of values) sample("", item, item.value);
      break;
    case "info":
      out.push(`# TYPE ${name} gauge`);
      for (const item of values) sample("", item, 1, { value: String(item.value ?? "") });
      break;
    case "histogram": {
      const hasBuckets = values.some((v) => v.buckets);
      out.push(`# TYPE ${name} ${hasBuckets ? "histogram" : "summary"}`);
      for (const item of values) {
        if (hasBuckets) {
          for (const [le, count] of Object.entries(item.buckets ?? {})) {
            sample("_bucket", item, count ?? 0, { le });
          }
          sample("_bucket", item, item.count ?? 0, { le: "+Inf" });
        } else {
          for (const [q, v] of Object.entries(item.quantiles ?? {})) {
            sample("", item, v, { quantile: q });
          }
        }
        sample("_sum", item, item.sum ?? 0);
        sample("_count", item, item.count ?? 0);
      }
      break;
    }
    default:
      return [];
  }
  return out.length > 1 ? out : [];
}

export function metricName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_:]/g, "_");
  return /^[a-zA-Z_:]/.test(clean) ? clean : "_" + clean;
}

/** `nodeID` → `node_id`, `affectedNodeID` → `affected_node_id`, `errorCode` → `error_code`. */
export function labelName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^a-zA-Z0-9_]/g, "_")
    .toLowerCase();
}

function labelString(labels: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const text = value === null || value === undefined ? "" : String(value);
    parts.push(`${labelName(key)}="${escapeLabel(text)}"`);
  }
  return parts.length ? `{${parts.join(",")}}` : "";
}

function num(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function escapeLabel(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** The labels every series of a node carries. */
export function nodeLabels(registry: MetricRegistry): Record<string, string> {
  return { namespace: registry.broker.namespace || "", node_id: registry.broker.nodeID };
}

/** The exposition of one broker's registry. */
export function renderRegistry(registry: MetricRegistry): string {
  return renderPrometheus(registry.list() as unknown as MetricObject[], nodeLabels(registry));
}

type ReporterBase = new (opts?: Record<string, unknown>) => {
  registry: MetricRegistry;
  generatePrometheusResponse(): string;
};
const PrometheusReporter = MetricReporters.Prometheus as unknown as ReporterBase;

/** Moleculer's Prometheus reporter (its own HTTP server on METRICS_PORT) with renderRegistry(). */
export class ShopPrometheusReporter extends PrometheusReporter {
  generatePrometheusResponse(): string {
    return renderRegistry(this.registry);
  }
}

/** The broker option's reporter type name (`metrics.reporter: [{ type: REPORTER_TYPE }]`). */
export const REPORTER_TYPE = "ShopPrometheus";
(MetricReporters as unknown as { register(name: string, value: unknown): void }).register(
  REPORTER_TYPE,
  ShopPrometheusReporter,
);
