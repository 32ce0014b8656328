/**
 * `npm run bench` (about 20 minutes) and `npm run bench -- --quick` (60-90 s): starts the
 * shop in cluster mode on this machine, measures the baselines and every scenario, prints the
 * table and writes bench/results/<timestamp>.json. See docs/benchmarks.md.
 *
 *   --quick        one short run per scenario, no soak
 *   --only a,b     only these scenarios (ids below; the baselines always run)
 *   --soak-seconds N  the soak's length (default 300; --quick skips it unless this is given)
 *   --soak-rate N  the soak's rate in req/s (default 70 % of the mix's sustainable rate; on a
 *                  busy machine that rate collapses, and before/after comparisons need one rate)
 *   --no-pin       do not pin the servers and the load generator to different cores
 *   --profile      write a CPU profile of every shop node to bench/results/profiles-<timestamp>/
 *                  (open in Chrome DevTools or speedscope; use with --only to profile one scenario)
 *   --node-options "<flags>"  NODE_OPTIONS of the shop nodes instead of the image's (Dockerfile
 *                  ENV NODE_OPTIONS); "" runs them with V8's defaults
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { missingInfra } from "../test/helpers/infra.ts";
import { detectFeatures, settingsFor, type Bench } from "./lib/context.ts";
import { choosePinning, killAll, killAllNow, pinSelf, ROOT, usePinning } from "./lib/processes.ts";
import { Report } from "./lib/report.ts";
import { startShop, type BenchShop } from "./lib/shop.ts";
import { SCENARIOS } from "./scenarios/index.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    "no-pin": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    "soak-seconds": { type: "string" },
    "soak-rate": { type: "string" },
    "node-options": { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  process.stdout.write(
    "npm run bench [-- --quick] [-- --only <ids>] [-- --no-pin] [-- --profile] " +
      '[-- --soak-seconds N] [-- --soak-rate N] [-- --node-options "<flags>"]\nscenarios: ' +
      SCENARIOS.map((s) => s.id).join(", ") +
      "\n",
  );
  process.exit(0);
}

const s = settingsFor(values.quick);
if (values["soak-seconds"] !== undefined) s.soakSec = Math.max(60, Number(values["soak-seconds"]));
if (values["soak-rate"] !== undefined) s.soakRate = Math.max(1, Number(values["soak-rate"]));
const only = values.only?.split(",").map((x) => x.trim());
const started = Date.now();
const log = (line: string) =>
  console.warn(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const report = new Report();
let shop: BenchShop | undefined;
let cleaning: Promise<void> | undefined;

/** Stops every process and drops the databases; safe to call more than once. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await shop?.stop().catch((err: unknown) => log(`cleanup: ${(err as Error).message}`));
    await killAll();
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping every process of the benchmark ...`);
    void cleanup().finally(() => process.exit(130));
  });
}
process.on("exit", killAllNow);

// Everything is bounded: a run that outlives this is stopped, cleaned up and fails.
const limitMs = (s.quick ? 5 : 45) * 60_000;
const watchdog = setTimeout(() => {
  log(`the run exceeded ${limitMs / 60_000} minutes: stopping`);
  void cleanup().finally(() => process.exit(3));
}, limitMs);
watchdog.unref();

async function main(): Promise<number> {
  const missing = await missingInfra();
  if (missing) {
    console.error(
      `The benchmark runs the shop in cluster mode and needs ${missing} on this machine ` +
        "(set TEST_MYSQL_URL / TEST_REDIS_URL / TEST_NATS_URL to use other loopback servers).",
    );
    return 2;
  }
  const pinning = choosePinning(!values["no-pin"]);
  usePinning(pinning);
  pinSelf(pinning);
  log(`pinning: ${pinning.why}; ${s.quick ? "quick run" : `${s.runs} runs per scenario`}`);

  const profileDir = values.profile
    ? join(
        ROOT,
        "bench/results",
        `profiles-${report.startedAt.toISOString().replace(/[:.]/g, "-")}`,
      )
    : undefined;
  shop = await startShop(log, { profileDir, nodeOptions: values["node-options"] });
  if (profileDir) log(`CPU profiles of the shop nodes will be in ${profileDir}`);
  report.add({
    scenario: "NODE_OPTIONS of the shop nodes",
    verdict: "INFO",
    note: `${shop.nodeOptions || "(none: V8's defaults)"}${
      values["node-options"] === undefined ? " (the image's)" : " (--node-options)"
    }`,
  });
  const features = await detectFeatures(shop);
  for (const node of shop.nodes) {
    report.add({
      scenario: `${node.name} node RSS after start`,
      unit: "MB",
      value: (node.rssAtStart ?? NaN) / 2 ** 20,
      verdict: "INFO",
    });
  }
  const bench: Bench = { s, shop, report, base: {}, features, log };
  log(
    `services: ${shop.services.join(", ")}; catalog ${features.catalog ? "yes" : "no"}, cart ${
      features.cart ? "yes" : "no"
    }, checkout ${features.checkout ? "yes" : "no"}`,
  );
  for (const scenario of SCENARIOS) {
    if (only && !scenario.always && !only.includes(scenario.id)) continue;
    const missingWhy = scenario.needs(bench);
    if (missingWhy) {
      report.skip(
        scenario.title,
        missingWhy.startsWith("skipped") ? missingWhy : `not available yet: ${missingWhy}`,
      );
      continue;
    }
    log(`── ${scenario.title}`);
    try {
      await scenario.run(bench);
    } catch (err) {
      log(`${scenario.id} failed: ${(err as Error).stack}`);
      report.add({ scenario: scenario.title, verdict: "ERROR", note: (err as Error).message });
    }
  }

  const file = report.write({
    quick: s.quick,
    settings: s,
    pinning,
    services: shop.services,
    nodeOptions: shop.nodeOptions,
    features,
    seeded: shop.seeded,
    baselines: bench.base,
  });
  const machine = report.machine();
  process.stdout.write(
    `\n${report.table()}\n\nMachine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ` +
      `${machine.os}, Node ${machine.node}; load average ${machine.loadAverageAtStart
        .map((l) => l.toFixed(1))
        .join(" ")} at start. ${pinning.why}.\nResults: ${file}\n`,
  );
  return 0;
}

main()
  .then(async (code) => {
    await cleanup();
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    console.error(`The benchmark failed: ${(err as Error).stack ?? err}`);
    await cleanup();
    process.exit(1);
  });
