/**
 * Builds one node: opens the platform (database, Redis, NATS checks, migrations), creates the
 * broker from moleculer.config.ts and loads the services this node hosts (SERVICES, named in
 * lib/services.ts). It lives beside the services it loads: lib/ never imports services/.
 */
import type { BrokerOptions, ServiceSchema } from "moleculer";
import brokerOptions from "../moleculer.config.ts";
import { ServiceBroker } from "../lib/moleculer.ts";
import type { Config } from "../lib/config.ts";
import { attachPlatform, openPlatform, type Platform } from "../lib/platform.ts";
import { SERVICE_REGISTRY, type ServiceName } from "../lib/services.ts";
import { check, startHealthServer, type HealthServer } from "../lib/observability/health-server.ts";

/** Loads the schema of a service from its module (lib/services.ts); a node loads only its own. */
export async function loadService(name: ServiceName): Promise<ServiceSchema> {
  const loaded = (await import(`./${SERVICE_REGISTRY[name].module}`)) as { default: ServiceSchema };
  return loaded.default;
}

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
      broker.createService(await loadService(name));
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
