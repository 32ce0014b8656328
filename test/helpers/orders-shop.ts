/**
 * The cluster layout of the orders suites: every service on its own broker (users, orders,
 * payments, the rest of the backend), plus two gateways.
 */
import { ALL_SERVICES, type ServiceName } from "../../lib/config.ts";

export function clusterLayout(): ServiceName[][] {
  const own: ServiceName[] = ["api", "users", "orders", "payments"];
  const rest = ALL_SERVICES.filter((s) => !own.includes(s));
  return [["users"], ["orders"], ["payments"], ...(rest.length ? [rest] : []), ["api"], ["api"]];
}
