/**
 * The run's findings: one row per figure that is compared (or reported), printed as a table and
 * written with every raw run to bench/results/<timestamp>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem, type, release } from "node:os";
import { join } from "node:path";
import { ROOT } from "./processes.ts";
import type { RunStats } from "./load.ts";

export type Verdict = "PASS" | "MISS" | "INFO" | "SKIP" | "ERROR";

export interface Row {
  scenario: string;
  /** What the row's numbers are (e.g. "req/s", "orders/s", "hashes/s"). */
  unit?: string;
  value?: number;
  p50?: number;
  p99?: number;
  errors?: number;
  non2xx?: number;
  /** The target, in words ("≥ 0.75 × (b)"), and the measured ratio it is judged on. */
  target?: string;
  ratio?: number;
  verdict: Verdict;
  note?: string;
}

export class Report {
  readonly startedAt = new Date();
  readonly rows: Row[] = [];
  readonly raw: Record<string, unknown> = {};
  readonly loadAtStart = loadavg();

  add(row: Row): void {
    this.rows.push(row);
    const figures = [
      row.value !== undefined ? `${fmt(row.value)} ${row.unit ?? ""}` : "",
      row.p99 !== undefined ? `p99 ${fmt(row.p99)} ms` : "",
      row.ratio !== undefined ? `ratio ${row.ratio.toFixed(2)}` : "",
    ].filter(Boolean);
    console.warn(
      `  → ${row.verdict.padEnd(4)} ${row.scenario}: ${figures.join(", ")}${row.note ? ` (${row.note})` : ""}`,
    );
  }

  /** A row from a load run: successful responses per second, latencies, failures. */
  fromRun(
    scenario: string,
    stats: RunStats,
    judge: Partial<Row> & { verdict?: Verdict } = {},
  ): Row {
    const row: Row = {
      scenario,
      unit: "req/s",
      value: stats.rps,
      p50: stats.p50,
      p99: stats.p99,
      errors: stats.errors,
      non2xx: stats.non2xx,
      verdict: "INFO",
      ...judge,
    };
    this.add(row);
    return row;
  }

  skip(scenario: string, why: string): void {
    this.add({ scenario, verdict: "SKIP", note: why });
  }

  table(): string {
    const head = [
      "scenario",
      "value",
      "p50 ms",
      "p99 ms",
      "err",
      "non-2xx",
      "target",
      "ratio",
      "verdict",
    ];
    const body = this.rows.map((r) => [
      r.scenario,
      r.value !== undefined ? `${fmt(r.value)} ${r.unit ?? ""}`.trim() : "",
      r.p50 !== undefined ? fmt(r.p50) : "",
      r.p99 !== undefined ? fmt(r.p99) : "",
      r.errors !== undefined ? String(r.errors) : "",
      r.non2xx !== undefined ? String(r.non2xx) : "",
      r.target ?? "",
      r.ratio !== undefined ? r.ratio.toFixed(2) : "",
      r.verdict === "SKIP" || (r.note && r.verdict !== "PASS")
        ? `${r.verdict}: ${r.note ?? ""}`
        : r.verdict,
    ]);
    const widths = head.map((h, i) =>
      Math.max(h.length, ...body.map((b) => Math.min(b[i].length, i === 8 ? 200 : 60))),
    );
    const line = (cells: string[]) =>
      "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
    return [
      line(head),
      "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|",
      ...body.map(line),
    ].join("\n");
  }

  machine() {
    const cpu = cpus();
    return {
      cpuModel: cpu[0]?.model,
      cores: cpu.length,
      memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
      freeMemoryGiBAtEnd: +(freemem() / 2 ** 30).toFixed(1),
      os: `${type()} ${release()}`,
      node: process.version,
      loadAverageAtStart: this.loadAtStart,
      loadAverageAtEnd: loadavg(),
    };
  }

  /** Writes bench/results/<timestamp>.json; returns its path. */
  write(options: Record<string, unknown>): string {
    const dir = join(ROOT, "bench/results");
    mkdirSync(dir, { recursive: true });
    const stamp = this.startedAt.toISOString().replace(/[:.]/g, "-");
    const file = join(dir, `${stamp}.json`);
    const doc = {
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: this.machine(),
      options,
      rows: this.rows,
      raw: this.raw,
    };
    writeFileSync(file, JSON.stringify(doc, null, 2) + "\n");
    return file;
  }
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return String(Math.round(n));
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** PASS when `ok`, else MISS. */
export function judge(ok: boolean): "PASS" | "MISS" {
  return ok ? "PASS" : "MISS";
}
