import type { RouteDef } from "../route.ts";
import { object } from "../schema.ts";

const readiness = object({
  status: { type: "string", enum: ["ok", "unavailable"] },
  checks: {
    type: "object",
    description: 'database, cache, transporter, access, services: "ok" or "error: <why>"',
    additionalProperties: { type: "string" },
  },
});

export const operationsRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/health",
    action: "api.health",
    access: "public",
    summary: "Liveness: the process answers",
    tag: "Operations",
    params: {},
    response: object({ status: { type: "string", enum: ["ok"] } }),
  },
  {
    method: "GET",
    path: "/ready",
    action: "api.ready",
    access: "public",
    summary: "Readiness: every published route can answer (else 503 naming the failed check)",
    tag: "Operations",
    params: {},
    response: readiness,
    otherResponses: { 503: { description: "Not ready: the failed checks", schema: readiness } },
  },
  {
    method: "GET",
    path: "/openapi.json",
    action: "api.openapi",
    access: "public",
    summary: "This document",
    tag: "Operations",
    params: {},
    response: {
      type: "object",
      required: ["openapi", "info", "paths"],
      properties: {
        openapi: { type: "string" },
        info: { type: "object" },
        paths: { type: "object" },
      },
    },
  },
];
