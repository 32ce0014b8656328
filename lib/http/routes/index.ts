/** The whole public route table: every route the gateway publishes, in one list. */
import type { RouteDef } from "../route.ts";
import { identityRoutes } from "./identity.ts";
import { operationsRoutes } from "./operations.ts";
import { ordersRoutes } from "./orders.ts";

export const routes: readonly RouteDef[] = [
  ...operationsRoutes,
  ...identityRoutes,
  ...ordersRoutes,
];
