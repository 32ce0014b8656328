/**
 * Lighthouse (the pinned version of test/e2e/package.json) on the shop at SHOP_URL, in the system
 * Chromium, headless, with Lighthouse's default mobile profile (a phone screen, simulated slow 4G
 * and a slower CPU, calibrated to this machine as Lighthouse's docs say, see cpuSlowdownFor): home,
 * a search and a product page. Writes the HTML and JSON reports to
 * test/artifacts/lighthouse/, prints the scores and exits 1 when accessibility or best practices
 * score below 95 or performance below 90 on any page. `npm run audit:web` starts a shop for it.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const SHOP_URL = (process.env.SHOP_URL ?? "http://localhost:3000").replace(/\/$/, "");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const REPORTS = fileURLToPath(new URL("../artifacts/lighthouse/", import.meta.url));
/**
 * The browser's language: the shop's shoppers read Chinese, so the audit is a Chinese phone unless
 * LIGHTHOUSE_LANG says otherwise (`en` audits an English reader, who fetches the English catalog).
 */
const LANG = process.env.LIGHTHOUSE_LANG ?? "zh-CN";
/** The lowest acceptable score (0-100) per category. */
export const THRESHOLDS: Record<string, number> = {
  performance: 90,
  accessibility: 95,
  "best-practices": 95,
};

/** Lighthouse's Slow 4G (its mobile default), with the CPU multiplier chosen below. */
const SLOW_4G = {
  rttMs: 150,
  throughputKbps: 1638.4,
  requestLatencyMs: 562.5,
  downloadThroughputKbps: 1474.56,
  uploadThroughputKbps: 675,
};

/**
 * The CPU slowdown that turns this machine into Lighthouse's target, a mid-tier phone. Lighthouse's
 * default 4× assumes a high-end desktop host (benchmarkIndex 1500-2000); its docs
 * (docs/throttling.md, "Calibrating the CPU slowdown") say to lower it on a weaker host: 2× (1-5)
 * for a low-end desktop or high-end mobile class (800-1500). A shared CI runner measures 800-900
 * under load, where 4× would emulate a phone far slower than the target. So: 4× from 1500 up,
 * proportionally less below (1000 → 2.7×, 850 → 2.3×), never under 1×. LIGHTHOUSE_CPU_SLOWDOWN
 * sets it outright (4 for Lighthouse's uncalibrated default).
 */
export function cpuSlowdownFor(benchmarkIndex: number): number {
  const fixed = Number(process.env.LIGHTHOUSE_CPU_SLOWDOWN);
  if (fixed > 0) return fixed;
  return Math.round(Math.min(4, Math.max(1, benchmarkIndex / 375)) * 10) / 10;
}

interface Category {
  id: string;
  title: string;
  score: number | null;
}
interface RunnerResult {
  lhr: {
    environment: { benchmarkIndex: number };
    categories: Record<string, Category>;
    runWarnings?: string[];
    audits: Record<string, { score: number | null; title: string; displayValue?: string }>;
  };
  report: string | string[];
}
type Lighthouse = (
  url: string,
  flags: Record<string, unknown>,
  config?: unknown,
) => Promise<RunnerResult | undefined>;
interface LaunchedChrome {
  port: number;
  kill(): Promise<void> | void;
}

// Loaded at run time, so that the repository's typecheck passes without test/e2e's dependencies.
const lighthouseModule = "lighthouse";
const launcherModule = "chrome-launcher";
const { default: lighthouse } = (await import(lighthouseModule)) as { default: Lighthouse };
const { launch } = (await import(launcherModule)) as {
  launch(options: { chromePath: string; chromeFlags: string[] }): Promise<LaunchedChrome>;
};

async function pages(): Promise<Array<[string, string]>> {
  const res = await fetch(`${SHOP_URL}/api/products?pageSize=1&sort=newest`);
  if (!res.ok) throw new Error(`the shop answered ${res.status} for its products`);
  const { rows } = (await res.json()) as { rows: Array<{ id: string; name: string }> };
  if (!rows.length) throw new Error("the shop has no products to audit");
  const word = rows[0].name.split(/\s+/)[0];
  return [
    ["home", `${SHOP_URL}/`],
    ["search", `${SHOP_URL}/search?q=${encodeURIComponent(word)}`],
    ["product", `${SHOP_URL}/products/${encodeURIComponent(rows[0].id)}`],
  ];
}

const chrome = await launch({
  chromePath: CHROMIUM,
  chromeFlags: [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    `--lang=${LANG}`,
    `--accept-lang=${LANG}`,
  ],
});
const failures: string[] = [];
const rows: string[] = [];
let cpuSlowdown = 4;
try {
  await mkdir(REPORTS, { recursive: true });
  const audited = await pages();
  // A first run measures the machine (and warms the shop's caches); its scores are not kept.
  const warmUp = await lighthouse(audited[0][1], {
    port: chrome.port,
    output: "json",
    logLevel: "error",
    onlyCategories: ["performance"],
  });
  cpuSlowdown = cpuSlowdownFor(warmUp?.lhr.environment.benchmarkIndex ?? 1500);
  for (const [name, url] of audited) {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: ["html", "json"],
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
      // The report's own language (the page's is LANG).
      locale: "en-US",
      throttling: { ...SLOW_4G, cpuSlowdownMultiplier: cpuSlowdown },
    });
    if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
    const [html, json] = result.report as string[];
    await writeFile(`${REPORTS}${name}.report.html`, html);
    await writeFile(`${REPORTS}${name}.report.json`, json);
    const scores = Object.fromEntries(
      Object.values(result.lhr.categories).map((c) => [c.id, Math.round((c.score ?? 0) * 100)]),
    );
    rows.push(
      `${name.padEnd(8)} ${Object.entries(scores)
        .map(([id, s]) => `${id} ${s}`)
        .join(
          " · ",
        )}   (benchmarkIndex ${Math.round(result.lhr.environment.benchmarkIndex)})   ${url}`,
    );
    for (const [id, min] of Object.entries(THRESHOLDS)) {
      if ((scores[id] ?? 0) < min) {
        const failing = Object.values(result.lhr.audits)
          .filter((a) => a.score !== null && a.score < 0.9)
          .slice(0, 8)
          .map((a) => `${a.title}${a.displayValue ? ` (${a.displayValue})` : ""}`);
        failures.push(`${name}: ${id} ${scores[id]} < ${min}; below par: ${failing.join("; ")}`);
      }
    }
    for (const warning of result.lhr.runWarnings ?? []) console.warn(`${name}: ${warning}`);
  }
} finally {
  await chrome.kill();
}
process.stdout.write(
  `Lighthouse (mobile profile, CPU slowdown ${cpuSlowdown}×), reports in ${REPORTS}\n${rows.map((r) => `  ${r}\n`).join("")}`,
);
if (failures.length) {
  console.error(`Below the thresholds:\n${failures.map((f) => `  ${f}`).join("\n")}`);
  process.exit(1);
}
