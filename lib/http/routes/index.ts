/** The whole public route table: every route the gateway publishes, in one list. */
import type { RouteDef } from "../route.ts";
import { identityRoutes } from "./identity.ts";
import { monitoringRoutes } from "./monitoring.ts";
import { operationsRoutes } from "./operations.ts";

export const routes: readonly RouteDef[] = [
  ...operationsRoutes,
  ...identityRoutes,
  ...monitoringRoutes,
];
