/**
 * Body flood: what a hostile body costs the gateway. The tester's attack: 868 KiB JSON bodies of
 * 60,000 keys, 8 a second (under the per-address limit), at routes that should not parse them: an
 * unknown route (404), a route that needs a login (401), and a public one past its body limit
 * (login, 413). The attacker is its own process (bench/lib/body-flood-client.ts, on the load
 * generator's core), so its writes do not delay the measuring process. Meanwhile GET /api/health
 * at a constant rate; its p99 during the flood is judged against its p99 alone, each pair run
 * back to back. Target: ≤ 2 × alone. Each run lasts at least 6 s (also with --quick): a p99 of
 * fewer samples is the single slowest answer, and on a shared machine that is noise.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Bench } from "../lib/context.ts";
import { atRate, medianStats, paired } from "../lib/load.ts";
import { ROOT } from "../lib/processes.ts";
import { judge } from "../lib/report.ts";

const FLOOD_RATE = 8;
const run = promisify(execFile);

/** Runs the attacker for `seconds` (it inherits this process's pinning to the generator core). */
async function flood(origin: string, seconds: number): Promise<Record<string, number>> {
  const { stdout } = await run(
    process.execPath,
    ["bench/lib/body-flood-client.ts", origin, String(FLOOD_RATE), String(seconds)],
    { cwd: ROOT, timeout: (seconds + 30) * 1000 },
  );
  return JSON.parse(stdout) as Record<string, number>;
}

export async function bodyFlood(b: Bench): Promise<void> {
  const { s, shop, report } = b;
  const rate = Math.min(300, Math.max(50, Math.round((b.base.b?.rps ?? 500) * 0.1)));
  const seconds = Math.max(s.latencySec, 6);
  const health = {
    url: shop.gatewayUrl,
    durationSec: seconds,
    next: () => ({ path: "/api/health" }),
  };

  b.log(`GET /api/health at ${rate} req/s, alone then during ${FLOOD_RATE}/s 868 KiB bodies ...`);
  await atRate({ ...health, durationSec: s.warmSec }, rate);
  const floods: Array<Record<string, number>> = [];
  const during = await paired(
    s.runs,
    () => atRate(health, rate),
    async () => {
      const running = flood(shop.gatewayUrl, seconds + 2);
      await new Promise((r) => setTimeout(r, 1_000));
      const measured = await atRate(health, rate);
      floods.push(await running);
      return measured;
    },
    (r, alone) => r.p99 / alone.p99,
  );
  report.raw.bodyFlood = { rate, floodRate: FLOOD_RATE, ...during, floods };
  const statuses: Record<string, number> = {};
  for (const f of floods) {
    for (const [k, v] of Object.entries(f)) statuses[k] = (statuses[k] ?? 0) + v;
  }
  report.fromRun(`GET /api/health at ${rate}/s, alone`, medianStats(during.refs));
  report.fromRun(`GET /api/health at ${rate}/s, ${FLOOD_RATE}/s hostile bodies`, during.median, {
    ratio: during.ratio,
    target: "p99 ≤ 2 × alone",
    verdict: judge(during.ratio <= 2 && during.median.errors === 0 && during.median.non2xx === 0),
    note: `flood answers: ${Object.entries(statuses)
      .map(([k, v]) => `${v}× ${k === "0" ? "failed" : k}`)
      .join(", ")}`,
  });
}
