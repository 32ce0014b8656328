/**
 * monitor: the live view of the cluster for administrators (no tables). While someone watches
 * (a call in the last IDLE_AFTER_MS), it samples every node once a second: the registry's nodes
 * and services, and each node's `$node.metrics` and `$node.health`. The view is computed from
 * those samples by lib/observability/cluster-view.ts. Served at GET /api/admin/cluster and, as
 * server-sent events, at GET /api/admin/cluster/stream (the gateway polls this action).
 */
import type { ServiceBroker, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { detached } from "../lib/observability/context.ts";
import {
  LATENCY_WINDOW_MS,
  clusterView,
  type ClusterView,
  type NodeHealth,
  type NodeInfo,
  type Sample,
  type ServiceInfo,
} from "../lib/observability/cluster-view.ts";
import type { MetricObject } from "../lib/observability/prometheus.ts";
import { routes } from "../lib/http/routes/index.ts";
import { paramsOf } from "../lib/http/routes/index.ts";

/** The actions behind the public REST routes: listed by the view even while idle. */
const PUBLISHED = new Set(routes.map((r) => r.action));

/** Sampling period while watched. */
export const SAMPLE_INTERVAL_MS = 1_000;
/** Sampling stops this long after the last call. */
const IDLE_AFTER_MS = 30_000;
/** A node that does not answer within this time is shown without metrics. */
const NODE_TIMEOUT_MS = 800;
/** Only what the view needs travels from each node. */
const METRIC_PATTERNS = ["moleculer.request.**", "moleculer.circuit-breaker.**", "shop.**"];

interface MonitorVars {
  history: Sample[];
  timer: NodeJS.Timeout | undefined;
  lastAskedAt: number;
  sampling: Promise<void> | undefined;
}
interface MonitorMethods {
  sample(): Promise<void>;
  watch(): Promise<ClusterView>;
}

const MonitorService: ServiceSchema<ServiceSettingSchema, MonitorMethods, MonitorVars> = {
  name: "monitor",

  actions: {
    /** The cluster now: nodes, services and instances, per-action rates, errors, latency, breakers. */
    cluster: {
      params: paramsOf("monitor.cluster"),
      handler() {
        return this.watch();
      },
    },
  },

  methods: {
    async watch() {
      this.lastAskedAt = Date.now();
      if (!this.timer) {
        this.timer = detached(() =>
          setInterval(() => {
            if (Date.now() - this.lastAskedAt > IDLE_AFTER_MS) {
              clearInterval(this.timer);
              this.timer = undefined;
              this.history = [];
              return;
            }
            void this.sample();
          }, SAMPLE_INTERVAL_MS),
        );
      }
      if (this.history.length === 0) await detached(() => this.sample());
      return clusterView(this.history, { published: PUBLISHED });
    },

    sample() {
      // One round at a time: a slow node must not pile rounds up.
      this.sampling ??= collect(this.broker)
        .then((sample) => {
          this.history.push(sample);
          const oldest = sample.at - LATENCY_WINDOW_MS - 2 * SAMPLE_INTERVAL_MS;
          while (this.history.length > 2 && this.history[0].at < oldest) this.history.shift();
        })
        .catch((err: Error) => this.logger.warn("Cluster sampling failed", { error: err.message }))
        .finally(() => {
          this.sampling = undefined;
        });
      return this.sampling;
    },
  },

  created() {
    this.history = [];
    this.timer = undefined;
    this.lastAskedAt = 0;
    this.sampling = undefined;
  },

  stopped() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  },
};

/** One sample: the local registry, and every available node's metrics and health. */
async function collect(broker: ServiceBroker): Promise<Sample> {
  const registry = broker.registry as unknown as {
    getNodeList(o: object): NodeInfo[];
    getServiceList(o: object): ServiceInfo[];
  };
  const nodes = registry.getNodeList({ onlyAvailable: false, withServices: false });
  const services = registry.getServiceList({ skipInternal: true, withActions: true });
  const ask = <T>(action: string, params: object, nodeID: string) =>
    (broker.call(action, params, { nodeID, timeout: NODE_TIMEOUT_MS }) as Promise<T>).catch(
      () => null,
    );
  const answers = await Promise.all(
    nodes
      .filter((n) => n.available)
      .map(async (n) => {
        const [metrics, health] = await Promise.all([
          ask<MetricObject[]>("$node.metrics", { includes: METRIC_PATTERNS }, n.id),
          ask<NodeHealth>("$node.health", {}, n.id),
        ]);
        return { id: n.id, metrics, health };
      }),
  );
  return {
    at: Date.now(),
    nodes,
    services,
    metrics: Object.fromEntries(answers.map((a) => [a.id, a.metrics])),
    health: Object.fromEntries(answers.map((a) => [a.id, a.health])),
  };
}

export default MonitorService;
