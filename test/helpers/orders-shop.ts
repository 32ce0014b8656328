/**
 * Test shops for the orders suites: every service on its own broker in cluster mode, a way to take
 * the payments service down and bring it back, and the orders database for invariant checks.
 */
import type { Sequelize } from "sequelize";
import { ALL_SERVICES, type ServiceName } from "../../lib/services.ts";
import { databaseOf } from "../../lib/platform.ts";
import PaymentsService from "../../services/payments.service.ts";
import type { TestShop } from "./shop.ts";

/** users, orders, payments and the rest of the backend on four brokers, plus two gateways. */
export function clusterLayout(): ServiceName[][] {
  const own: ServiceName[] = ["api", "users", "orders", "payments"];
  const rest = ALL_SERVICES.filter((s) => !own.includes(s));
  return [["users"], ["orders"], ["payments"], ...(rest.length ? [rest] : []), ["api"], ["api"]];
}

/** The database the orders service writes (the same one payments uses in these shops). */
export function ordersDb(shop: TestShop): Sequelize {
  const node = shop.nodes.find((n) => n.broker.getLocalService("orders"));
  if (!node) throw new Error("no node hosts orders");
  return databaseOf(node.broker);
}

/** The shop's database, through any in-process node that has it. */
export function shopDb(shop: TestShop): Sequelize {
  const node = shop.nodes.find((n) => n.platform.sequelize);
  if (!node?.platform.sequelize) throw new Error("no node has the database");
  return node.platform.sequelize;
}

/** Takes the payments service down (its node stops, or in the embedded mode its service). */
export async function stopPayments(shop: TestShop): Promise<void> {
  const node = shop.nodes.find((n) => n.broker.getLocalService("payments"));
  if (!node) throw new Error("no node hosts payments");
  if (shop.mode === "embedded") {
    await node.broker.destroyService(node.broker.getLocalService("payments")!);
  } else {
    await node.stop();
    shop.nodes.splice(shop.nodes.indexOf(node), 1);
    await waitUntilGone(shop, "payments");
  }
}

/** Brings payments back. */
export async function startPayments(shop: TestShop): Promise<void> {
  if (shop.mode === "embedded") {
    shop.nodes[0].broker.createService(PaymentsService);
  } else {
    await shop.addNode(["payments"]);
  }
  await Promise.all(shop.nodes.map((n) => n.broker.waitForServices(["payments"], 20_000)));
}

async function waitUntilGone(shop: TestShop, service: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const seen = shop.nodes.some((n) =>
      n.broker.registry.getServiceList({ onlyAvailable: true }).some((s) => s.name === service),
    );
    if (!seen) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${service} is still registered`);
}
