/**
 * Catalog reads, against (b) measured right before each run:
 * - product detail, cached: 500 popular products, warmed (cache hits): throughput ≥ 0.75 × (b),
 *   and p99 ≤ 2 × (b)'s p99, both driven at the same time at half the reference rate each
 *   (together 30 % of (b)'s maximum);
 * - product list pages, cached (pages 1-10, newest and by price, warmed): ≥ 0.6 × (b);
 * - search `q=`: Latin words and word pairs from the catalog's (Chinese) names (`4k`, `kestrel
 *   pro`): a few dozen distinct queries, so mostly cache hits: ≥ 0.3 × (b); Chinese search, with
 *   hundreds of distinct queries, is bench/scenarios/search-zh.ts;
 * - list depth: page 1 vs page 500 (pageSize 20: the last rows of 10,000), uncached, driven at the
 *   same time at the same constant rate: p99 at page 500 ≤ 1.5 × page 1. The cache is bypassed with zero-padded numbers
 *   (page=0500 is a different cache key and the same query), because the answer that matters is
 *   the database's: under checkout traffic every stock change cleans the cached lists.
 */
import type { Bench } from "../lib/context.ts";
import { sendAll } from "../lib/http.ts";
import { atRate, fire, medianStats, paired, pairedTogether } from "../lib/load.ts";
import { judge } from "../lib/report.ts";
import { latinWords, nameQueries } from "../lib/search-queries.ts";
import { FIRST_REGULAR_PRODUCT } from "../lib/shop.ts";
import { echoReference } from "./baselines.ts";

export const HOT_PRODUCTS = Array.from({ length: 500 }, (_, i) =>
  String(FIRST_REGULAR_PRODUCT + i),
);

/** Closed-loop options cycling through `paths`. */
export function cycling(url: string, connections: number, duration: number, paths: string[]) {
  let k = 0;
  return {
    url: url + paths[0],
    connections,
    duration,
    requests: [{ setupRequest: (req: object) => ({ ...req, path: paths[k++ % paths.length] }) }],
  };
}

export async function catalog(b: Bench): Promise<void> {
  const { s, shop, report } = b;
  const echo = echoReference(b);
  const url = shop.gatewayUrl;
  const rate = b.base.referenceRate ?? 100;

  b.log("product detail (cached) ...");
  const details = HOT_PRODUCTS.map((id) => `/api/products/${id}`);
  // The warm-up cycles through the set; a full run also fetches each once beforehand.
  if (!s.quick) {
    await sendAll(
      url,
      details.map((path) => ({ path })),
    );
  }
  await fire(cycling(url, s.connections, s.warmSec, details));
  const detail = await paired(s.runs, echo.throughput, () =>
    fire(cycling(url, s.connections, s.throughputSec, details)),
  );
  report.raw.productDetail = detail;
  report.fromRun("product detail, cached", detail.median, {
    ratio: detail.ratio,
    target: "≥ 0.75 × (b)",
    verdict: judge(detail.ratio >= 0.75),
  });
  // Detail and echo at the same time, each at half the reference rate: the same conditions.
  const half = Math.max(1, Math.round(rate / 2));
  const detailLatency = await pairedTogether(
    s.runs,
    () => echo.latency(half, true),
    () =>
      atRate(
        { url, durationSec: s.latencySec, next: (i) => ({ path: details[i % details.length] }) },
        half,
      ),
    (run, ref) => run.p99 / ref.p99,
  );
  report.raw.productDetailLatency = detailLatency;
  report.fromRun(`(b) at ${half}/s beside product detail`, medianStats(detailLatency.refs));
  report.fromRun(`product detail at ${half}/s beside (b)`, detailLatency.median, {
    ratio: detailLatency.ratio,
    target: "p99 ≤ 2 × (b)'s p99",
    verdict: judge(detailLatency.ratio <= 2 && detailLatency.median.non2xx === 0),
  });

  b.log("product list pages (cached) ...");
  const pages = ["newest", "price"].flatMap((sort) =>
    Array.from({ length: 10 }, (_, i) => `/api/products?page=${i + 1}&pageSize=20&sort=${sort}`),
  );
  await sendAll(
    url,
    pages.map((path) => ({ path })),
  );
  const list = await paired(s.runs, echo.throughput, () =>
    fire(cycling(url, s.connections, s.throughputSec, pages)),
  );
  report.raw.productList = list;
  report.fromRun("product list page, cached", list.median, {
    ratio: list.ratio,
    target: "≥ 0.6 × (b)",
    verdict: judge(list.ratio >= 0.6),
  });

  b.log("search q= ...");
  // Latin words of the (Chinese) names and pairs of them from one name: `4k`, `kestrel pro`.
  const queries = (await nameQueries(url, latinWords)).map(
    (q) => `/api/products?q=${encodeURIComponent(q)}`,
  );
  const search = await paired(s.runs, echo.throughput, () =>
    fire(cycling(url, s.connections, s.throughputSec, queries)),
  );
  report.raw.search = search;
  report.fromRun("search q=", search.median, {
    ratio: search.ratio,
    target: "≥ 0.3 × (b)",
    verdict: judge(search.ratio >= 0.3),
    note: `${queries.length} distinct queries`,
  });

  await listDepth(b, rate);
}

async function listDepth(b: Bench, referenceRate: number): Promise<void> {
  const { s, shop, report } = b;
  const url = shop.gatewayUrl;
  // Every request a cache key of its own: zeros before the page number and the page size.
  const uncached = (page: number) => (i: number) => ({
    path: `/api/products?page=${"0".repeat(1 + (i % 50))}${page}&pageSize=${"0".repeat(
      1 + Math.floor(i / 50),
    )}20`,
  });
  b.log("list depth: page 1 vs page 500, uncached ...");
  const probe = await fire({
    url: url + "/api/products?page=1",
    connections: s.connections,
    duration: s.warmSec + 1,
    requests: [
      {
        setupRequest: (req: object) => ({
          ...req,
          path: uncached(1)(Math.floor(Math.random() * 2500)).path,
        }),
      },
    ],
  });
  const rate = Math.max(5, Math.round(Math.min(referenceRate, probe.rps * 0.5) / 2));
  // Both pages at the same time, each at the rate: the same conditions for both.
  const depth = await pairedTogether(
    s.runs,
    () => atRate({ url, durationSec: s.latencySec, next: uncached(1) }, rate),
    () => atRate({ url, durationSec: s.latencySec, next: uncached(500) }, rate),
    (deep, first) => deep.p99 / first.p99,
  );
  report.raw.listDepth = { rate, probe, ...depth };
  report.fromRun(`list page 1, uncached, at ${rate}/s`, medianStats(depth.refs));
  report.fromRun(`list page 500, uncached, at ${rate}/s`, depth.median, {
    ratio: depth.ratio,
    target: "p99 ≤ 1.5 × page 1",
    verdict: judge(depth.ratio <= 1.5 && depth.median.non2xx === 0),
  });
}
