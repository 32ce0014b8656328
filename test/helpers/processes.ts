/**
 * Real node processes of the shop (`node bin/start.ts`), for tests that kill and restart nodes
 * by PID. Each process is bounded: it is killed when the test's cleanup runs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface NodeProcess {
  pid: number;
  child: ChildProcess;
  /** Everything the process wrote so far. */
  output(): string;
  /** Resolves once the broker has started (or rejects when the process dies first). */
  started: Promise<void>;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnNode(env: Record<string, string>, timeoutMs = 30_000): NodeProcess {
  const child = spawn(process.execPath, ["bin/start.ts"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "test", LOG_FORMAT: "json", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let out = "";
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`node did not start in ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
    };
    child.on("message", (msg: { type?: string }) => {
      if (msg?.type === "started") {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`node exited with ${code} before starting:\n${out}`));
    });
  });
  started.catch(() => undefined);
  return {
    pid: child.pid!,
    child,
    output: () => out,
    started,
    exited,
    async kill(signal = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
