import type { RouteDef } from "../route.ts";

const clusterView = {
  type: "object",
  description:
    "Nodes (up/down, CPU, memory), services and their instances, per-action request rate, error rate, p50/p95 latency (ms), circuit-breaker states, rate-limit rejections",
  required: ["collectedAt", "nodes", "services", "actions"],
  properties: {
    collectedAt: { type: "string", format: "date-time" },
    summary: { type: "object" },
    nodes: { type: "array", items: { type: "object" } },
    services: { type: "array", items: { type: "object" } },
    actions: { type: "array", items: { type: "object" } },
    circuitBreakers: { type: "array", items: { type: "object" } },
    rateLimit: { type: "object" },
    bans: { type: "object" },
    business: { type: "object" },
  },
};

export const monitoringRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/admin/cluster",
    action: "monitor.cluster",
    access: ["admin"],
    summary: "Live view of the cluster (admin); refreshed every second while watched",
    tag: "Monitoring",
    params: {},
    response: clusterView,
  },
  {
    method: "GET",
    path: "/admin/cluster/stream",
    action: "api.clusterStream",
    access: ["admin"],
    summary: "The same view as server-sent events: one `cluster` event a second (admin)",
    tag: "Monitoring",
    params: {},
    produces: "text/event-stream",
    errors: ["TOO_MANY_STREAMS"],
  },
];
