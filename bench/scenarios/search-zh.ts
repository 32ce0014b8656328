/**
 * Chinese search, against (b) measured right before the run and against the English search:
 * - throughput: words and word pairs of the catalog's Chinese product names (`耳机`, `极光 耳机`,
 *   hundreds of distinct queries), as the English search scenario does with Latin words:
 *   ≥ 0.3 × (b);
 * - latency: Chinese and English queries at the same fixed rate, driven at the same time, the
 *   cache bypassed (every request a cache key of its own, as in the list-depth scenario), so the
 *   database's full-text search answers each: p99 of Chinese ≤ 2 × p99 of English.
 */
import type { Bench } from "../lib/context.ts";
import { atRate, fire, medianStats, paired, pairedTogether } from "../lib/load.ts";
import { judge } from "../lib/report.ts";
import { chineseWords, latinWords, nameQueries } from "../lib/search-queries.ts";
import { echoReference } from "./baselines.ts";
import { cycling } from "./catalog.ts";

const searchPath = (q: string) => `/api/products?q=${encodeURIComponent(q)}`;

/** The i-th request of a query list, a cache key of its own (zeros before the page size). */
function uncached(queries: string[]) {
  return (i: number) => ({
    path: `${searchPath(queries[i % queries.length])}&pageSize=${"0".repeat(
      1 + Math.floor(i / queries.length),
    )}20`,
  });
}

export async function searchZh(b: Bench): Promise<void> {
  const { s, shop, report } = b;
  const echo = echoReference(b);
  const url = shop.gatewayUrl;
  const referenceRate = b.base.referenceRate ?? 100;

  const zh = await nameQueries(url, chineseWords);
  const en = await nameQueries(url, latinWords);
  b.log(`Chinese search q= (${zh.length} queries) ...`);
  const paths = zh.map(searchPath);
  await fire(cycling(url, s.connections, s.warmSec, paths));
  const throughput = await paired(s.runs, echo.throughput, () =>
    fire(cycling(url, s.connections, s.throughputSec, paths)),
  );
  report.raw.searchZh = throughput;
  report.fromRun("Chinese search q=", throughput.median, {
    ratio: throughput.ratio,
    target: "≥ 0.3 × (b)",
    verdict: judge(throughput.ratio >= 0.3),
    note: `${zh.length} distinct queries`,
  });

  b.log("Chinese vs English search at one rate, uncached ...");
  const probe = await fire({
    url: url + paths[0],
    connections: s.connections,
    duration: s.warmSec + 1,
    requests: [
      {
        setupRequest: (req: object) => ({
          ...req,
          path: uncached(en)(Math.floor(Math.random() * 5000)).path,
        }),
      },
    ],
  });
  const rate = Math.max(5, Math.round(Math.min(referenceRate, probe.rps * 0.5) / 2));
  const latency = await pairedTogether(
    s.runs,
    () => atRate({ url, durationSec: s.latencySec, next: uncached(en) }, rate),
    () => atRate({ url, durationSec: s.latencySec, next: uncached(zh) }, rate),
    (chinese, english) => chinese.p99 / english.p99,
  );
  report.raw.searchZhLatency = { rate, probe, ...latency };
  report.fromRun(`English search, uncached, at ${rate}/s`, medianStats(latency.refs), {
    note: `${en.length} distinct queries`,
  });
  report.fromRun(`Chinese search, uncached, at ${rate}/s`, latency.median, {
    ratio: latency.ratio,
    target: "p99 ≤ 2 × English search's",
    verdict: judge(latency.ratio <= 2 && latency.median.non2xx === 0),
  });
}
