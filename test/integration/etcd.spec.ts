/**
 * The etcd3 registry option (DISCOVERER=etcd3://...): nodes register in a real etcd on a private
 * port, find each other, and a killed node disappears from the registry.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { Etcd3 } from "etcd3";
import mysql from "mysql2/promise";
import { clusterInfra, missingInfra } from "../helpers/infra.ts";
import { freePort, spawnNode, type NodeProcess } from "../helpers/processes.ts";
import { client, eventually, registerUser } from "../helpers/http.ts";

const ETCD = "/usr/bin/etcd";
const haveEtcd = spawnSync(ETCD, ["--version"]).status === 0;
const missing = await missingInfra();
let skip: string | false = false;
if (!haveEtcd || missing) {
  const why = !haveEtcd
    ? "etcd is not installed (apt-get install etcd-server)"
    : `${missing} not reachable`;
  if (process.env.CI === "true") throw new Error(`The etcd suite needs its servers in CI: ${why}`);
  console.warn(`WARNING: skipping the etcd suite: ${why}`);
  skip = why;
}

describe("the etcd3 registry", { skip }, () => {
  const port = 23790 + Math.floor(Math.random() * 100);
  const namespace = `etcd${randomBytes(3).toString("hex")}`;
  const database = `shop_test_${namespace}`;
  const infra = clusterInfra();
  let etcd: ChildProcess;
  let dataDir: string;
  let kv: Etcd3;
  const nodes: NodeProcess[] = [];
  const env = () => ({
    DATABASE_URL: `${infra.mysqlAdminUrl.replace(/\/[^/]*$/, "")}/${database}`,
    REDIS_URL: infra.redisUrl,
    TRANSPORTER: infra.natsUrl,
    DISCOVERER: `etcd3://127.0.0.1:${port}`,
    NAMESPACE: namespace,
    MOL_HEARTBEAT_INTERVAL: "1",
    MOL_HEARTBEAT_TIMEOUT: "4",
    RATE_LIMIT_GLOBAL: "0",
  });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "etcd-"));
    etcd = spawn(
      ETCD,
      [
        "--data-dir",
        dataDir,
        "--listen-client-urls",
        `http://127.0.0.1:${port}`,
        "--advertise-client-urls",
        `http://127.0.0.1:${port}`,
        "--listen-peer-urls",
        `http://127.0.0.1:${port + 1000}`,
        "--initial-advertise-peer-urls",
        `http://127.0.0.1:${port + 1000}`,
        "--initial-cluster",
        `default=http://127.0.0.1:${port + 1000}`,
      ],
      { stdio: "ignore" },
    );
    kv = new Etcd3({ hosts: `127.0.0.1:${port}` });
    await eventually(
      async () =>
        kv.get("ping").then(
          () => true,
          () => false,
        ),
      15_000,
      200,
    );
    const admin = await mysql.createConnection(infra.mysqlAdminUrl);
    await admin.query(`CREATE DATABASE \`${database}\``);
    await admin.end();
  });

  after(async () => {
    await Promise.allSettled(nodes.map((n) => n.kill("SIGKILL")));
    kv?.close();
    etcd?.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
    const admin = await mysql.createConnection(infra.mysqlAdminUrl);
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
  });

  const registered = async () => {
    const keys = await kv.getAll().prefix(`moleculer-${namespace}/discovery/beats/`).keys();
    return new Set(keys.map((k) => k.split("/")[3]));
  };

  it("registers the nodes, which find each other and serve requests", async () => {
    const backend = spawnNode({ ...env(), SERVICES: "users,access", NODE_ID: "backend-1" });
    nodes.push(backend);
    await backend.started;
    const gwPort = String(await freePort());
    const gateway = spawnNode({ ...env(), SERVICES: "api", NODE_ID: "gateway-1", PORT: gwPort });
    nodes.push(gateway);
    await gateway.started;
    const url = `http://127.0.0.1:${gwPort}`;
    await eventually(async () => (await registered()).size === 2, 10_000, 200);
    assert.deepEqual([...(await registered())].sort(), ["backend-1", "gateway-1"]);
    // The gateway found `users` through the registry: a registration works end to end.
    // (Not ready as a whole: this cluster has no catalog, carts or orders.)
    const usersFound = async () => {
      const checks = (await client(url).get("/api/ready")).body?.checks;
      return checks?.database === "ok" && !/users\./.test(String(checks?.services));
    };
    await eventually(usersFound, 15_000, 200);
    const u = await registerUser(url);
    assert.equal((await client(url, u.accessToken).get("/api/users/me")).status, 200);
  });

  it("drops a killed node from the registry", async () => {
    const extra = spawnNode({ ...env(), SERVICES: "users", NODE_ID: "backend-2" });
    nodes.push(extra);
    await extra.started;
    await eventually(async () => (await registered()).has("backend-2"), 10_000, 200);
    await extra.kill("SIGKILL");
    const took = await eventually(async () => !(await registered()).has("backend-2"), 20_000, 250);
    assert.ok((await registered()).has("backend-1"), "the other nodes stay registered");
    console.warn(`etcd: a killed node left the registry after ${took} ms`);
  });
});
