/**
 * Builds one node: opens the platform (database, Redis, NATS checks, migrations), creates the
 * broker from moleculer.config.ts and loads the services this node hosts (SERVICES).
 */
import type { BrokerOptions, ServiceSchema } from "moleculer";
import brokerOptions from "../moleculer.config.ts";
import { ServiceBroker } from "./moleculer.ts";
import type { Config, ServiceName } from "./config.ts";
import { attachPlatform, openPlatform, type Platform } from "./platform.ts";

const SERVICE_MODULES: Record<
  ServiceName,
  () => Promise<{ default: ServiceSchema<any, any, any, any> }>
> = {
  api: () => import("../services/api.service.ts"),
  users: () => import("../services/users.service.ts"),
  access: () => import("../services/access.service.ts"),
  products: () => import("../services/products.service.ts"),
  carts: () => import("../services/carts.service.ts"),
  monitor: () => import("../services/monitor.service.ts"),
  orders: () => import("../services/orders.service.ts"),
  payments: () => import("../services/payments.service.ts"),
};

export interface ShopNode {
  broker: ServiceBroker;
  platform: Platform;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface NodeOptions {
  /** Broker options merged over moleculer.config.ts (tests use this for isolation). */
  broker?: Partial<BrokerOptions>;
}

export async function createNode(config: Config, opts: NodeOptions = {}): Promise<ShopNode> {
  const platform = await openPlatform(config, { services: config.services });
  const base = brokerOptions(config);
  const broker = new ServiceBroker({
    ...base,
    ...opts.broker,
    // Extra middlewares (tests inject faults) come on top of the configured ones, never instead.
    middlewares: [...(base.middlewares ?? []), ...(opts.broker?.middlewares ?? [])],
  });
  attachPlatform(broker, platform);
  try {
    for (const name of config.services) {
      const schema = (await SERVICE_MODULES[name]()).default;
      broker.createService(schema);
    }
  } catch (err) {
    await platform.close();
    throw err;
  }
  let stopped = false;
  return {
    broker,
    platform,
    async start() {
      await broker.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await broker.stop();
      await platform.close();
    },
  };
}
