/**
 * `npm run audit:web`: Lighthouse (test/e2e/lighthouse.ts, the pinned version in test/e2e's
 * package.json) on home, a search and a product page of a real shop started for it
 * (bin/embedded-shop.ts), phone profile, in the system Chromium. Reports go to
 * test/artifacts/lighthouse/; exits non-zero when accessibility or best practices < 95 or
 * performance < 90.
 */
import { spawn } from "node:child_process";
import {
  chromium,
  installE2eDependencies,
  requireChromiumAndWeb,
  root,
  startEmbeddedShop,
} from "./embedded-shop.ts";

requireChromiumAndWeb();
installE2eDependencies(["lighthouse", "chrome-launcher"]);
const shop = await startEmbeddedShop();
const run = spawn(process.execPath, ["test/e2e/lighthouse.ts"], {
  cwd: root,
  env: { ...process.env, SHOP_URL: shop.url, CHROMIUM_PATH: chromium },
  stdio: "inherit",
});
const code: number = await new Promise((resolve) => run.once("exit", (c) => resolve(c ?? 1)));
shop.stop();
process.exit(code);
