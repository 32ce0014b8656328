/**
 * Login: bounded by argon2id by design (m = 19 MiB, t = 2). Reports logins/s against the bare
 * argon2 rate of the same core (each login run paired with a bare run just before it), then shows
 * what the users service's password bulkhead is for: another route's p99 (GET /api/users/me,
 * served by the same node) at a constant rate, alone and while logins saturate the node.
 * Target: within 2 × its p99 alone.
 */
import type { Bench } from "../lib/context.ts";
import {
  always,
  atRate,
  fire,
  jsonHeaders,
  medianStats,
  paired,
  rateOnly,
  type RunStats,
} from "../lib/load.ts";
import { runScript } from "../lib/processes.ts";
import { judge } from "../lib/report.ts";
import { BENCH_PASSWORD, createShoppers } from "../lib/users.ts";

const LOGIN_CONNECTIONS = 32;

export async function login(b: Bench): Promise<void> {
  const { s, shop, report } = b;
  const users = await createShoppers(shop.databaseUrl, shop.env, "login", 16);

  let next = 0;
  const loginOpts = (duration: number) => ({
    url: `${shop.gatewayUrl}/api/auth/login`,
    connections: LOGIN_CONNECTIONS,
    duration,
    requests: [
      {
        method: "POST" as const,
        headers: jsonHeaders(),
        setupRequest: (req: object) => ({
          ...req,
          body: JSON.stringify({
            email: users[next++ % users.length].email,
            password: BENCH_PASSWORD,
          }),
        }),
      },
    ],
  });
  const bareArgon2 = async (): Promise<RunStats> => {
    const out = JSON.parse(
      await runScript(
        "argon2 rate",
        "bench/baselines/argon2-rate.ts",
        {},
        ["--seconds", String(s.throughputSec)],
        60_000,
      ),
    ) as { perSec: number; seconds: number };
    return rateOnly(out.perSec, out.seconds);
  };

  b.log("logins (closed loop), each run after a bare argon2id run (4 at once) ...");
  await fire(loginOpts(s.warmSec));
  const logins = await paired(s.runs, bareArgon2, () => fire(loginOpts(s.throughputSec)));
  report.raw.login = logins;
  report.add({
    scenario: "bare argon2id verify, 4 at once",
    unit: "hashes/s",
    value: medianStats(logins.refs).rps,
    verdict: "INFO",
  });
  report.fromRun("login (argon2id) saturated", logins.median, {
    unit: "logins/s",
    ratio: logins.ratio,
    target: "÷ bare argon2 (report)",
  });

  // The other route: a constant, modest rate (a tenth of the framework's maximum).
  const rate = Math.min(300, Math.max(20, Math.round((b.base.b?.rps ?? 500) * 0.1)));
  const me = {
    url: shop.gatewayUrl,
    durationSec: s.latencySec,
    next: always("/api/users/me", { authorization: `Bearer ${users[0].token}` }),
  };
  b.log(`GET /api/users/me at ${rate} req/s, alone then during a login flood (pairs) ...`);
  await atRate({ ...me, durationSec: s.warmSec }, rate);
  const floods: RunStats[] = [];
  const bulkhead = await paired(
    s.runs,
    () => atRate(me, rate),
    async () => {
      const flood = fire(loginOpts(s.latencySec + 2));
      await new Promise((r) => setTimeout(r, 1_000));
      const measured = await atRate(me, rate);
      floods.push(await flood);
      return measured;
    },
    (during, alone) => during.p99 / alone.p99,
  );
  report.raw.bulkhead = { rate, ...bulkhead, floods };
  report.fromRun(`GET /users/me at ${rate}/s, alone`, medianStats(bulkhead.refs));
  report.fromRun(`GET /users/me at ${rate}/s, logins saturating`, bulkhead.median, {
    ratio: bulkhead.ratio,
    target: "p99 ≤ 2 × alone",
    verdict: judge(
      bulkhead.ratio <= 2 && bulkhead.median.errors === 0 && bulkhead.median.non2xx === 0,
    ),
    note: `logins meanwhile: ${floods.map((f) => f.rps.toFixed(1)).join(", ")}/s`,
  });
}
