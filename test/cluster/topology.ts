/**
 * A real cluster of node processes for the cluster suite: gateways and backend nodes over NATS,
 * with a fresh MariaDB database and a private namespace. Nodes are killed and restarted by PID.
 */
import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import { ServiceBroker } from "moleculer";
import { ALL_SERVICES } from "../../lib/services.ts";
import { clusterInfra } from "../helpers/infra.ts";
import { freePort, spawnNode, type NodeProcess } from "../helpers/processes.ts";
import { eventually } from "../helpers/http.ts";
import { ADMIN } from "../helpers/shop.ts";

export const BACKEND = ALL_SERVICES.filter((s) => s !== "api");

export interface ClusterNode {
  id: string;
  services: readonly string[];
  env: Record<string, string>;
  proc: NodeProcess;
  url?: string;
}

export class Cluster {
  readonly namespace = `cl${randomBytes(3).toString("hex")}`;
  readonly database = `shop_test_${this.namespace}`;
  readonly nodes = new Map<string, ClusterNode>();
  /** A service-less broker in the cluster, to observe it (like the REPL). */
  observer!: ServiceBroker;
  private readonly infra = clusterInfra();
  private readonly extraEnv: Record<string, string>;

  constructor(extraEnv: Record<string, string> = {}) {
    this.extraEnv = extraEnv;
  }

  baseEnv(): Record<string, string> {
    return {
      DATABASE_URL: `${this.infra.mysqlAdminUrl.replace(/\/[^/]*$/, "")}/${this.database}`,
      REDIS_URL: this.infra.redisUrl,
      TRANSPORTER: this.infra.natsUrl,
      NAMESPACE: this.namespace,
      JWT_SECRET: "cluster-suite-secret-cluster-suite-secret",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: "warn",
      MOL_HEARTBEAT_INTERVAL: "1",
      MOL_HEARTBEAT_TIMEOUT: "4",
      REQUEST_TIMEOUT_MS: "3000",
      RATE_LIMIT_GLOBAL: "100000/60",
      RATE_LIMIT_LOGIN: "100000/60",
      RATE_LIMIT_REGISTER: "100000/60",
      RATE_LIMIT_CHECKOUT: "100000/60",
      ...this.extraEnv,
    };
  }

  async createDatabase(): Promise<void> {
    const admin = await mysql.createConnection(this.infra.mysqlAdminUrl);
    await admin.query(`CREATE DATABASE \`${this.database}\``);
    await admin.end();
  }

  async start(
    id: string,
    services: readonly string[],
    env: Record<string, string> = {},
  ): Promise<ClusterNode> {
    const port = services.includes("api") ? String(await freePort()) : "0";
    const nodeEnv = {
      ...this.baseEnv(),
      SERVICES: services.join(","),
      NODE_ID: id,
      PORT: port,
      ...env,
    };
    const proc = spawnNode(nodeEnv, 60_000);
    const node: ClusterNode = { id, services, env: nodeEnv, proc };
    if (services.includes("api")) node.url = `http://127.0.0.1:${port}`;
    this.nodes.set(id, node);
    await proc.started;
    return node;
  }

  /** Restarts a (killed) node with the same identity and settings. */
  async restart(id: string): Promise<ClusterNode> {
    const old = this.nodes.get(id)!;
    await old.proc.kill("SIGKILL");
    const proc = spawnNode(old.env, 60_000);
    const node = { ...old, proc };
    this.nodes.set(id, node);
    await proc.started;
    return node;
  }

  async startObserver(): Promise<void> {
    this.observer = new ServiceBroker({
      namespace: this.namespace,
      nodeID: `observer-${process.pid}`,
      transporter: this.infra.natsUrl as "NATS",
      logger: false,
      heartbeatInterval: 1,
      heartbeatTimeout: 4,
      requestTimeout: 3000,
    });
    await this.observer.start();
  }

  gateways(): string[] {
    return [...this.nodes.values()].filter((n) => n.url).map((n) => n.url!);
  }

  /** Waits until the observer sees every listed service on `count` nodes. */
  async waitForInstances(service: string, count: number, ms = 30_000): Promise<void> {
    await eventually(
      async () => {
        const list = (
          this.observer.registry.getServiceList({ onlyAvailable: true }) as Array<{ name: string }>
        ).filter((s) => s.name === service);
        return list.length >= count;
      },
      ms,
      200,
    );
  }

  async stop(): Promise<void> {
    await this.observer?.stop().catch(() => undefined);
    await Promise.allSettled([...this.nodes.values()].map((n) => n.proc.kill("SIGKILL")));
    const admin = await mysql.createConnection(this.infra.mysqlAdminUrl);
    await admin.query(`DROP DATABASE IF EXISTS \`${this.database}\``);
    await admin.end();
  }
}

export interface Outcome<T> {
  ok: boolean;
  value?: T;
  error?: unknown;
  startedAt: number;
  latencyMs: number;
}

/** Runs `worker` on `concurrency` loops until `ms` pass; returns every outcome with its latency. */
export async function load<T>(
  ms: number,
  concurrency: number,
  worker: (i: number) => Promise<T>,
): Promise<Outcome<T>[]> {
  const results: Outcome<T>[] = [];
  const end = Date.now() + ms;
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const start = Date.now();
        try {
          const value = await worker(n++);
          results.push({ ok: true, value, startedAt: start, latencyMs: Date.now() - start });
        } catch (error) {
          results.push({ ok: false, error, startedAt: start, latencyMs: Date.now() - start });
        }
      }
    }),
  );
  return results;
}
