/**
 * A real shop for the browser tools (`npm run test:e2e`, `npm run audit:web`): embedded mode, a
 * fresh SQLite file, the seeded catalog, no rate limits, on a port the kernel has just freed. It
 * stops with the process.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";

export const root = new URL("../", import.meta.url).pathname;
export const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const admin = { ADMIN_EMAIL: "admin@shop.test", ADMIN_PASSWORD: "admin-password-e2e" };

/** Exits (0 outside CI) without Chromium, and with 1 without a built web app. */
export function requireChromiumAndWeb(): void {
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
}

/** Installs test/e2e's own dependencies (`npm ci --prefix test/e2e`) when one is missing. */
export function installE2eDependencies(packages: string[]): void {
  if (packages.some((p) => !existsSync(join(root, "test/e2e/node_modules", p)))) {
    execFileSync("npm", ["ci", "--prefix", "test/e2e", "--no-audit", "--no-fund"], {
      cwd: root,
      stdio: "inherit",
    });
  }
}

/** Starts the shop and resolves with its URL once it says it has started. */
export async function startEmbeddedShop(): Promise<{ url: string; stop: () => void }> {
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
  const stop = () => {
    if (shop.exitCode === null) shop.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", stop);
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
  return { url: `http://127.0.0.1:${port}`, stop };
}
