/** A missing trace collector is told once in the logs, and its return once (tracing-sdk.ts). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import { reportingOnce } from "../../lib/observability/tracing-sdk.ts";

function exporterAnswering(results: ExportResult[]): SpanExporter {
  return {
    export(_spans: ReadableSpan[], done: (r: ExportResult) => void) {
      done(results.shift() ?? { code: ExportResultCode.SUCCESS });
    },
    shutdown: async () => undefined,
  };
}

describe("trace export trouble", () => {
  it("is reported once while the collector is down, and once when it is back", async () => {
    const failed = { code: ExportResultCode.FAILED, error: new Error("connect ECONNREFUSED") };
    const ok = { code: ExportResultCode.SUCCESS };
    const lines: string[] = [];
    const exporter = reportingOnce(
      exporterAnswering([failed, failed, failed, ok, ok, failed]),
      "http://jaeger:4318",
      (level, message) => lines.push(`${level}: ${message}`),
    );
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) exporter.export([], (r) => codes.push(r.code));
    assert.deepEqual(codes, [1, 1, 1, 0, 0, 1], "each batch still gets its own result");
    assert.equal(lines.length, 3, lines.join("\n"));
    assert.match(
      lines[0],
      /^warn: Traces cannot be exported to http:\/\/jaeger:4318 \(connect ECONNREFUSED\)/,
    );
    assert.equal(lines[1], "info: Traces are exported to http://jaeger:4318 again");
    assert.match(lines[2], /^warn: /);
  });
});
