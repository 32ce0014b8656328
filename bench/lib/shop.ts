/**
 * The system under test, started the way production runs it (cluster mode): a gateway node and a
 * backend node (every other service) over NATS, a fresh MariaDB database with the catalog seeded,
 * Redis for cache, rate limits and revocations. Beside it, the baselines' processes: the bare
 * `node:http` server (a), the echo node and its gateway (b). Everything is on loopback, pinned to
 * the server cores, in a private NATS namespace and database, and removed at the end.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { ALL_SERVICES } from "../../lib/services.ts";
import { clusterInfra } from "../../test/helpers/infra.ts";
import { ECHO_PATH } from "../baselines/shared.ts";
import { imageNodeOptions } from "./image.ts";
import { ROOT, runScript, spawnScript, type Proc } from "./processes.ts";

/** Products 1..3 are the flash-sale items (100 units each, one per run); the rest are plentiful. */
export const FLASH_PRODUCTS = ["1", "2", "3"];
export const FLASH_UNITS = 100;
export const FIRST_REGULAR_PRODUCT = 11;

export interface ShopNodeInfo {
  name: string;
  services: string[];
  /** The HTTP port (gateways) or 0. */
  port: number;
  proc: Proc;
  /** Resident memory right after it started, in bytes. */
  rssAtStart: number | undefined;
}

