/**
 * What a node loads at start (docs/memory.md): every module loaded stays in the
 * node's heap for its whole life, so a node must not load what it never runs.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

/** The module specifiers a node hosting `services` resolves while it is created (embedded mode). */
function loadedBy(services: string): string[] {
  const url = (file: string) => JSON.stringify(new URL(`../../${file}`, import.meta.url).href);
  const script = `
    import { registerHooks } from "node:module";
    const loaded = [];
    registerHooks({ resolve(spec, ctx, next) { loaded.push(spec); return next(spec, ctx); } });
    const { loadConfig } = await import(${url("lib/config.ts")});
    const { createNode } = await import(${url("services/node.ts")});
    // One process, no transporter: the services are set after validation (which wants NATS).
    const config = loadConfig({ DATABASE_URL: "sqlite::memory:", LOG_LEVEL: "fatal", LOG_FORMAT: "json" });
    const node = await createNode({ ...config, services: ${JSON.stringify(services.split(","))} });
    await node.stop();
    console.log(JSON.stringify(loaded));
  `;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: "" },
  });
  return JSON.parse(out.trim().split("\n").pop()!);
}

const sdk = (s: string) => /tracing-sdk|@opentelemetry\/(sdk|exporter|instrumentation)/.test(s);

describe("start-up footprint", () => {
  it("a gateway node loads no database library, no pretty printer, no tracing SDK", () => {
    const loaded = loadedBy("api");
    assert.ok(loaded.includes("moleculer-web"), "the gateway was created");
    for (const unwanted of ["sequelize", "umzug", "mysql2", "sqlite3", "pino-pretty"]) {
      assert.ok(!loaded.includes(unwanted), `${unwanted} is not loaded`);
    }
    assert.deepEqual(loaded.filter(sdk), [], "no OpenTelemetry SDK without an endpoint");
  });

  it("no node loads Moleculer's ES module entry (its ESM runner, second copies of glob, lodash)", () => {
    const loaded = loadedBy("api,products");
    assert.ok(loaded.includes("sequelize"), "the products node has its database");
    assert.ok(loaded.includes("./src/runner"), "Moleculer's CommonJS entry was loaded");
    assert.deepEqual(
      loaded.filter((s) => s.includes("runner-esm")),
      [],
    );
  });
});
