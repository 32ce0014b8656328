/**
 * Soak: five minutes of the shopper mix at 70 % of its sustainable rate, sampling every shop
 * node's resident memory every 5 s. Targets: no node grows more than 10 % (the median of the last
 * 30 s against the median of the 30 s after a one-minute warm-up) and every node stays ≤ 200 MB.
 * The nodes are restarted first: the saturating scenarios before it leave V8's heaps at their
 * high-water marks, which says nothing about a steady shop.
 */
import type { Bench } from "../lib/context.ts";
import { atRate, median, percentile } from "../lib/load.ts";
import { judge } from "../lib/report.ts";
import { waitFor } from "../lib/shop.ts";
import { createShoppers } from "../lib/users.ts";
import { describeKinds, shopperMix } from "./mixed.ts";

const MB = 1024 * 1024;

export async function soak(b: Bench): Promise<void> {
  const { s, shop, report } = b;
  const shoppers = await createShoppers(shop.databaseUrl, shop.env, "soak", 256);
  b.log("restarting the shop nodes for the soak ...");
  for (const node of [...shop.nodes]) await shop.restartNode(node);
  await waitFor(`${shop.gatewayUrl}/api/products?page=1`, 30_000);
  const mix = shopperMix(shoppers);
  const rate =
    s.soakRate ?? Math.max(10, Math.round((b.base.mixRate ?? (b.base.b?.rps ?? 200) * 0.1) * 0.7));
  const samples = new Map<string, Array<{ t: number; rss: number }>>();
  const started = Date.now();
  const sample = () => {
    for (const node of shop.nodes) {
      const rss = node.proc.rss();
      if (rss === undefined) continue;
      const list = samples.get(node.name) ?? [];
      list.push({ t: (Date.now() - started) / 1000, rss });
      samples.set(node.name, list);
    }
  };
  sample();
  const timer = setInterval(sample, 5_000);
  b.log(`soak: ${s.soakSec} s of the mix at ${rate} req/s ...`);
  // Latency per 30 s window: a p99 that climbs window after window is a leak of time, not noise.
  const windows: number[][] = [];
  let stats;
  mix.byKind();
  try {
    stats = await atRate(
      {
        url: shop.gatewayUrl,
        durationSec: s.soakSec,
        next: mix.next,
        onResponse: (i, status, body, latencyMs) => {
          mix.onResponse(i, status, body, latencyMs);
          const w = Math.floor((Date.now() - started) / 30_000);
          (windows[w] ??= []).push(latencyMs);
        },
      },
      rate,
    );
  } finally {
    clearInterval(timer);
  }
  sample();
  const kinds = mix.byKind();
  const timeline = windows.map((w) => Math.round(percentile(w ?? [], 99)));
  report.raw.soak = {
    rate,
    stats,
    kinds,
    p99Per30s: timeline,
    samples: Object.fromEntries(samples),
  };
  report.fromRun(`soak: the mix at ${rate}/s for ${s.soakSec} s`, stats, {
    note: `p99 per 30 s: ${timeline.join(", ")} ms; ${describeKinds(kinds)}`,
  });
  const warm = Math.min(60, s.soakSec / 3);
  for (const [name, list] of samples) {
    const early = median(list.filter((x) => x.t >= warm && x.t < warm + 30).map((x) => x.rss));
    const late = median(list.filter((x) => x.t >= s.soakSec - 30).map((x) => x.rss));
    const max = Math.max(...list.map((x) => x.rss));
    const growth = late / early - 1;
    report.add({
      scenario: `soak: ${name} node memory`,
      unit: "% RSS growth",
      value: growth * 100,
      target: "≤ 10 % growth, ≤ 200 MB",
      verdict: judge(growth <= 0.1 && max <= 200 * MB),
      note: `${(early / MB).toFixed(0)} → ${(late / MB).toFixed(0)} MB, max ${(max / MB).toFixed(0)} MB`,
    });
  }
}