export interface BenchShop {
  namespace: string;
  /** NODE_OPTIONS of the shop nodes and of baseline (b): the image's, unless overridden. */
  nodeOptions: string;
  database: string;
  /** Admin URL of the server (no database), and the shop's database URL. */
  mysqlAdminUrl: string;
  databaseUrl: string;
  env: Record<string, string>;
  gatewayUrl: string;
  echoGatewayUrl: string;
  bareHttpUrl: string;
  nodes: ShopNodeInfo[];
  services: readonly string[];
  seeded: { products: number; ms: number } | undefined;
  /** Starts one more node (e.g. a second `products`). */
  addNode(name: string, services: string[]): Promise<ShopNodeInfo>;
  stopNode(node: ShopNodeInfo): Promise<void>;
  /** Stops a node and starts it again alike (same services, port and identity). */
  restartNode(node: ShopNodeInfo): Promise<ShopNodeInfo>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ShopOptions {
  /** Write a V8 CPU profile of every shop node here (`--cpu-prof`), on their exit. */
  profileDir?: string;
  /** NODE_OPTIONS for the shop nodes instead of the image's (Dockerfile); "" for V8's defaults. */
  nodeOptions?: string;
}

export async function startShop(
  log: (line: string) => void,
  opts: ShopOptions = {},
): Promise<BenchShop> {
  const infra = clusterInfra();
  const id = randomBytes(3).toString("hex");
  const namespace = `bench${id}`;
  const database = `shop_bench_${id}`;
  const mysqlAdminUrl = infra.mysqlAdminUrl;
  const databaseUrl = `${mysqlAdminUrl.replace(/\/[^/]*$/, "")}/${database}`;
  const tmp = mkdtempSync(join(tmpdir(), "shop-bench-"));
  const whitelistFile = join(tmp, "access.json");
  const whitelist = JSON.parse(readFileSync(join(ROOT, "config/access.json"), "utf8")) as {
    whitelist: string[];
  };
  writeFileSync(
    whitelistFile,
    JSON.stringify({ whitelist: [...whitelist.whitelist, `GET /api${ECHO_PATH}`] }),
  );

  const nodeOptions = opts.nodeOptions ?? imageNodeOptions();
  const env: Record<string, string> = {
    // The heap settings of the image: V8 sizes its heaps from the machine's memory otherwise.
    NODE_OPTIONS: nodeOptions,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    DATABASE_URL: databaseUrl,
    REDIS_URL: infra.redisUrl,
    TRANSPORTER: infra.natsUrl,
    NAMESPACE: namespace,
    JWT_SECRET: `bench-${randomBytes(24).toString("hex")}`,
    ACCESS_TOKEN_TTL_SECONDS: "86400",
    // Limits are raised for the run: one address sends all the load.
    RATE_LIMIT_GLOBAL: "0",
    RATE_LIMIT_LOGIN: "0",
    RATE_LIMIT_REGISTER: "0",
    RATE_LIMIT_CHECKOUT: "0",
    HTTP_MAX_CONNECTIONS_PER_ADDRESS: "0",
    // Every node runs on this one machine: no shared default metrics port (9464 in production).
    METRICS_PORT: "off",
    SEED_ON_START: "false",
    ACCESS_WHITELIST_FILE: whitelistFile,
  };

  const admin = await mysql.createConnection(mysqlAdminUrl);
  await admin.query(
    `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  await admin.end();

  const nodes: ShopNodeInfo[] = [];
  const others: Proc[] = [];
  let started = 0;
  const startNode = async (name: string, services: string[], port = 0) => {
    started += 1;
    const proc = spawnScript(
      `node ${name}`,
      "bin/start.ts",
      { ...env, SERVICES: services.join(","), NODE_ID: `${namespace}-${name}`, PORT: String(port) },
      {
        nodeArgs: opts.profileDir
          ? [
              "--cpu-prof",
              "--cpu-prof-dir",
              opts.profileDir,
              "--cpu-prof-name",
              `${name}-${started}.cpuprofile`,
            ]
          : [],
      },
    );
    const node: ShopNodeInfo = { name, services, port, proc, rssAtStart: undefined };
    nodes.push(node);
    await proc.started;
    node.rssAtStart = proc.rss();
    return node;
  };

  const shop: BenchShop = {
    namespace,
    nodeOptions,
    database,
    mysqlAdminUrl,
    databaseUrl,
    env,
    gatewayUrl: "",
    echoGatewayUrl: "",
    bareHttpUrl: "",
    nodes,
    services: ALL_SERVICES,
    seeded: undefined,
    addNode: (name, services) => startNode(name, services),
    async stopNode(node) {
      await node.proc.kill("SIGTERM");
      nodes.splice(nodes.indexOf(node), 1);
    },
    async restartNode(node) {
      await shop.stopNode(node);
      return startNode(node.name, node.services, node.port);
    },
    async stop() {
      await Promise.allSettled(
        [...nodes, ...others.map((proc) => ({ proc }))].map((n) => n.proc.kill()),
      );
      const c = await mysql.createConnection(mysqlAdminUrl);
      await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await c.query(`DROP DATABASE IF EXISTS \`${database}_sql\``);
      await c.end();
      rmSync(tmp, { recursive: true, force: true });
    },
  };

  try {
    const backend = ALL_SERVICES.filter((s) => s !== "api");
    if (ALL_SERVICES.includes("products" as never) && existsSync(join(ROOT, "bin/seed.ts"))) {
      log("seeding the catalog (npm run seed) ...");
      const started = Date.now();
      await runScript("seed", "bin/seed.ts", env, [], 300_000);
      shop.seeded = { products: await prepareCatalog(databaseUrl), ms: Date.now() - started };
    }
    log(`starting the backend node (${backend.join(", ")}) ...`);
    await startNode("backend", backend);
    // The backend ran the migrations; the gateway and the baselines' processes start together.
    log(
      "starting the gateway node and the baselines' processes (bare http, echo node and gateway) ...",
    );
    const [port, barePort, echoPort] = [await freePort(), await freePort(), await freePort()];
    const gateway = startNode("gateway", ["api"], port);
    shop.gatewayUrl = `http://127.0.0.1:${port}`;
    const bare = spawnScript("bare http (a)", "bench/baselines/http-server.ts", {
      PORT: String(barePort),
    });
    others.push(bare);
    const echo = spawnScript("echo node (b)", "bench/echo-node.ts", {
      ...env,
      NODE_ID: `${namespace}-echo`,
    });
    others.push(echo);
    const echoGateway = spawnScript("echo gateway (b)", "bench/echo-gateway.ts", {
      ...env,
      SERVICES: "api",
      NODE_ID: `${namespace}-echo-gateway`,
      PORT: String(echoPort),
    });
    others.push(echoGateway);
    await gateway;
    await Promise.all([bare.started, echo.started, echoGateway.started]);
    shop.bareHttpUrl = `http://127.0.0.1:${barePort}`;
    shop.echoGatewayUrl = `http://127.0.0.1:${echoPort}`;
    await waitFor(`${shop.echoGatewayUrl}/api${ECHO_PATH}`, 30_000);
    await waitFor(`${shop.gatewayUrl}/api/health`, 30_000);
  } catch (err) {
    await shop.stop().catch(() => undefined);
    throw err;
  }
  return shop;
}

/**
 * Plenty of stock for every product, so that checkouts measure the work and not stock-outs; the
 * flash-sale items get exactly FLASH_UNITS. Done before the nodes start: no cache holds old stock.
 */
async function prepareCatalog(databaseUrl: string): Promise<number> {
  const db = await mysql.createConnection(databaseUrl);
  try {
    await db.query("UPDATE products SET stock = 1000000");
    await db.query("UPDATE products SET stock = ? WHERE id IN (?)", [FLASH_UNITS, FLASH_PRODUCTS]);
    const [rows] = await db.query("SELECT COUNT(*) AS n FROM products WHERE deletedAt IS NULL");
    return Number((rows as Array<{ n: number }>)[0].n);
  } finally {
    await db.end();
  }
}

/** Polls a URL until it answers 200. */
export async function waitFor(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  let last = "";
  while (Date.now() < end) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${ms} ms (${last})`);
}
