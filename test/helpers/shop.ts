/**
 * Starts the shop for integration tests, in either runtime mode:
 * - embedded: one broker hosting every service, SQLite in a temp folder, memory cache and store;
 * - cluster: separate brokers (two gateways + one node with the other services by default) over
 *   the real NATS, with a fresh MariaDB database and a private Redis/NATS namespace per run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import mysql from "mysql2/promise";
import { loadConfig } from "../../lib/config.ts";
import { ALL_SERVICES, type ServiceName } from "../../lib/services.ts";
import { createNode, type NodeOptions, type ShopNode } from "../../services/node.ts";
import { clusterInfra } from "./infra.ts";

export type Mode = "embedded" | "cluster";

export interface TestShop {
  mode: Mode;
  /** Base URL of each gateway node (http://127.0.0.1:port). */
  urls: string[];
  /** The first gateway. */
  url: string;
  nodes: ShopNode[];
  /** Environment the nodes were started with (to start more nodes alike). */
  env: Record<string, string>;
  /** Starts one more node of this shop hosting the given services. */
  addNode(services: readonly ServiceName[], extraEnv?: Record<string, string>): Promise<ShopNode>;
  stop(): Promise<void>;
}

export interface ShopOptions {
  /** Extra environment for every node (e.g. ORDER_PAYMENT_TTL_SECONDS). */
  env?: Record<string, string>;
  /** Cluster layout: the services of each node. Default: two gateways, one node with the rest. */
  layout?: ServiceName[][];
  /** Extra broker options for the node hosting these services (e.g. a fault-injecting middleware). */
  nodeOptions?: (services: readonly ServiceName[]) => NodeOptions;
}

/** The administrator every test shop bootstraps. */
export const ADMIN = { email: "admin@shop.test", password: "admin-password-for-tests" };

const BACKEND = ALL_SERVICES.filter((s) => s !== "api");

export async function startShop(mode: Mode, opts: ShopOptions = {}): Promise<TestShop> {
  const base: Record<string, string> = {
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "error",
    LOG_FORMAT: "json",
    PORT: "0",
    SEED_ON_START: "false",
    JWT_SECRET: "test-secret-" + randomBytes(16).toString("hex"),
    // Tests drive many requests from one address; the rate-limit suite sets its own limits.
    RATE_LIMIT_GLOBAL: "100000/60",
    RATE_LIMIT_LOGIN: "100000/60",
    RATE_LIMIT_LOGIN_ACCOUNT: "100000/60",
    RATE_LIMIT_REGISTER: "100000/60",
    RATE_LIMIT_CHECKOUT: "100000/60",
    HTTP_MAX_CONNECTIONS_PER_ADDRESS: "100000",
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...opts.env,
  };
  const cleanups: Array<() => Promise<void>> = [];
  if (mode === "embedded") {
    const dir = mkdtempSync(join(tmpdir(), "shop-test-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    base.DATABASE_URL = `sqlite:${join(dir, "shop.sqlite")}`;
  } else {
    const infra = clusterInfra();
    const id = randomBytes(4).toString("hex");
    const database = `shop_test_${id}`;
    const admin = await mysql.createConnection(infra.mysqlAdminUrl);
    await admin.query(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    await admin.end();
    cleanups.push(async () => {
      const c = await mysql.createConnection(infra.mysqlAdminUrl);
      await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await c.end();
    });
    Object.assign(base, {
      DATABASE_URL: `${infra.mysqlAdminUrl.replace(/\/[^/]*$/, "")}/${database}`,
      REDIS_URL: infra.redisUrl,
      TRANSPORTER: infra.natsUrl,
      NAMESPACE: `t${id}`,
    });
  }

  const nodes: ShopNode[] = [];
  const startNode = async (
    services: readonly ServiceName[],
    extra: Record<string, string> = {},
  ) => {
    const env: Record<string, string> = { ...base, ...extra };
    if (mode === "cluster") {
      env.SERVICES = services.join(",");
      env.NODE_ID = `${services.join("+")}-${nodes.length}`;
    }
    const node = await createNode(loadConfig(env), opts.nodeOptions?.(services));
    nodes.push(node);
    await node.start();
    return node;
  };

  try {
    if (mode === "embedded") {
      await startNode(ALL_SERVICES);
    } else {
      const layout = opts.layout ?? [BACKEND, ["api"], ["api"]];
      // Backend nodes first (they run the migrations), then the gateways.
      for (const services of layout.filter((l) => !l.includes("api"))) await startNode(services);
      for (const services of layout.filter((l) => l.includes("api"))) await startNode(services);
      const needed = [...new Set(layout.flat())].filter((s) => s !== "api");
      await Promise.all(nodes.map((n) => n.broker.waitForServices(needed, 20_000)));
      // Every node knows every other (the backend learns of a gateway a moment after the
      // gateway learns of it): an access change reaches every gateway from the first test on.
      await everyNodeKnowsEveryOther(nodes, 20_000);
    }
  } catch (err) {
    await Promise.allSettled(nodes.map((n) => n.stop()));
    for (const c of cleanups.reverse()) await c();
    throw err;
  }

  const urls = nodes.filter((n) => n.broker.getLocalService("api")).map(gatewayUrl);
  return {
    mode,
    urls,
    url: urls[0],
    nodes,
    env: base,
    addNode: startNode,
    async stop() {
      await Promise.allSettled(nodes.map((n) => n.stop()));
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
    },
  };
}

async function everyNodeKnowsEveryOther(nodes: ShopNode[], timeoutMs: number): Promise<void> {
  const ids = nodes.map((n) => n.broker.nodeID);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const known = nodes.every((n) => {
      const seen = new Set(n.broker.registry.getNodeList({ onlyAvailable: true }).map((x) => x.id));
      return ids.every((id) => seen.has(id));
    });
    if (known) return;
    if (Date.now() > deadline) throw new Error("the nodes did not discover each other in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function gatewayUrl(node: ShopNode): string {
  const api = node.broker.getLocalService("api") as unknown as {
    server: { address(): AddressInfo };
  };
  return `http://127.0.0.1:${api.server.address().port}`;
}
