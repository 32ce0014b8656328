/**
 * deploy/healthcheck.ts, the health check of the image (Docker HEALTHCHECK, Kubernetes exec
 * probes): what it asks of which node, its PING against a real Moleculer broker (the in-process
 * Fake transporter stands in for NATS), and the script as a process against a local HTTP server.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { ServiceBroker } from "moleculer";
import { loadConfig } from "../../lib/config.ts";
import {
  findMainPid,
  isStartCommand,
  localAddress,
  parseArgs,
  pingNode,
  probeFor,
  runProbe,
  type Bus,
} from "../../deploy/healthcheck.ts";
import { ROOT } from "./deploy/lib.ts";

const run = promisify(execFile);

describe("healthcheck: what it asks", () => {
  it("asks a gateway node over HTTP: /api/health when live, /api/ready when ready", () => {
    const config = loadConfig({ HOST: "0.0.0.0", PORT: "3100" });
    assert.deepEqual(
      probeFor(config, "live", () => 1),
      {
        kind: "http",
        url: "http://127.0.0.1:3100/api/health",
      },
    );
    assert.deepEqual(
      probeFor(config, "ready", () => 1),
      {
        kind: "http",
        url: "http://127.0.0.1:3100/api/ready",
      },
    );
  });

  it("pings a node without the gateway over the transporter, by its node ID", () => {
    const base = { SERVICES: "users", TRANSPORTER: "nats://nats:4222", NAMESPACE: "shop" };
    assert.deepEqual(
      probeFor(loadConfig({ ...base, NODE_ID: "users-abc" }), "live", () => 1),
      {
        kind: "ping",
        transporter: "nats://nats:4222",
        prefix: "MOL-shop",
        nodeID: "users-abc",
      },
    );
    const unnamed = probeFor(loadConfig({ ...base, NAMESPACE: "" }), "ready", () => 42);
    assert.equal(unnamed.kind === "ping" && unnamed.nodeID, `${hostname()}-42`);
    assert.equal(unnamed.kind === "ping" && unnamed.prefix, "MOL");
  });

  it("reaches the server from inside the container whatever HOST it binds", () => {
    assert.equal(localAddress("0.0.0.0"), "127.0.0.1");
    assert.equal(localAddress("::"), "[::1]");
    assert.equal(localAddress("10.1.2.3"), "10.1.2.3");
    assert.equal(localAddress("fd00::5"), "[fd00::5]");
  });

  it("reads its arguments", () => {
    assert.deepEqual(parseArgs([]), { mode: "live", timeoutMs: 4000 });
    assert.deepEqual(parseArgs(["ready", "--timeout=1500"]), { mode: "ready", timeoutMs: 1500 });
    assert.throws(() => parseArgs(["--verbose"]), /unknown argument/);
  });

  it("finds the node process, not npm, npx or a shell", () => {
    assert.ok(isStartCommand(["node", "bin/start.ts"]));
    assert.ok(isStartCommand(["/usr/local/bin/node", "--enable-source-maps", "/app/bin/start.ts"]));
    assert.ok(!isStartCommand(["node", "/usr/bin/npx", "node", "bin/start.ts"]));
    assert.ok(!isStartCommand(["sh", "-c", "node bin/start.ts"]));
    assert.ok(!isStartCommand(["npm", "start"]));

    const proc = mkdtempSync(join(tmpdir(), "proc-"));
    try {
      const fake = (pid: number, args: string[]) => {
        mkdirSync(join(proc, String(pid)));
        writeFileSync(join(proc, String(pid), "cmdline"), args.join("\0") + "\0");
      };
      fake(1, ["/sbin/tini", "--", "node", "bin/start.ts"]);
      fake(7, ["node", "bin/start.ts"]);
      fake(9, ["node", "deploy/healthcheck.ts"]);
      mkdirSync(join(proc, "self"));
      assert.equal(findMainPid(proc, 9), 7);
      assert.equal(findMainPid(join(proc, "missing"), 9), 1);
    } finally {
      rmSync(proc, { recursive: true, force: true });
    }
  });
});

describe("healthcheck: PING over the transporter", () => {
  let broker: ServiceBroker;
  let bus: Bus;

  before(async () => {
    broker = new ServiceBroker({
      namespace: "hc-test",
      nodeID: "users-node-1",
      transporter: "Fake",
      logger: false,
    });
    await broker.start();
    // The Fake transporter's in-process bus, shared by every broker of this process.
    const emitter = (globalThis as { bus?: any }).bus;
    bus = {
      subscribe(subject, onMessage) {
        const handler = (data: Buffer) => onMessage(data);
        emitter.on(subject, handler);
        return () => emitter.off(subject, handler);
      },
      publish(subject, data) {
        emitter.emit(subject, Buffer.from(data));
      },
    };
  });

  after(async () => {
    await broker.stop();
  });

  it("gets the PONG of a running Moleculer node", async () => {
    const ms = await pingNode(bus, "MOL-hc-test", "users-node-1", 2_000);
    assert.ok(ms >= 0 && ms < 2_000);
  });

  it("fails when no node of that ID (or namespace) answers", async () => {
    await assert.rejects(pingNode(bus, "MOL-hc-test", "users-node-2", 150), /no PONG/);
    await assert.rejects(pingNode(bus, "MOL", "users-node-1", 150), /no PONG/);
  });
});

describe("healthcheck: HTTP probe and the script as a process", () => {
  let server: Server;
  let port: number;
  let ready = true;

  before(async () => {
    server = createServer((req, res) => {
      const ok = req.url === "/api/health" || (req.url === "/api/ready" && ready);
      res.writeHead(ok ? 200 : req.url === "/api/ready" ? 503 : 404, {
        "Content-Type": "application/json",
      });
      res.end(JSON.stringify({ status: ok ? "ok" : "unavailable" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("is healthy on 200 and unhealthy on 503", async () => {
    const url = `http://127.0.0.1:${port}/api/ready`;
    assert.match(await runProbe({ kind: "http", url }, 2_000), /answered 200/);
    ready = false;
    try {
      await assert.rejects(runProbe({ kind: "http", url }, 2_000), /answered 503/);
    } finally {
      ready = true;
    }
  });

  it("exits 0 when the gateway answers and 1 when nothing listens", async () => {
    const env = { PATH: process.env.PATH, HOST: "0.0.0.0", PORT: String(port) };
    const script = join(ROOT, "deploy/healthcheck.ts");
    const ok = await run(process.execPath, [script, "live"], { cwd: tmpdir(), env });
    assert.match(ok.stdout, /^healthy \(live\)/);
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, "127.0.0.1", () => {
        const free = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(free));
      });
    });
    await assert.rejects(
      run(process.execPath, [script, "ready", "--timeout=1000"], {
        cwd: tmpdir(),
        env: { ...env, PORT: String(closed) },
      }),
      (err: { code?: number; stdout?: string }) =>
        err.code === 1 && /^unhealthy/.test(err.stdout ?? ""),
    );
  });
});
