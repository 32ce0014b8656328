/**
 * Health check of one shop node, for Docker's HEALTHCHECK and Kubernetes exec probes:
 *
 *   node deploy/healthcheck.ts [live|ready] [--timeout=<ms>]
 *
 * It reads the same environment as the node (and `.env`, like bin/start.ts), then:
 * - on a node that hosts the gateway ("api" in SERVICES) it asks HTTP: GET /api/health (live)
 *   or GET /api/ready (ready) on HOST:PORT, healthy on 200;
 * - on any other node (no HTTP port) it sends Moleculer's own PING packet over the transporter
 *   to the node's ID (NODE_ID, or `<hostname>-<pid>` as moleculer.config.ts names it), healthy
 *   when the PONG comes back: the process runs, its event loop turns and it is on NATS.
 * Exit code 0 when healthy, 1 when not; one line of explanation on stdout (Docker keeps it).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import { loadConfig, redact, type Config } from "../lib/config.ts";

export type Mode = "live" | "ready";

export type Probe =
  | { kind: "http"; url: string }
  | { kind: "ping"; transporter: string; prefix: string; nodeID: string };

/** Moleculer's protocol version (ServiceBroker.PROTOCOL_VERSION) and topic prefix rule. */
const PROTOCOL_VERSION = "5";

export function topicPrefix(namespace: string): string {
  return namespace ? `MOL-${namespace}` : "MOL";
}

/** What to ask, given the node's configuration. */
export function probeFor(config: Config, mode: Mode, mainPid: () => number): Probe {
  if (config.services.includes("api")) {
    const path = mode === "live" ? "/api/health" : "/api/ready";
    return { kind: "http", url: `http://${localAddress(config.host)}:${config.port}${path}` };
  }
  if (!config.transporter) {
    // loadConfig already refuses a partial node without a transporter; kept for the type.
    throw new Error("a node without the gateway needs a TRANSPORTER to be probed");
  }
  return {
    kind: "ping",
    transporter: config.transporter,
    prefix: topicPrefix(config.namespace),
    nodeID: config.nodeId ?? `${hostname()}-${mainPid()}`,
  };
}

/** The address to reach a server bound to `host` from inside the same container. */
export function localAddress(host: string): string {
  if (host === "" || host === "0.0.0.0" || host === "*") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "[::1]";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/**
 * The PID of the node process (`node ... bin/start.ts`) in this container: PID 1 when node is the
 * container's command, another one under an init such as tini or `docker run --init`.
 */
export function findMainPid(procDir = "/proc", self = process.pid): number {
  let found: number | undefined;
  let entries: string[] = [];
  try {
    entries = readdirSync(procDir);
  } catch {
    return 1;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === self) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`${procDir}/${entry}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (isStartCommand(cmdline.split("\0").filter(Boolean))) {
      found = found === undefined ? Number(entry) : Math.min(found, Number(entry));
    }
  }
  return found ?? 1;
}

/** `node [node options] [.../]bin/start.ts`: the node process itself, not npm, npx or a shell. */
export function isStartCommand(args: string[]): boolean {
  if (args.length < 2 || !/(^|\/)node$/.test(args[0])) return false;
  const script = args.slice(1).find((a) => !a.startsWith("-"));
  return script === "bin/start.ts" || script?.endsWith("/bin/start.ts") === true;
}

/** The part of a message bus the PING needs (a NATS connection, or Moleculer's Fake bus). */
export interface Bus {
  subscribe(subject: string, onMessage: (data: Uint8Array) => void): () => void;
  publish(subject: string, data: Uint8Array): void;
}

/**
 * Sends a Moleculer PING packet (JSON serializer) to `nodeID` and resolves with the round trip
 * in ms when its PONG arrives; rejects after `timeoutMs`.
 */
export function pingNode(
  bus: Bus,
  prefix: string,
  nodeID: string,
  timeoutMs: number,
  sender = `healthcheck-${hostname()}-${process.pid}`,
): Promise<number> {
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const started = Date.now();
  return new Promise<number>((resolve, reject) => {
    let unsubscribe: () => void = () => undefined;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no PONG from node "${nodeID}" within ${timeoutMs} ms`));
    }, timeoutMs);
    unsubscribe = bus.subscribe(`${prefix}.PONG.${sender}`, (data) => {
      let pong: { id?: string; sender?: string };
      try {
        pong = JSON.parse(Buffer.from(data).toString("utf8"));
      } catch {
        return;
      }
      if (pong.id !== id || pong.sender !== nodeID) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(Date.now() - started);
    });
    const ping = { ver: PROTOCOL_VERSION, sender, id, time: started };
    bus.publish(`${prefix}.PING.${nodeID}`, Buffer.from(JSON.stringify(ping)));
  });
}

/** Runs one probe; resolves with a one-line description, rejects when unhealthy. */
export async function runProbe(probe: Probe, timeoutMs: number): Promise<string> {
  if (probe.kind === "http") {
    let res: Response;
    try {
      res = await fetch(probe.url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`${probe.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    const body = (await res.text()).slice(0, 300).replace(/\s+/g, " ");
    if (res.status !== 200) throw new Error(`${probe.url} answered ${res.status}: ${body}`);
    return `${probe.url} answered 200: ${body}`;
  }
  const { connect } = await import("nats");
  const nc = await connect({
    servers: probe.transporter,
    timeout: timeoutMs,
    reconnect: false,
    name: "healthcheck",
  }).catch((err: Error) => {
    throw new Error(`cannot reach NATS at ${redact(probe.transporter)}: ${err.message}`);
  });
  try {
    const bus: Bus = {
      subscribe(subject, onMessage) {
        const sub = nc.subscribe(subject, { callback: (_err, msg) => onMessage(msg.data) });
        return () => sub.unsubscribe();
      },
      publish(subject, data) {
        nc.publish(subject, data);
      },
    };
    const ms = await pingNode(bus, probe.prefix, probe.nodeID, timeoutMs);
    return `node "${probe.nodeID}" answered PING in ${ms} ms`;
  } finally {
    await nc.close();
  }
}

export function parseArgs(argv: string[]): { mode: Mode; timeoutMs: number } {
  let mode: Mode = "live";
  let timeoutMs = 4_000;
  for (const arg of argv) {
    if (arg === "live" || arg === "ready") mode = arg;
    else if (/^--timeout=\d+$/.test(arg)) timeoutMs = Number(arg.slice("--timeout=".length));
    else
      throw new Error(
        `unknown argument "${arg}" (usage: healthcheck.ts [live|ready] [--timeout=ms])`,
      );
  }
  return { mode, timeoutMs };
}

async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const { mode, timeoutMs } = parseArgs(process.argv.slice(2));
  const probe = probeFor(loadConfig(), mode, () => findMainPid());
  process.stdout.write(`healthy (${mode}): ${await runProbe(probe, timeoutMs)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stdout.write(`unhealthy: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
