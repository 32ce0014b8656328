/**
 * Shop nodes as child processes (`node bin/start.ts`), for tests that need what only a real
 * process has: its own stdout (logs), tracing installed at start, several nodes over NATS.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import mysql from "mysql2/promise";
import { clusterInfra } from "./infra.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface NodeProcess {
  nodeId: string;
  /** Gateway base URL (nodes hosting `api`). */
  url: string | undefined;
  /** Everything the process wrote so far, line by line (stdout and stderr). */
  lines: string[];
  /** The lines that are JSON objects (log records). */
  records(): Array<Record<string, unknown>>;
  waitForLine(test: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then wait for the exit (SIGKILL after 15 s). */
  stop(): Promise<number | null>;
}

/** Starts `node bin/start.ts` with `env` over a clean environment and waits until it serves. */
export async function startNodeProcess(env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, ["bin/start.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      lines.push(...parts.filter((l) => l.length > 0));
      for (const w of waiters.splice(0)) w();
    });
    stream.on("end", () => {
      if (rest) lines.push(rest);
      for (const w of waiters.splice(0)) w();
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );

  const waitForLine = (test: (line: string) => boolean, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`no such line within ${timeoutMs} ms; output:\n${lines.slice(-30).join("\n")}`),
        );
      }, timeoutMs);
      const check = () => {
        const found = lines.find(test);
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else if (child.exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`node exited (${child.exitCode}):\n${lines.slice(-30).join("\n")}`));
        } else {
          waiters.push(check);
        }
      };
      check();
    });

  const proc: NodeProcess = {
    nodeId: env.NODE_ID ?? "",
    url: undefined,
    lines,
    records: () => lines.flatMap((l) => (l.startsWith("{") ? [JSON.parse(l)] : [])),
    waitForLine,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
  try {
    await waitForLine((l) => l.includes("started successfully"), 60_000);
    const listening = lines.find((l) => l.includes("API Gateway listening on"));
    const match = listening && /http:\/\/[\d.]+:(\d+)/.exec(listening);
    if (match) proc.url = `http://127.0.0.1:${match[1]}`;
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}

/** A fresh MariaDB database for a cluster of node processes, and how to drop it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = clusterInfra().mysqlAdminUrl;
  const name = `shop_test_${randomBytes(4).toString("hex")}`;
  const c = await mysql.createConnection(admin);
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  return {
    url: `${admin.replace(/\/[^/]*$/, "")}/${name}`,
    async drop() {
      const d = await mysql.createConnection(admin);
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await d.end();
    },
  };
}
