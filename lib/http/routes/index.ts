/** The whole public route table: every route the gateway publishes, in one list. */
import type { ActionParams } from "moleculer";
import type { RouteDef } from "../route.ts";
import { accessRoutes } from "./access.ts";
import { accountRoutes } from "./account.ts";
import { cartRoutes } from "./cart.ts";
import { catalogRoutes } from "./catalog.ts";
import { identityRoutes } from "./identity.ts";
import { monitoringRoutes } from "./monitoring.ts";
import { operationsRoutes } from "./operations.ts";
import { merchantRoutes } from "./merchant.ts";
import { ordersRoutes } from "./orders.ts";
import { reviewRoutes } from "./reviews.ts";

export const routes: readonly RouteDef[] = [
  ...operationsRoutes,
  ...identityRoutes,
  ...accessRoutes,
  ...catalogRoutes,
  ...cartRoutes,
  ...monitoringRoutes,
  ...ordersRoutes,
  ...merchantRoutes,
  ...accountRoutes,
  ...reviewRoutes,
];

const byAction = new Map<string, ActionParams>();
for (const r of routes) {
  if (byAction.has(r.action)) throw new Error(`route table: ${r.action} is published twice`);
  byAction.set(r.action, { $$strict: true, ...r.params } as ActionParams);
}

/**
 * The `params` of a published action, from its route row: the service declares
 * `params: paramsOf("carts.addItem")`, so what the action checks and what the document says are
 * one definition (test/unit/contract.spec.ts checks every published action does this).
 */
export function paramsOf(action: string): ActionParams {
  const params = byAction.get(action);
  if (!params) throw new Error(`route table: no route publishes ${action}`);
  return params;
}
