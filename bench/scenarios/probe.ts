/**
 * Health probes: CPU per probe of the image's HEALTHCHECK (bash over /dev/tcp to the node's own
 * HEALTH_PORT, deploy/probe.sh) against a probe that starts Node to ask the same endpoint (the
 * floor of any Node-based check; the check the image had before also loaded the configuration
 * and a NATS client: 0.36 CPU-s). Kubernetes' httpGet probes start no process at all.
 * Reported, no target: the figure to read is CPU-s per probe.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Bench } from "../lib/context.ts";
import { spawnScript } from "../lib/processes.ts";

const run = promisify(execFile);

/** Children's CPU seconds (user + sys) of `count` sequential runs of `command`, by bash `times`. */
async function cpuPerRun(command: string, count: number, env: Record<string, string>) {
  const script = `for i in $(seq ${count}); do ${command} >/dev/null || exit 1; done; times`;
  const started = Date.now();
  const { stdout } = await run("bash", ["-c", script], { env: { ...process.env, ...env } });
  const wallMs = Date.now() - started;
  // `times`: shell user/sys, then children's user/sys ("0m0.123s 0m0.045s").
  const children = stdout.trim().split("\n").pop()!.split(/\s+/);
  const seconds = (t: string) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  };
  return {
    cpuPerRun: (seconds(children[0]) + seconds(children[1])) / count,
    wallMsPerRun: wallMs / count,
  };
}

export async function probe(b: Bench): Promise<void> {
  const { shop, report, s } = b;
  const port = String(20000 + Math.floor(Math.random() * 10000));
  const node = spawnScript("probe target", "bin/start.ts", {
    ...shop.env,
    SERVICES: "carts",
    NODE_ID: `${shop.namespace}-probe-target`,
    HEALTH_PORT: port,
  });
  try {
    await node.started;
    const count = s.quick ? 20 : 100;
    const env = { HEALTH_PORT: port };
    const bash = await cpuPerRun("bash deploy/probe.sh live", count, env);
    const nodeFetch = await cpuPerRun(
      `${process.execPath} -e "fetch('http://127.0.0.1:'+process.env.HEALTH_PORT+'/live').then(r=>process.exit(r.ok?0:1))"`,
      count,
      env,
    );
    for (const [name, m] of [
      ["probe: image HEALTHCHECK (bash /dev/tcp)", bash],
      ["probe: Node started per probe (fetch)", nodeFetch],
    ] as const) {
      report.add({
        scenario: name,
        unit: "CPU-ms/probe",
        value: m.cpuPerRun * 1000,
        p50: m.wallMsPerRun,
        verdict: "INFO",
        note: `${count} probes; p50 column = mean wall ms`,
      });
    }
    report.raw.probe = { bash, nodeFetch, count };
  } finally {
    await node.kill("SIGTERM");
  }
}
