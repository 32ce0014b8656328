/**
 * Body flood: what a hostile body costs the gateway. The tester's attack: 868 KiB JSON bodies of
 * 60,000 keys, 8 a second (under the per-address limit), at routes that should not parse them: an
 * unknown route (404), a route that needs a login (401), and a public one past its body limit
 * (login, 413). Meanwhile GET /api/health at a constant rate; its p99 during the flood is judged
 * against its p99 alone, each pair run back to back. Target: ≤ 2 × alone.
 */
import type { Bench } from "../lib/context.ts";
import { atRate, medianStats, paired, type RunStats } from "../lib/load.ts";
import { openLoop } from "../lib/open-loop.ts";
import { judge } from "../lib/report.ts";

const FLOOD_RATE = 8;
const TARGETS = ["/api/no-such-route", "/api/cart/items", "/api/auth/login"];

function floodBody(): string {
  const keys = Array.from({ length: 60_000 }, (_, i) => `"key${i}":"v"`);
  return `{${keys.join(",")}}`;
}

export async function bodyFlood(b: Bench): Promise<void> {
  const { s, shop, report } = b;
  const body = floodBody();
  const rate = Math.min(300, Math.max(20, Math.round((b.base.b?.rps ?? 500) * 0.1)));
  const health = {
    url: shop.gatewayUrl,
    durationSec: s.latencySec,
    next: () => ({ path: "/api/health" }),
  };
  const flood = (durationSec: number) =>
    openLoop({
      url: shop.gatewayUrl,
      rate: FLOOD_RATE,
      durationSec,
      maxSockets: 16,
      next: (i) => ({
        method: "POST",
        path: TARGETS[i % TARGETS.length],
        headers: { "content-type": "application/json" },
        body,
      }),
    });

  b.log(
    `GET /api/health at ${rate} req/s, alone then during ${FLOOD_RATE}/s bodies of ` +
      `${(body.length / 1024).toFixed(0)} KiB (pairs) ...`,
  );
  await atRate({ ...health, durationSec: s.warmSec }, rate);
  const floods: RunStats[] = [];
  const during = await paired(
    s.runs,
    () => atRate(health, rate),
    async () => {
      const running = flood(s.latencySec + 2);
      await new Promise((r) => setTimeout(r, 1_000));
      const measured = await atRate(health, rate);
      floods.push(await running);
      return measured;
    },
    (run, alone) => run.p99 / alone.p99,
  );
  report.raw.bodyFlood = { rate, floodRate: FLOOD_RATE, bodyBytes: body.length, ...during, floods };
  const statuses = floods
    .flatMap((f) => Object.entries(f.statusCodes))
    .reduce<Record<string, number>>((acc, [k, v]) => ({ ...acc, [k]: (acc[k] ?? 0) + v }), {});
  report.fromRun(`GET /api/health at ${rate}/s, alone`, medianStats(during.refs));
  report.fromRun(`GET /api/health at ${rate}/s, ${FLOOD_RATE}/s hostile bodies`, during.median, {
    ratio: during.ratio,
    target: "p99 ≤ 2 × alone",
    verdict: judge(during.ratio <= 2 && during.median.errors === 0 && during.median.non2xx === 0),
    note: `flood answers: ${Object.entries(statuses)
      .map(([k, v]) => `${v}× ${k}`)
      .join(", ")}`,
  });
}
