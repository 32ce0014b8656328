/**
 * Builds the web app into web/dist (run by `npm ci`/`npm install` through "postinstall", so
 * `npm ci && npm start` serves the storefront). web/ has its own package.json; skipped when
 * web/ is absent (e.g. a backend-only image stage) or SKIP_WEB_BUILD=1.
 */
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";

const web = new URL("../web/", import.meta.url).pathname;

if (process.env.SKIP_WEB_BUILD === "1" || !existsSync(web + "package.json")) {
  process.stdout.write("web app build skipped\n");
} else {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  execFileSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: web, stdio: "inherit" });
  execFileSync(npm, ["run", "build"], { cwd: web, stdio: "inherit" });
}
