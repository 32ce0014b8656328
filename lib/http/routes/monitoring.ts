import type { OpenApiSchema, RouteDef } from "../route.ts";

const clusterView: OpenApiSchema = {
  type: "object",
  description:
    "Nodes (up/down, CPU, memory), services and their instances, per-action request rate, error rate, p50/p95 latency (ms), circuit-breaker states, rate-limit rejections",
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
    tag: "Administration",
    response: clusterView,
  },
  {
    method: "GET",
    path: "/admin/cluster/stream",
    action: "api.clusterStream",
    access: ["admin"],
    summary:
      "The same view as server-sent events (text/event-stream): one `cluster` event a second (admin)",
    tag: "Administration",
  },
];
