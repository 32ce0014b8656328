/** The whole public route table: every route the gateway publishes, in one list. */
import type { RouteDef } from "../route.ts";
import { cartRoutes } from "./cart.ts";
import { catalogRoutes } from "./catalog.ts";
import { identityRoutes } from "./identity.ts";
import { monitoringRoutes } from "./monitoring.ts";
import { operationsRoutes } from "./operations.ts";
import { accessRoutes } from "./access.ts";
import { ordersRoutes } from "./orders.ts";

export const routes: readonly RouteDef[] = [
  ...operationsRoutes,
  ...identityRoutes,
  ...accessRoutes,
  ...catalogRoutes,
  ...cartRoutes,
  ...monitoringRoutes,
  ...ordersRoutes,
];
