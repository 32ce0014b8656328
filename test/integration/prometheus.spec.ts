/**
 * The metrics exposition read by real Prometheus tools: the Prometheus server (Debian's
 * `prometheus`, see test/support/ensure-prometheus.sh) scrapes a test gateway's GET /metrics on a
 * private port and answers PromQL queries for the shop's metrics; `promtool check metrics` parses
 * the same exposition.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startShop, type TestShop } from "../helpers/shop.ts";
import { freePort } from "../helpers/processes.ts";
import { client, registerUser } from "../helpers/http.ts";

/** One series of a Prometheus instant query's answer. */
interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}
interface PromAnswer {
  status: string;
  data: { result: PromSeries[] };
}

const hasPrometheus =
  spawnSync("prometheus", ["--version"]).status === 0 &&
  spawnSync("promtool", ["--version"]).status === 0;
if (!hasPrometheus && process.env.CI === "true") {
  throw new Error("prometheus/promtool missing: run test/support/ensure-prometheus.sh (CI=true)");
}
if (!hasPrometheus) {
  console.warn("WARNING: skipping the Prometheus tests: prometheus/promtool not installed");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(
  "metrics read by Prometheus",
  { skip: !hasPrometheus && "prometheus not installed" },
  () => {
    let shop: TestShop;
    let dir: string;
    let prometheus: ChildProcess;
    let promUrl: string;
    let exposition: string;

    /** Runs a PromQL query until `accept` likes the result (Prometheus scrapes every second). */
    async function query(promql: string, accept: (r: PromSeries[]) => boolean) {
      let last: unknown;
      for (let i = 0; i < 60; i++) {
        // Refused until the server has started.
        const url = `${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`;
        const body = (await fetch(url)
          .then((res) => res.json())
          .catch((err: Error) => err.message)) as PromAnswer | string;
        last = body;
        if (typeof body === "object" && body?.status === "success" && accept(body.data.result)) {
          return body.data.result;
        }
        await sleep(500);
      }
      assert.fail(`no acceptable answer to ${promql}: ${JSON.stringify(last)}`);
    }

    before(async () => {
      shop = await startShop("embedded");
      const u = await registerUser(shop.url);
      const api = client(shop.url);
      await api.post("/api/auth/login", { email: u.email, password: u.password });
      await api.post("/api/auth/login", { email: u.email, password: "wrong-password-1" });
      exposition = await (await fetch(shop.url + "/metrics")).text();

      dir = mkdtempSync(join(tmpdir(), "shop-prometheus-"));
      const target = new URL(shop.url).host;
      writeFileSync(
        join(dir, "prometheus.yml"),
        [
          "global: { scrape_interval: 1s, evaluation_interval: 1s }",
          "scrape_configs:",
          "  - job_name: shop",
          "    metrics_path: /metrics",
          `    static_configs: [{ targets: ["${target}"] }]`,
          "",
        ].join("\n"),
      );
      const port = await freePort();
      promUrl = `http://127.0.0.1:${port}`;
      prometheus = spawn(
        "prometheus",
        [
          `--config.file=${join(dir, "prometheus.yml")}`,
          `--storage.tsdb.path=${join(dir, "data")}`,
          `--web.listen-address=127.0.0.1:${port}`,
          "--log.level=warn",
        ],
        { stdio: "ignore" },
      );
    });

    after(async () => {
      if (prometheus && prometheus.exitCode === null) {
        const exited = new Promise((r) => prometheus.once("exit", r));
        prometheus.kill("SIGTERM");
        await exited;
      }
      await shop?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("scrapes the gateway's /metrics without error", async () => {
      await query('up{job="shop"}', (r) => r.length === 1 && r[0].value[1] === "1");
      const targets = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as {
        data: { activeTargets: { health: string; lastError: string }[] };
      };
      const [target] = targets.data.activeTargets;
      assert.equal(target.health, "up");
      assert.equal(target.lastError, "");
    });

    it("answers queries for the shop's business metrics", async () => {
      const logins = await query("shop_logins_total", (r) => r.length >= 2);
      const byOutcome = Object.fromEntries(
        logins.map((s) => [s.metric.outcome, Number(s.value[1])]),
      );
      assert.ok(byOutcome.success >= 1, "successful logins");
      assert.ok(byOutcome.failure >= 1, "failed logins");
      const node = shop.nodes[0].broker.nodeID;
      assert.ok(logins.every((s) => s.metric.node_id === node && s.metric.job === "shop"));
      const http = await query(
        'shop_http_requests_total{route="/api/auth/login"}',
        (r) => r.length >= 2,
      );
      assert.deepEqual(http.map((s) => s.metric.status).sort(), ["200", "401"]);
    });

    it("answers queries over Moleculer's request metrics, histograms included", async () => {
      const total = await query(
        'sum(moleculer_request_total{action="users.login"})',
        (r) => r.length === 1,
      );
      assert.ok(Number(total[0].value[1]) >= 2);
      const p95 = await query(
        'histogram_quantile(0.95, sum by (le) (moleculer_request_time_bucket{action="users.login"}))',
        (r) => r.length === 1 && Number.isFinite(Number(r[0].value[1])),
      );
      assert.ok(Number(p95[0].value[1]) > 0, "a latency in ms");
    });

    it("passes `promtool check metrics` (no parse error, no lint problem but Moleculer's gauge names)", () => {
      const run = spawnSync("promtool", ["check", "metrics"], {
        input: exposition,
        encoding: "utf8",
      });
      const output = `${run.stdout}${run.stderr}`;
      // 0: clean; 3: lint problems only (Moleculer's own gauge names end in _total).
      assert.ok(run.status === 0 || run.status === 3, `promtool exit ${run.status}: ${output}`);
      assert.ok(!/error/i.test(output), output);
      // The only problem left is Moleculer's naming of some gauges (`..._total`), kept so its
      // dashboards work; structure, label names and the shop's own metrics are clean.
      const problems = output.split("\n").filter((l) => l.trim() !== "");
      const others = problems.filter(
        (l) => !/non-counter metrics should not have "_total"/.test(l),
      );
      assert.deepEqual(others, []);
      assert.match(exposition, /^shop_logins_total\{/m);
    });
  },
);
