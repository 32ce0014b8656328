/**
 * Driving load from this (generator-pinned) process:
 * - closed loop, with autocannon used as a library: N connections, each sends its next request
 *   when the previous one is answered: the most the system serves (throughput);
 * - constant rate (./open-loop.ts): requests leave on schedule whether or not earlier ones were
 *   answered, latencies counted from when each was due (no coordinated omission): the latency a
 *   given load sees.
 * Every scenario is run `runs` times and each figure reported is the median of its runs.
 */
import autocannon from "autocannon";
import { openLoop, type OpenLoopOptions } from "./open-loop.ts";

export interface RunStats {
  /** Successful (2xx) responses per second. */
  rps: number;
  /** Every response per second, whatever its status. */
  responsesPerSec: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  durationSec: number;
  /** The offered rate of a constant-rate run. */
  offeredRate?: number;
}

export type LoadOptions = autocannon.Options;

/**
 * One autocannon run; latencies in ms. A run of a set `amount` of requests is timed here, from
 * its start to its last response: autocannon ends a run (and stamps its duration) only at its
 * next once-a-second sample, so 2,000 requests answered in 1.3 s would count as ~2.0 s.
 */
export function fire(opts: LoadOptions): Promise<RunStats> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let last = started;
    const instance = autocannon({ timeout: 10, ...opts }, (err, result) => {
      if (err) return reject(err);
      const seconds = opts.amount ? (last - started) / 1000 : result.duration;
      resolve(statsOf(result, opts, seconds));
    });
    instance.on("response", () => {
      last = performance.now();
    });
  });
}

function statsOf(result: autocannon.Result, opts: LoadOptions, durationSec: number): RunStats {
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = Number((stat as { count?: number }).count ?? 0);
  }
  const ok = result["2xx"];
  const responses = ok + result.non2xx;
  const seconds = Math.max(durationSec, 0.001);
  return {
    rps: ok / seconds,
    responsesPerSec: responses / seconds,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: responses,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    durationSec: seconds,
    offeredRate: opts.overallRate,
  };
}

/** Constant-rate run at `rate` requests/s (latency questions). */
export function atRate(opts: Omit<OpenLoopOptions, "rate">, rate: number): Promise<RunStats> {
  return openLoop({ ...opts, rate: Math.max(1, Math.round(rate)) });
}

/** The same request every time. */
export function always(path: string, headers?: Record<string, string>) {
  return () => ({ path, headers });
}

export interface Repeated {
  median: RunStats;
  runs: RunStats[];
}

/** Runs `once` n times (one after the other) and takes the median of each figure. */
export async function repeat(n: number, once: () => Promise<RunStats>): Promise<Repeated> {
  const runs: RunStats[] = [];
  for (let i = 0; i < n; i += 1) runs.push(await once());
  return { median: medianStats(runs), runs };
}

export interface Paired extends Repeated {
  /** The reference run made right before each run, and each run's ratio to its reference. */
  refs: RunStats[];
  ratios: number[];
  /** The median of the per-pair ratios. */
  ratio: number;
}

/**
 * Runs `ref` then `once`, n times, and judges each run against the reference run made just before
 * it: on a shared machine the load of others drifts, and a pair sees (nearly) the same drift.
 */
export async function paired(
  n: number,
  ref: () => Promise<RunStats>,
  once: () => Promise<RunStats>,
  ratioOf: (run: RunStats, ref: RunStats) => number = (run, r) => run.rps / r.rps,
): Promise<Paired> {
  const runs: RunStats[] = [];
  const refs: RunStats[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const r = await ref();
    const run = await once();
    refs.push(r);
    runs.push(run);
    ratios.push(ratioOf(run, r));
  }
  return { median: medianStats(runs), runs, refs, ratios, ratio: median(ratios) };
}

/**
 * Like `paired`, but the reference and the run go at the same time (for latency at a constant
 * rate): whatever else the machine is doing meanwhile hits both alike.
 */
