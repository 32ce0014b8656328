/**
 * `npm run test:e2e`: the browser tests of the web app against a real shop started for them
 * (embedded mode, a fresh SQLite file, the seeded catalog), in the system Chromium.
 * Installs test/e2e's own dependencies (playwright-core, which downloads no browser, and
 * @axe-core/playwright, which checks every photographed page) if needed.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";

const root = new URL("../", import.meta.url).pathname;
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(
    `No Chromium at ${chromium}: apt-get install chromium (never a downloaded browser)`,
  );
  process.exit(process.env.CI === "true" ? 1 : 0);
}
if (!existsSync(join(root, "web/dist/index.html"))) {
  console.error("web/dist is missing: run `npm ci` (it builds the web app) first");
  process.exit(1);
}
if (
  !existsSync(join(root, "test/e2e/node_modules/playwright-core")) ||
  !existsSync(join(root, "test/e2e/node_modules/@axe-core/playwright"))
) {
  execFileSync("npm", ["ci", "--prefix", "test/e2e", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: "inherit",
  });
}

const dir = mkdtempSync(join(tmpdir(), "shop-e2e-"));
// A port the kernel has just handed out and freed (a random one collided with ephemeral ports).
const port = await new Promise<string>((resolve, reject) => {
  const probe = createServer();
  probe.once("error", reject);
  probe.listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as AddressInfo;
    probe.close(() => resolve(String(port)));
  });
});
const admin = { ADMIN_EMAIL: "admin@shop.test", ADMIN_PASSWORD: "admin-password-e2e" };
const shop = spawn(process.execPath, ["bin/start.ts"], {
  cwd: root,
  env: {
    ...process.env,
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    PORT: port,
    DATABASE_URL: `sqlite:${join(dir, "shop.sqlite")}`,
    SEED_ON_START: "true",
    RATE_LIMIT_GLOBAL: "0",
    RATE_LIMIT_LOGIN: "0",
    RATE_LIMIT_REGISTER: "0",
    RATE_LIMIT_CHECKOUT: "0",
    ...admin,
  },
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const stopShop = () => {
  if (shop.exitCode === null) shop.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
};
process.on("exit", stopShop);
process.on("SIGINT", () => process.exit(130));

await new Promise<void>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("the shop did not start in 90 s")), 90_000);
  shop.on("message", (m: { type?: string }) => {
    if (m?.type === "started") {
      clearTimeout(timer);
      resolve();
    }
  });
  shop.once("exit", (code) => reject(new Error(`the shop exited with ${code}`)));
});

const files = ["test/e2e/shop.e2e.ts", "test/e2e/zh.e2e.ts"];
const run = spawn(process.execPath, ["--test", "--test-concurrency=1", ...files], {
  cwd: root,
  env: {
    ...process.env,
    SHOP_URL: `http://127.0.0.1:${port}`,
    CHROMIUM_PATH: chromium,
    E2E_REQUIRED: "1",
    ...admin,
  },
  stdio: "inherit",
});
const code: number = await new Promise((resolve) => run.once("exit", (c) => resolve(c ?? 1)));
stopShop();
process.exit(code);
