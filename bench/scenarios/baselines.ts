/**
 * Baselines (a) and (b), measured first and then again beside every scenario run.
 * (a) the bare node:http server: the most one Node process (and this load generator) can do;
 * (b) the shop's gateway calling an echo action on another node over NATS: the framework's ceiling.
 * (b) is also run at a constant rate of 30 % of its maximum: the reference rate at which the reads'
 * latencies are compared with the framework's own.
 */
import { ECHO_PATH } from "../baselines/shared.ts";
import type { Bench } from "../lib/context.ts";
import { always, atRate, fire, repeat, type RunStats } from "../lib/load.ts";

/**
 * The reference runs of (b) that scenario runs are paired with. A quick run has no time for them:
 * it reuses the baseline measured at the start (its ratios are indications, not verdicts).
 */
export function echoReference(b: Bench) {
  const { s, shop } = b;
  return {
    throughput: (): Promise<RunStats> =>
      s.quick && b.base.b
        ? Promise.resolve(b.base.b)
        : fire({
            url: `${shop.echoGatewayUrl}/api${ECHO_PATH}`,
            connections: s.connections,
            duration: s.throughputSec,
          }),
    /** `fresh`: always measure (a run beside another cannot reuse one made alone). */
    latency: (rate: number, fresh = false): Promise<RunStats> =>
      !fresh && s.quick && b.base.bLatency && rate === b.base.referenceRate
        ? Promise.resolve(b.base.bLatency)
        : atRate(
            {
              url: shop.echoGatewayUrl,
              durationSec: s.latencySec,
              next: always(`/api${ECHO_PATH}`),
            },
            rate,
          ),
  };
}

export async function baselines(b: Bench): Promise<void> {
  const { s, shop, report } = b;
  const bareUrl = `${shop.bareHttpUrl}/`;

  b.log("(a) bare node:http ...");
  await fire({ url: bareUrl, connections: s.connections, duration: s.warmSec });
  const a = await repeat(s.runs, () =>
    fire({ url: bareUrl, connections: s.connections, duration: s.throughputSec }),
  );
  b.base.a = a.median;
  report.raw.baselineA = a;
  report.fromRun("(a) bare node:http (ceiling of one process)", a.median);

  b.log("(b) gateway → NATS → echo action ...");
  await fire({
    url: `${shop.echoGatewayUrl}/api${ECHO_PATH}`,
    connections: s.connections,
    duration: s.warmSec,
  });
  const bb = await repeat(s.runs, () =>
    fire({
      url: `${shop.echoGatewayUrl}/api${ECHO_PATH}`,
      connections: s.connections,
      duration: s.throughputSec,
    }),
  );
  b.base.b = bb.median;
  report.raw.baselineB = bb;
  report.fromRun("(b) gateway → NATS → echo (framework ceiling)", bb.median, {
    ratio: bb.median.rps / a.median.rps,
    target: "÷ (a), for reference",
  });

  const rate = Math.max(10, Math.round(bb.median.rps * 0.3));
  b.base.referenceRate = rate;
  b.log(`(b) at a constant ${rate} req/s (30 % of its maximum) ...`);
  const lat = await repeat(s.runs, () =>
    atRate(
      { url: shop.echoGatewayUrl, durationSec: s.latencySec, next: always(`/api${ECHO_PATH}`) },
      rate,
    ),
  );
  b.base.bLatency = lat.median;
  report.raw.baselineBLatency = lat;
  report.fromRun(`(b) at ${rate} req/s constant (reference latency)`, lat.median);
}
