/**
 * Every process the benchmark starts: spawned pinned to the server core, remembered, and killed
 * by PID when the run ends, fails, times out or is interrupted (Ctrl-C). Nothing outlives a run.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Pinning {
  enabled: boolean;
  /** Cores of the servers (shop nodes, baselines) and of the load generator (this process). */
  serverCores: string;
  generatorCores: string;
  why: string;
}

/** Servers on core 0, the generator on core 1, when `taskset` exists and there are 2+ cores. */
export function choosePinning(wanted: boolean): Pinning {
  const n = cpus().length;
  const has = spawnSync("taskset", ["-V"], { stdio: "ignore" }).status === 0;
  if (!wanted) return { enabled: false, serverCores: "", generatorCores: "", why: "--no-pin" };
  if (!has) return { enabled: false, serverCores: "", generatorCores: "", why: "no taskset" };
  if (n < 2) return { enabled: false, serverCores: "", generatorCores: "", why: "one core" };
  const last = n - 1;
  return {
    enabled: true,
    serverCores: n > 2 ? `0-${last - 1}` : "0",
    generatorCores: String(last),
    why: `servers on cores ${n > 2 ? `0-${last - 1}` : "0"}, load generator on core ${last}`,
  };
}

/** Moves this process (every thread, and the threads it starts later) to the generator core. */
export function pinSelf(p: Pinning): void {
  if (!p.enabled) return;
  spawnSync("taskset", ["-a", "-p", "-c", p.generatorCores, String(process.pid)], {
    stdio: "ignore",
  });
}

export interface Proc {
  name: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  /** Resolves when the script reports {type: "started"} over IPC. */
  started: Promise<void>;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Resident memory in bytes (Linux /proc), or undefined once gone. */
  rss(): number | undefined;
}

const running = new Set<Proc>();
let pinning: Pinning = choosePinning(false);

export function usePinning(p: Pinning): void {
  pinning = p;
}

/** Starts `node <script>` (a path under the project root) pinned to the server cores. */
export function spawnScript(
  name: string,
  script: string,
  env: Record<string, string>,
  opts: { args?: string[]; nodeArgs?: string[]; timeoutMs?: number; waitForStarted?: boolean } = {},
): Proc {
  const node = [process.execPath, ...(opts.nodeArgs ?? []), script, ...(opts.args ?? [])];
  const [cmd, ...args] = pinning.enabled ? ["taskset", "-c", pinning.serverCores, ...node] : node;
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let out = "";
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const started =
    opts.waitForStarted === false
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`${name} did not start in ${timeoutMs} ms:\n${tail(out)}`)),
            timeoutMs,
          );
          child.on("message", (msg: { type?: string }) => {
            if (msg?.type === "started") {
              clearTimeout(timer);
              resolve();
            }
          });
          void exited.then((code) => {
            clearTimeout(timer);
            reject(new Error(`${name} exited with ${code} before starting:\n${tail(out)}`));
          });
        });
  started.catch(() => undefined);
  const proc: Proc = {
    name,
    pid: child.pid!,
    child,
    output: () => out,
    started,
    exited,
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(proc);
    },
    rss: () => rssOf(child.pid!),
  };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** Runs a script to completion and returns its standard output (it fails on a non-zero exit). */
export async function runScript(
  name: string,
  script: string,
  env: Record<string, string>,
  args: string[],
  timeoutMs: number,
): Promise<string> {
  const proc = spawnScript(name, script, env, { args, waitForStarted: false });
  let stdout = "";
  proc.child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
  const timer = setTimeout(() => void proc.kill("SIGKILL"), timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${name} failed (exit ${code}):\n${tail(proc.output())}`);
  return stdout;
}

/** Kills every process still running (used on exit, on failure and on Ctrl-C). */
export async function killAll(): Promise<void> {
  await Promise.allSettled([...running].map((p) => p.kill("SIGTERM")));
}

/** Synchronous last resort (process "exit" handlers cannot wait). */
export function killAllNow(): void {
  for (const p of running) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
}

function rssOf(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

function tail(text: string): string {
  return text.split("\n").slice(-30).join("\n");
}
