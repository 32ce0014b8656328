/**
 * Constant-rate (open-loop) load, wrk2-style: request i is due at t0 + i / rate and leaves then,
 * however many earlier ones are still unanswered; its latency counts from when it was due, so a
 * stalled server is charged for every request it kept waiting (no coordinated omission).
 *
 * Why not autocannon's `overallRate`: autocannon (8 and 9) splits the rate over the connections and
 * lets each send its quota back to back at the start of every second (a burst of `rate` requests,
 * then silence), and its correction records each late response with an "expected interval" of
 * ceil(1 / per-connection rate) = 1 ms, as if a request had been due every millisecond. Latencies
 * measured that way describe the burst, not the rate. Closed-loop (throughput) runs use autocannon.
 */
import http from "node:http";
import type { RunStats } from "./load.ts";

export interface OpenRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OpenLoopOptions {
  /** Origin of the server, e.g. http://127.0.0.1:3000. */
  url: string;
  rate: number;
  durationSec: number;
  /** The i-th request. */
  next(i: number): OpenRequest;
  /** Called with each answer (status 0 for a failed request), e.g. to keep a shopper's state. */
  onResponse?(i: number, status: number, body: string, latencyMs: number): void;
  /** Sockets at most (requests beyond wait for one, and that wait counts as latency). */
  maxSockets?: number;
  timeoutMs?: number;
}

export function openLoop(o: OpenLoopOptions): Promise<RunStats> {
  const origin = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 256 });
  const total = Math.max(1, Math.round(o.rate * o.durationSec));
  const interval = 1000 / o.rate;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let sent = 0;
  let finished = 0;
  const t0 = performance.now() + 10;

  return new Promise((resolve) => {
    const settle = () => {
      finished += 1;
      if (finished < total) return;
      agent.destroy();
      const seconds = (performance.now() - t0) / 1000;
      latencies.sort((a, b) => a - b);
      const at = (p: number) =>
        latencies.length
          ? latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]
          : NaN;
      resolve({
        rps: ok / seconds,
        responsesPerSec: (ok + non2xx) / seconds,
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        max: latencies[latencies.length - 1] ?? NaN,
        requests: ok + non2xx,
        errors,
        timeouts,
        non2xx,
        statusCodes,
        durationSec: seconds,
        offeredRate: o.rate,
      });
    };

    const send = (i: number, due: number) => {
      const r = o.next(i);
      const headers: Record<string, string | number> = { ...r.headers };
      if (r.body !== undefined) headers["content-length"] = Buffer.byteLength(r.body);
      const req = http.request(
        {
          agent,
          host: origin.hostname,
          port: origin.port,
          method: r.method ?? "GET",
          path: r.path,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          if (o.onResponse) res.on("data", (c: Buffer) => chunks.push(c));
          else res.resume();
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            const latency = performance.now() - due;
            latencies.push(latency);
            statusCodes[status] = (statusCodes[status] ?? 0) + 1;
            if (status >= 200 && status < 300) ok += 1;
            else non2xx += 1;
            o.onResponse?.(i, status, Buffer.concat(chunks).toString(), latency);
            settle();
          });
        },
      );
      req.setTimeout(o.timeoutMs ?? 10_000, () => {
        timeouts += 1;
        req.destroy(new Error("timeout"));
      });
      req.on("error", () => {
        errors += 1;
        o.onResponse?.(i, 0, "", performance.now() - due);
        settle();
      });
      req.end(r.body);
    };

    const pump = () => {
      const now = performance.now();
      while (sent < total && t0 + sent * interval <= now) {
        send(sent, t0 + sent * interval);
        sent += 1;
      }
      if (sent < total) setTimeout(pump, Math.max(0, t0 + sent * interval - performance.now() - 1));
    };
    setTimeout(pump, 10);
  });
}