export async function pairedTogether(
  n: number,
  ref: () => Promise<RunStats>,
  once: () => Promise<RunStats>,
  ratioOf: (run: RunStats, ref: RunStats) => number,
): Promise<Paired> {
  const runs: RunStats[] = [];
  const refs: RunStats[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const [r, run] = await Promise.all([ref(), once()]);
    refs.push(r);
    runs.push(run);
    ratios.push(ratioOf(run, r));
  }
  return { median: medianStats(runs), runs, refs, ratios, ratio: median(ratios) };
}

export function medianStats(runs: RunStats[]): RunStats {
  const m = (pick: (r: RunStats) => number) => median(runs.map(pick));
  const statusCodes: Record<string, number> = {};
  for (const r of runs) {
    for (const [code, n] of Object.entries(r.statusCodes))
      statusCodes[code] = (statusCodes[code] ?? 0) + n;
  }
  return {
    rps: m((r) => r.rps),
    responsesPerSec: m((r) => r.responsesPerSec),
    p50: m((r) => r.p50),
    p90: m((r) => r.p90),
    p99: m((r) => r.p99),
    max: m((r) => r.max),
    requests: m((r) => r.requests),
    errors: m((r) => r.errors),
    timeouts: m((r) => r.timeouts),
    non2xx: m((r) => r.non2xx),
    statusCodes,
    durationSec: m((r) => r.durationSec),
    offeredRate: runs[0]?.offeredRate,
  };
}

/** A figure measured outside autocannon (a rate of work per second), as a run. */
export function rateOnly(perSec: number, seconds: number, p50 = NaN, p99 = NaN): RunStats {
  return {
    rps: perSec,
    responsesPerSec: perSec,
    p50,
    p90: NaN,
    p99,
    max: NaN,
    requests: Math.round(perSec * seconds),
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    statusCodes: {},
    durationSec: seconds,
  };
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/**
 * Latency of each step of a multi-request sequence (autocannon's histogram mixes them). With one
 * request in flight per connection, a connection's k-th response answers its k-th request.
 */
export class StepLatencies {
  readonly byStep: number[][];
  readonly statusByStep: Array<Record<string, number>>;
  constructor(steps: number) {
    this.byStep = Array.from({ length: steps }, () => []);
    this.statusByStep = Array.from({ length: steps }, () => ({}));
  }

  setupClient = (client: autocannon.Client): void => {
    let n = 0;
    client.on("response", (status: number, _bytes: number, ms: number) => {
      const step = n % this.byStep.length;
      n += 1;
      this.byStep[step].push(ms);
      this.statusByStep[step][status] = (this.statusByStep[step][status] ?? 0) + 1;
    });
  };

  p(step: number, pct: number): number {
    return percentile(this.byStep[step], pct);
  }
}

/**
 * A `setupClient` that gives each connection a request list of its own, built with its index.
 * Per-connection state (a shopper, a counter) lives in that list's closures: autocannon clears a
 * request's `context` after every pass over the list.
 */
export function perConnection(
  build: (connection: number) => autocannon.Request[],
  also?: (client: autocannon.Client) => void,
): (client: autocannon.Client) => void {
  let n = 0;
  return (client) => {
    also?.(client);
    client.setRequests(build(n++));
  };
}

/**
 * The first answer of each failing status, kept for the results (a 422 says which rule it broke).
 * Use `onResponse` in an autocannon request, or `record` from an open-loop callback.
 */
export class ErrorSamples {
  readonly bodies: Record<string, string> = {};
  record = (status: number, body: string): void => {
    if (status >= 200 && status < 300) return;
    this.bodies[status] ??= body.slice(0, 500);
  };
  onResponse = (status: number, body: string): void => this.record(status, body);
}

/** JSON request helpers for autocannon request lists. */
export function jsonHeaders(token?: string, extra: Record<string, string> = {}) {
  return {
    "content-type": "application/json",
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  };
}
