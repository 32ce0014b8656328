/**
 * `npm run test:e2e`: the browser tests of the web app against a real shop started for them
 * (embedded mode, a fresh SQLite file, the seeded catalog: bin/embedded-shop.ts), in the system
 * Chromium. Installs test/e2e's own dependencies (playwright-core, which downloads no browser, and
 * @axe-core/playwright, which checks every photographed page) if needed.
 */
import { spawn } from "node:child_process";
import {
  admin,
  chromium,
  installE2eDependencies,
  requireChromiumAndWeb,
  root,
  startEmbeddedShop,
} from "./embedded-shop.ts";

requireChromiumAndWeb();
installE2eDependencies(["playwright-core", "@axe-core/playwright"]);
const shop = await startEmbeddedShop();

// `npm run test:e2e -- test/e2e/after-sale.e2e.ts` runs only the files named; none: all of them.
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : [
      "test/e2e/shop.e2e.ts",
      "test/e2e/pages.e2e.ts",
      "test/e2e/zh.e2e.ts",
      "test/e2e/after-sale.e2e.ts",
    ];
const run = spawn(process.execPath, ["--test", "--test-concurrency=1", ...files], {
  cwd: root,
  env: {
    ...process.env,
    SHOP_URL: shop.url,
    CHROMIUM_PATH: chromium,
    E2E_REQUIRED: "1",
    ...admin,
  },
  stdio: "inherit",
});
const code: number = await new Promise((resolve) => run.once("exit", (c) => resolve(c ?? 1)));
shop.stop();
process.exit(code);
