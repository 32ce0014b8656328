import type { RouteDef } from "../route.ts";

export const operationsRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/health",
    action: "api.health",
    access: "public",
    summary: "Liveness: the process answers",
    tag: "Operations",
    response: { type: "object", properties: { status: { type: "string", enum: ["ok"] } } },
  },
  {
    method: "GET",
    path: "/ready",
    action: "api.ready",
    access: "public",
    summary: "Readiness: database, cache and transporter answer (else 503 naming the failure)",
    tag: "Operations",
  },
  {
    method: "GET",
    path: "/openapi.json",
    action: "api.openapi",
    access: "public",
    summary: "This document",
    tag: "Operations",
  },
];
