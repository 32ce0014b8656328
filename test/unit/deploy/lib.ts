/**
 * Helpers of the deployment tests: load the Dockerfile, the compose file, the Kubernetes
 * manifests and the env files, and check them. Every check returns a list of problems (empty when
 * all is well) so that the tests can also show that a broken copy is caught.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, posix, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { loadConfig } from "../../../lib/config.ts";
import { ALL_SERVICES } from "../../../lib/services.ts";
import { overrideFromEnv } from "../../../moleculer.config.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export type Env = Record<string, string>;
/**
 * A parsed YAML document as the checks walk and break it: arbitrary manifests, reached by long
 * paths (`doc.spec.template.spec.containers[0]`) that a missing key fails loudly anyway.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: untyped documents
export type Obj = Record<string, any>;

export function readText(path: string): string {
  return readFileSync(join(ROOT, path), "utf8");
}

export function readYaml(path: string): Obj {
  return parseYaml(readText(path), { merge: true }) as Obj;
}

/** All documents of a multi-document YAML file; throws on a syntax error. */
export function readYamlDocuments(path: string): Obj[] {
  const docs = parseAllDocuments(readText(path), { merge: true });
  if (!Array.isArray(docs)) throw new Error(`${path}: empty`);
  const out: Obj[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0].message}`);
    const value = doc.toJS() as Obj | null;
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** An env file with the same parser as process.loadEnvFile (what bin/start.ts uses). */
export function readEnvFile(path: string): Env {
  return parseEnv(readText(path)) as Env;
}

// --- what the application reads -------------------------------------------------------------

let appEnvCache: Set<string> | undefined;

/**
 * The environment variables the application reads: every name loadConfig() looks up (recorded
 * by running it on a spying environment), plus `process.env.NAME` reads anywhere in the sources.
 */
export function appEnvNames(): Set<string> {
  if (appEnvCache) return appEnvCache;
  const names = new Set<string>();
  const spy = new Proxy({} as Record<string, string | undefined>, {
    get(_target, key) {
      if (typeof key === "string") names.add(key);
      return undefined;
    },
  });
  loadConfig(spy);
  for (const file of sourceFiles()) {
    const text = readText(file);
    for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) names.add(m[1]);
    for (const m of text.matchAll(/process\.env\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]/g)) {
      names.add(m[1]);
    }
  }
  appEnvCache = names;
  return names;
}

/** True when the app reads the variable: a config name, or a `MOL_*` broker option override. */
export function isAppEnv(name: string): boolean {
  if (appEnvNames().has(name)) return true;
  if (!name.startsWith("MOL_") || name.length <= 4) return false;
  const applied = overrideFromEnv({}, { [name]: "1" }) as Obj;
  return Object.keys(applied).length > 0;
}

export function unknownEnv(names: Iterable<string>): string[] {
  return [...names].filter((n) => !isAppEnv(n));
}

/** The backend's source files (what the image runs). */
export function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir))) {
      const rel = posix.join(dir, entry);
      if (statSync(join(ROOT, rel)).isDirectory()) walk(rel);
      else if (rel.endsWith(".ts")) out.push(rel);
    }
  };
  for (const dir of ["bin", "lib", "services", "mixins"]) {
    if (existsSync(join(ROOT, dir))) walk(dir);
  }
  out.push("moleculer.config.ts");
  return out;
}

/**
 * Local files reachable from the entry points through static and dynamic `import`s with
 * relative specifiers (what a runtime image must contain).
 */
export function importGraph(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readText(file);
    const specifiers = [
      ...text.matchAll(/\bfrom\s+["'](\.{1,2}\/[^"']+)["']/g),
      ...text.matchAll(/\bimport\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g),
      ...text.matchAll(/^\s*import\s+["'](\.{1,2}\/[^"']+)["']/gm),
    ].map((m) => m[1]);
    for (const spec of specifiers) {
      const target = posix.normalize(posix.join(posix.dirname(file), spec));
      if (existsSync(join(ROOT, target))) queue.push(target);
    }
    // Files read at run time: new URL("../config/x", import.meta.url) (a folder counts whole).
    for (const m of text.matchAll(
      /new URL\(\s*["'](\.{1,2}\/[^"']*)["']\s*,\s*import\.meta\.url/g,
    )) {
      const target = posix.normalize(posix.join(posix.dirname(file), m[1])).replace(/\/$/, "");
      if (target && target !== "." && existsSync(join(ROOT, target)) && !target.endsWith(".json")) {
        if (statSync(join(ROOT, target)).isFile()) seen.add(target);
        else
          for (const f of readdirSync(join(ROOT, target), { recursive: true }) as string[]) {
            if (statSync(join(ROOT, target, f)).isFile()) seen.add(posix.join(target, f));
          }
      }
    }
  }
  return seen;
}

/** The services a SERVICES value stands for (unset, "*" and "all" mean every present one). */
export function servicesOf(value: string | undefined): string[] {
  if (value === undefined || value.trim() === "" || value === "*" || value === "all") {
    return [...ALL_SERVICES];
  }
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Problems with how a set of nodes covers the app's services. */
export function checkServiceCoverage(deployed: Map<string, string[]>, where: string): string[] {
  const problems: string[] = [];
  const hosted = new Set([...deployed.values()].flat());
  for (const service of ALL_SERVICES) {
    if (!hosted.has(service)) problems.push(`${where}: service "${service}" is deployed nowhere`);
  }
  for (const [node, services] of deployed) {
    for (const s of services) {
      if (!(ALL_SERVICES as readonly string[]).includes(s)) {
        problems.push(`${where}: ${node} hosts "${s}", which is no service of the app`);
      }
    }
  }
  return problems;
}

/** Nodes whose services all exist in this checkout (the others wait for their service). */
export function presentNow(services: string[]): boolean {
  return services.every((s) => (ALL_SERVICES as readonly string[]).includes(s));
}

// --- .dockerignore ---------------------------------------------------------------------------

/** A .dockerignore matcher (Go filepath.Match patterns, `**`, `!` exceptions, last match wins). */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const negate = l.startsWith("!");
      const pattern = posix.normalize((negate ? l.slice(1) : l).trim()).replace(/^\/+|\/+$/g, "");
      return { negate, re: globToRegExp(pattern) };
    });
  return (path: string) => {
    const parts = posix.normalize(path).split("/");
    let ignored = false;
    for (const rule of rules) {
      // A pattern that matches a parent directory matches everything under it.
      for (let i = 1; i <= parts.length; i++) {
        if (rule.re.test(parts.slice(0, i).join("/"))) {
          ignored = !rule.negate;
          break;
        }
      }
    }
    return ignored;
  };
}

function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      i++;
      if (pattern[i + 1] === "/") {
        re += "(?:.*/)?";
        i++;
      } else re += ".*";
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i);
      re += pattern.slice(i, end + 1);
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export function rel(path: string): string {
  return relative(ROOT, path);
}
