/**
 * The real servers the cluster-mode suites use, and whether they answer. In CI (CI=true) a
 * missing server fails the suite loudly; elsewhere the cluster suites are skipped with a warning.
 */
import { createConnection } from "node:net";

export interface ClusterInfra {
  mysqlAdminUrl: string;
  redisUrl: string;
  natsUrl: string;
}

export function clusterInfra(): ClusterInfra {
  return {
    mysqlAdminUrl: process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test",
    redisUrl: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
    natsUrl: process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222",
  };
}

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port), timeout: 1500 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

let checked: Promise<string | undefined> | undefined;

/** undefined when MariaDB, Redis and NATS all answer; otherwise which ones do not. */
export function missingInfra(): Promise<string | undefined> {
  checked ??= (async () => {
    const infra = clusterInfra();
    const results = await Promise.all([
      reachable(infra.mysqlAdminUrl).then((ok) => (ok ? "" : `MariaDB (${infra.mysqlAdminUrl})`)),
      reachable(infra.redisUrl).then((ok) => (ok ? "" : `Redis (${infra.redisUrl})`)),
      reachable(infra.natsUrl).then((ok) => (ok ? "" : `NATS (${infra.natsUrl})`)),
    ]);
    const missing = results.filter(Boolean);
    return missing.length ? missing.join(", ") : undefined;
  })();
  return checked;
}

/**
 * The modes a suite runs in. Cluster mode needs the servers: in CI their absence throws (the
 * suite fails); elsewhere it is skipped with a printed warning.
 */
export async function testModes(): Promise<Array<"embedded" | "cluster">> {
  const missing = await missingInfra();
  if (!missing) return ["embedded", "cluster"];
  if (process.env.CI === "true") {
    throw new Error(`Cluster-mode tests need ${missing}, which did not answer (CI=true)`);
  }
  console.warn(`WARNING: skipping cluster-mode tests: ${missing} not reachable`);
  return ["embedded"];
}
