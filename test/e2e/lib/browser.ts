/**
 * The browser side of the end-to-end tests: the system Chromium driven by playwright-core.
 * playwright-core is loaded at run time and typed here by the few calls the tests make, so that
 * the repository's typecheck passes whether or not test/e2e's own dependencies are installed.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const SHOP_URL = (process.env.SHOP_URL ?? "http://localhost:3000").replace(/\/$/, "");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = fileURLToPath(new URL("../../artifacts/screenshots/", import.meta.url));
const AXE_REPORTS = fileURLToPath(new URL("../../artifacts/axe/", import.meta.url));

export interface Locator {
  click(options?: { timeout?: number }): Promise<void>;
  fill(value: string): Promise<void>;
  press(key: string): Promise<void>;
  selectOption(value: string): Promise<unknown>;
  textContent(): Promise<string | null>;
  getAttribute(name: string): Promise<string | null>;
  count(): Promise<number>;
  isVisible(): Promise<boolean>;
  waitFor(options?: {
    state?: "attached" | "detached" | "visible" | "hidden";
    timeout?: number;
  }): Promise<void>;
  first(): Locator;
  nth(index: number): Locator;
  filter(options: { hasText?: string | RegExp; has?: Locator }): Locator;
  locator(selector: string): Locator;
  getByTestId(id: string): Locator;
  getByRole(role: string, options?: { name?: string | RegExp; exact?: boolean }): Locator;
  getByLabel(text: string | RegExp, options?: { exact?: boolean }): Locator;
}

export interface ConsoleMessage {
  type(): string;
  text(): string;
}

export interface Page {
  goto(
    url: string,
    options?: { waitUntil?: "load" | "domcontentloaded" | "networkidle" },
  ): Promise<unknown>;
  url(): string;
  waitForURL(url: RegExp | ((url: URL) => boolean), options?: { timeout?: number }): Promise<void>;
  waitForTimeout(ms: number): Promise<void>;
  evaluate<T>(script: string): Promise<T>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  on(event: "console", listener: (message: ConsoleMessage) => void): void;
  on(event: "pageerror", listener: (error: Error) => void): void;
  on(
    event: "request",
    listener: (request: { url(): string; method(): string; resourceType(): string }) => void,
  ): void;
  locator(selector: string): Locator;
  getByTestId(id: string): Locator;
  getByRole(role: string, options?: { name?: string | RegExp; exact?: boolean }): Locator;
  getByLabel(text: string | RegExp, options?: { exact?: boolean }): Locator;
  keyboard: { press(key: string): Promise<void> };
  close(): Promise<void>;
}

export interface BrowserContext {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface Browser {
  newContext(options?: {
    viewport?: { width: number; height: number };
    isMobile?: boolean;
    hasTouch?: boolean;
    deviceScaleFactor?: number;
    /** navigator.language(s) and Accept-Language, e.g. "zh-CN". */
    locale?: string;
  }): Promise<BrowserContext>;
  close(): Promise<void>;
}

interface Chromium {
  launch(options: {
    executablePath: string;
    headless?: boolean;
    args?: string[];
  }): Promise<Browser>;
}

/** Starts the system Chromium, or says why it cannot. */
export async function launch(): Promise<Browser> {
  const moduleName = "playwright-core";
  let chromium: Chromium;
  try {
    ({ chromium } = (await import(moduleName)) as { chromium: Chromium });
  } catch {
    throw new Error("playwright-core is not installed: run `npm ci --prefix test/e2e` first");
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  });
}

export const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};
export const DESKTOP = { viewport: { width: 1366, height: 900 } };

/**
 * A page that records what the app writes to the console as errors, and uncaught exceptions.
 * `locale` is the browser's language (the app speaks Chinese to zh-*, English to the rest).
 */
export async function openPage(
  browser: Browser,
  device: typeof PHONE | typeof DESKTOP = DESKTOP,
  locale = "en-US",
) {
  const context = await browser.newContext({ ...device, locale });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  return {
    page,
    context,
    /** Console errors other than the browser's own note of an HTTP error status we expected. */
    consoleErrors(expectedStatuses: number[] = []) {
      return problems.filter((text) => {
        const status = /status of (\d{3})/.exec(text);
        return !(status && expectedStatuses.includes(Number(status[1])));
      });
    },
  };
}

/** Goes to a path of the app without a full page load (works before the gateway's SPA fallback). */
export async function visit(page: Page, path: string): Promise<void> {
  if (!page.url().startsWith(SHOP_URL)) await page.goto(`${SHOP_URL}/`);
  await page.evaluate(
    `window.history.pushState({}, "", ${JSON.stringify(path)}); window.dispatchEvent(new PopStateEvent("popstate"));`,
  );
}

/**
 * Takes a screenshot of the page and checks it with axe (see checkAccessibility): every page the
 * flows photograph is also scanned.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
  await checkAccessibility(page, name);
}

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** The axe rules the shop meets: WCAG 2.0/2.1/2.2 A and AA, and axe's best practices. */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/**
 * Runs axe-core (@axe-core/playwright) on the page as it is: any serious or critical violation
 * fails the test, with the rule, the elements and axe's explanation. The report of every scan
 * goes to test/artifacts/axe/<name>.json.
 */
export async function checkAccessibility(page: Page, name: string): Promise<void> {
  const moduleName = "@axe-core/playwright";
  let AxeBuilder: new (options: { page: unknown }) => {
    withTags(tags: string[]): { analyze(): Promise<{ violations: AxeViolation[] }> };
  };
  try {
    ({ default: AxeBuilder } = (await import(moduleName)) as { default: typeof AxeBuilder });
  } catch {
    throw new Error("@axe-core/playwright is not installed: run `npm ci --prefix test/e2e` first");
  }
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  await mkdir(AXE_REPORTS, { recursive: true });
  await writeFile(`${AXE_REPORTS}${name}.json`, JSON.stringify(violations, null, 2));
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length) {
    const lines = bad.map(
      (v) =>
        `- ${v.id} (${v.impact}): ${v.help}; ${v.nodes.length} element(s): ` +
        v.nodes
          .slice(0, 5)
          .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ""}`.replace(/\s+/g, " "))
          .join(" | "),
    );
    throw new Error(
      `axe: ${bad.length} serious/critical violation(s) on ${name}:\n${lines.join("\n")}`,
    );
  }
}

/** Waits until the locator's text matches. */
export async function expectText(
  locator: Locator,
  pattern: RegExp,
  timeout = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeout;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last =
      (await locator
        .first()
        .textContent()
        .catch(() => null)) ?? null;
    if (last !== null && pattern.test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Expected text matching ${pattern}, last saw ${JSON.stringify(last)}`);
}

/** Waits until the locator's attribute has the value. */
export async function expectAttribute(
  locator: Locator,
  name: string,
  value: string,
  timeout = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await locator
      .first()
      .getAttribute(name)
      .catch(() => null);
    if (last === value) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Expected ${name}="${value}", last saw ${JSON.stringify(last)}`);
}

/** Waits until the locator matches at least `n` elements. */
export async function expectCount(locator: Locator, n: number, timeout = 10_000): Promise<number> {
  const deadline = Date.now() + timeout;
  let last = 0;
  while (Date.now() < deadline) {
    last = await locator.count();
    if (last >= n) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Expected at least ${n} elements, saw ${last}`);
}
