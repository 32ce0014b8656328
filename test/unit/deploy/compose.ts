/**
 * Checks of docker-compose.yml: the Compose Specification's JSON schema (the copy that the
 * dclint package ships) and dclint's rules, then what the issue asks of the cluster.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { DCLinter } from "dclint";
import {
  checkServiceCoverage,
  readEnvFile,
  ROOT,
  servicesOf,
  unknownEnv,
  type Env,
  type Obj,
} from "./lib.ts";

const require = createRequire(import.meta.url);

export const COMPOSE_FILE = "docker-compose.yml";

let validator: ReturnType<Ajv["compile"]> | undefined;

/** Errors of the compose file against the Compose Specification schema (all of them). */
export function composeSchemaErrors(compose: unknown): string[] {
  if (!validator) {
    const schemaPath = join(
      dirname(require.resolve("dclint/package.json")),
      "schemas/compose.schema.json",
    );
    // A draft-07 schema, Ajv's default draft: its "$schema" URL need not be resolved.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(schemaPath, "utf8"));
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    validator = ajv.compile(schema);
  }
  if (validator(compose)) return [];
  return (validator.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`,
  );
}

/** dclint's findings: schema, pinned image tags, ports bound to an interface, duplicates. */
export function lintCompose(path: string): string[] {
  const linter = new DCLinter({
    rules: {
      // Style rules (key order, alphabetical order) are not what this project checks.
      "service-keys-order": 0,
      "services-alphabetical-order": 0,
      "service-dependencies-alphabetical-order": 0,
      "service-ports-alphabetical-order": 0,
      "top-level-properties-order": 0,
      "service-container-name-regex": 0,
      // Prettier writes double quotes; dclint's default is single.
      "require-quotes-in-ports": [2, { quoteType: "double" }],
      // Every shop node builds the same image and tags it, so that all of them share it.
      "no-build-and-image": 0,
    },
    quiet: false,
    debug: false,
    exclude: [],
  });
  // dclint's type declarations do not resolve under NodeNext: its result is typed here.
  const results = linter.lintFiles([join(ROOT, path)], false) as Array<{
    messages: Array<{ rule: string; line: number; message: string }>;
  }>;
  return results.flatMap((r) => r.messages).map((m) => `${m.rule} (line ${m.line}): ${m.message}`);
}

/** Compose's `${VAR:-default}` interpolation, with the defaults (no variable is set here). */
export function interpolate(value: string): string {
  return value
    .replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g,
      (_m, _name, fallback) => fallback ?? "",
    )
    .replace(/\$\$/g, "$");
}

/** Shop nodes: the services built from this repository's Dockerfile. */
export function shopNodes(compose: Obj): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const [name, service] of Object.entries<Obj>(compose.services ?? {})) {
    const context = typeof service.build === "string" ? service.build : service.build?.context;
    if (context === "." || context === "./") out.set(name, service);
  }
  return out;
}

/** The env files of a service, in order: [path, required]. */
export function envFilesOf(service: Obj): Array<{ path: string; required: boolean }> {
  const list = service.env_file === undefined ? [] : [service.env_file].flat();
  return list.map((f: string | Obj) =>
    typeof f === "string"
      ? { path: f, required: true }
      : { path: f.path, required: f.required !== false },
  );
}

function environmentOf(service: Obj): Env {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((e: string) => [e.split("=")[0], e.includes("=") ? e.slice(e.indexOf("=") + 1) : ""]),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? "" : String(v)]));
}

/**
 * The environment a shop node starts with: its required env files, then `environment`. Optional
 * env files (a developer's own deploy/.env) are left out so that the tests do not depend on them.
 */
export function nodeEnv(service: Obj): Env {
  const env: Env = {};
  for (const file of envFilesOf(service)) {
    if (file.required) Object.assign(env, readEnvFile(file.path));
  }
  return { ...env, ...environmentOf(service) };
}

/** Every problem of the compose file against what the deployment needs; empty when all is well. */
export function checkCompose(compose: Obj): string[] {
  const problems: string[] = [];
  const services: Record<string, Obj> = compose.services ?? {};
  const nodes = shopNodes(compose);
  if (nodes.size === 0) problems.push("no service is built from the Dockerfile");

  // The infrastructure of the issue.
  const byImage = (re: RegExp) =>
    Object.keys(services).find((n) => re.test(interpolate(String(services[n].image ?? ""))));
  const infra: Record<string, string | undefined> = {
    database: byImage(/^(mysql:8|mariadb:)/),
    redis: byImage(/^redis:/),
    nats: byImage(/^nats:/),
    etcd: byImage(/etcd/),
    jaeger: byImage(/^jaegertracing\//),
    prometheus: byImage(/^prom\/prometheus:/),
    grafana: byImage(/^grafana\/grafana/),
  };
  for (const [what, name] of Object.entries(infra)) {
    if (!name) problems.push(`no ${what} service`);
  }
  const nats = infra.nats && services[infra.nats];
  if (nats && !/(^|\s)(--jetstream|-js)(\s|$)/.test([nats.command ?? []].flat().join(" "))) {
    problems.push("NATS runs without JetStream (--jetstream)");
  }

  // Start order: a node waits for the services it needs to be healthy, and those have checks.
  for (const [name, service] of Object.entries(services)) {
    for (const [dep, cond] of Object.entries<Obj>(dependsOn(service))) {
      if (!services[dep]) problems.push(`${name} depends on unknown service ${dep}`);
      else if (cond.condition === "service_healthy" && !services[dep].healthcheck) {
        problems.push(`${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
      }
    }
  }

  const deployed = new Map<string, string[]>();
  for (const [name, node] of nodes) {
    const env = nodeEnv(node);
    for (const file of envFilesOf(node)) {
      if (file.required && !existsSync(join(ROOT, file.path))) {
        problems.push(`${name}: env file ${file.path} is missing`);
      }
    }
    for (const unknown of unknownEnv(Object.keys(env))) {
      problems.push(`${name}: sets ${unknown}, which the app does not read`);
    }
    const hosted = servicesOf(env.SERVICES);
    deployed.set(name, hosted);
    if (env.HOST !== "0.0.0.0") problems.push(`${name}: HOST is not 0.0.0.0`);
    if (env.NODE_ID) problems.push(`${name}: a fixed NODE_ID breaks --scale`);
    if (node.container_name) problems.push(`${name}: container_name breaks --scale`);
    if (node.ports && !hosted.includes("api")) {
      problems.push(`${name}: publishes ports but hosts no gateway (breaks --scale)`);
    }
    if (env.TRANSPORTER === undefined) problems.push(`${name}: no TRANSPORTER`);
    const needs = [hostOf(env.TRANSPORTER), hostOf(env.REDIS_URL), hostOf(env.DATABASE_URL)];
    for (const host of needs) {
      if (!host) continue;
      if (!services[host]) problems.push(`${name}: ${host} is no service of the compose file`);
      else if (dependsOn(node)[host]?.condition !== "service_healthy") {
        problems.push(`${name}: does not wait for ${host} to be healthy`);
      }
    }
    for (const key of ["OTEL_EXPORTER_OTLP_ENDPOINT", "DISCOVERER"]) {
      const host = hostOf(env[key]);
      if (host && !services[host]) problems.push(`${name}: ${key} names unknown host ${host}`);
    }
    if (durationSeconds(node.stop_grace_period ?? "10s") < 15) {
      problems.push(`${name}: stop_grace_period is shorter than the 10 s drain plus margin`);
    }
  }
  const gateways = [...deployed].filter(([, s]) => s.includes("api"));
  if (gateways.length === 0) problems.push("no node hosts the gateway (api)");
  problems.push(...checkServiceCoverage(deployed, "compose"));
  return problems;
}

export function dependsOn(service: Obj): Record<string, Obj> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) {
    return Object.fromEntries(deps.map((d: string) => [d, { condition: "service_started" }]));
  }
  return deps;
}

export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

function durationSeconds(value: string | number): number {
  if (typeof value === "number") return value;
  let total = 0;
  for (const m of String(value).matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g)) {
    const n = Number(m[1]);
    total += { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 }[m[2] as "h"] * n;
  }
  return total;
}
