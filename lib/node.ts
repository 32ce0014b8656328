/**
 * Builds one node: opens the platform (database, Redis, NATS checks, migrations), creates the
 * broker from moleculer.config.ts and loads the services this node hosts (SERVICES).
 */
import type { BrokerOptions, ServiceSchema } from "moleculer";
import brokerOptions from "../moleculer.config.ts";
import { ServiceBroker } from "./moleculer.ts";
import type { Config, ServiceName } from "./config.ts";
import { attachPlatform, openPlatform, type Platform } from "./platform.ts";
import { check, startHealthServer, type HealthServer } from "./observability/health-server.ts";

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
  /** The port of the node's health endpoint (HEALTH_PORT), when it has one. */
  readonly healthPort: number | undefined;
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
  let serving = false;
  let health: HealthServer | undefined;
  return {
    broker,
    platform,
    get healthPort() {
      return health?.port;
    },
    async start() {
      if (config.healthPort !== undefined) {
        health = await startHealthServer(config.healthPort, config.host, {
          ready: () => readiness(broker, platform, serving),
        });
      }
      try {
        await broker.start();
      } catch (err) {
        await health?.close();
        throw err;
      }
      serving = true;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // Not ready from the first moment of the drain: the orchestrator stops sending traffic.
      serving = false;
      await broker.stop();
      await platform.close();
      await health?.close();
    },
  };
}

/** A node is ready when it serves: started, on the transporter, its database answering. */
async function readiness(
  broker: ServiceBroker,
  platform: Platform,
  serving: boolean,
): Promise<Record<string, string>> {
  const checks: Record<string, string> = { broker: serving ? "ok" : "error: not started" };
  const transit = broker.transit as { connected?: boolean } | undefined;
  if (transit) checks.transporter = transit.connected ? "ok" : "error: not connected";
  const db = platform.sequelize;
  if (db) checks.database = await check(() => db.query("SELECT 1"));
  return checks;
}
