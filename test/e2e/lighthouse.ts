/**
 * Lighthouse (the pinned version of test/e2e/package.json) on the shop at SHOP_URL, in the system
 * Chromium, headless, with Lighthouse's default mobile profile (a phone screen, simulated slow 4G
 * and a 4× slower CPU): home, a search and a product page. Writes the HTML and JSON reports to
 * test/artifacts/lighthouse/, prints the scores and exits 1 when accessibility or best practices
 * score below 95 or performance below 90 on any page. `npm run audit:web` starts a shop for it.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const SHOP_URL = (process.env.SHOP_URL ?? "http://localhost:3000").replace(/\/$/, "");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const REPORTS = fileURLToPath(new URL("../artifacts/lighthouse/", import.meta.url));
/** The lowest acceptable score (0-100) per category. */
export const THRESHOLDS: Record<string, number> = {
  performance: 90,
  accessibility: 95,
  "best-practices": 95,
};

interface Category {
  id: string;
  title: string;
  score: number | null;
}
interface RunnerResult {
  lhr: {
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
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const failures: string[] = [];
const rows: string[] = [];
try {
  await mkdir(REPORTS, { recursive: true });
  for (const [name, url] of await pages()) {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: ["html", "json"],
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
      // The shop sends English to en browsers; the default (zh-CN) is audited the same way.
      locale: "en-US",
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
        .join(" · ")}   ${url}`,
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
  `Lighthouse (mobile profile), reports in ${REPORTS}\n${rows.map((r) => `  ${r}\n`).join("")}`,
);
if (failures.length) {
  console.error(`Below the thresholds:\n${failures.map((f) => `  ${f}`).join("\n")}`);
  process.exit(1);
}
