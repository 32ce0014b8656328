/**
 * Each fact of the public contract is said once (the route table) and every copy is tied to it:
 * the actions take their params from it, the OpenAPI document is built from it and is complete,
 * and API.md and the document agree. The integration suites check the document against every
 * answer (test/helpers/contract.ts).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { ServiceSchema } from "moleculer";
import { ERROR_TYPES } from "../../lib/errors.ts";
import { buildOpenApi, errorsOf } from "../../lib/http/openapi.ts";
import { objectSchema, ruleSchema } from "../../lib/http/params-schema.ts";
import { paramsOf, routes } from "../../lib/http/routes/index.ts";

type Doc = {
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
};
type Operation = {
  operationId: string;
  tags: string[];
  security: unknown[];
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
  "x-access": unknown;
};

const doc = buildOpenApi(routes, "test") as unknown as Doc;
const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
);

/** The schemas of every service, with their mixins, by service name. */
async function serviceSchemas(): Promise<Map<string, ServiceSchema[]>> {
  const files = ["access", "api", "carts", "monitor", "orders", "payments", "products", "users"];
  const out = new Map<string, ServiceSchema[]>();
  for (const file of files) {
    const mod = (await import(`../../services/${file}.service.ts`)) as { default: ServiceSchema };
    const schema = mod.default;
    out.set(schema.name, [schema, ...((schema.mixins ?? []) as ServiceSchema[])]);
  }
  return out;
}

describe("the route table is the one definition", () => {
  it("every published action takes its params from its route row (paramsOf)", async () => {
    const schemas = await serviceSchemas();
    for (const r of routes) {
      const [service, name] = r.action.split(".");
      const found = (schemas.get(service) ?? [])
        .map((s) => (s.actions as Record<string, unknown> | undefined)?.[name])
        .find((a) => a !== undefined) as { params?: unknown } | undefined;
      assert.ok(found, `${r.action} is an action of ${service}`);
      assert.equal(
        found.params,
        paramsOf(r.action),
        `${r.action} declares params: paramsOf("${r.action}"), not a copy`,
      );
    }
  });

  it("paramsOf is strict and refuses an action no route publishes", () => {
    assert.equal(paramsOf("carts.addItem").$$strict, true);
    assert.throws(() => paramsOf("carts.claim"), /no route publishes carts\.claim/);
  });

  it("every route lists only known error types, each of its status", () => {
    for (const r of routes) {
      for (const t of errorsOf(r)) assert.ok(ERROR_TYPES[t], `${r.action}: ${t}`);
    }
  });
});

describe("fastest-validator rules → JSON Schema", () => {
  it("maps the rule features the codebase uses", () => {
    assert.deepEqual(ruleSchema({ type: "string", min: 1, max: 40, trim: true }), {
      type: "string",
      minLength: 1,
      maxLength: 40,
    });
    assert.deepEqual(ruleSchema({ type: "string", empty: false, pattern: /^[a-z]+$/ }), {
      type: "string",
      minLength: 1,
      pattern: "^[a-z]+$",
    });
    assert.deepEqual(ruleSchema({ type: "number", integer: true, min: 0, max: 99 }), {
      type: "integer",
      minimum: 0,
      maximum: 99,
    });
    assert.deepEqual(ruleSchema({ type: "number", positive: true }), {
      type: "number",
      exclusiveMinimum: 0,
    });
    assert.deepEqual(ruleSchema({ type: "enum", values: ["a", "b"] }), { enum: ["a", "b"] });
    assert.deepEqual(ruleSchema({ type: "string", nullable: true, max: 3 }), {
      type: ["string", "null"],
      maxLength: 3,
    });
    assert.deepEqual(
      ruleSchema({ type: "array", items: { type: "string" }, max: 5, unique: true }),
      { type: "array", items: { type: "string" }, maxItems: 5, uniqueItems: true },
    );
    assert.deepEqual(ruleSchema({ type: "email", max: 254 }), {
      type: "string",
      format: "email",
      maxLength: 254,
    });
  });

  it("lists required fields and closes strict objects", () => {
    assert.deepEqual(
      objectSchema(
        {
          $$strict: true,
          a: { type: "string" },
          b: { type: "string", optional: true },
          c: { type: "number", default: 1 },
        },
        true,
      ),
      {
        type: "object",
        additionalProperties: false,
        properties: {
          a: { type: "string" },
          b: { type: "string" },
          c: { type: "number", default: 1 },
        },
        required: ["a"],
      },
    );
  });

  it("refuses a rule it cannot say, rather than documenting it as anything", () => {
    assert.throws(() => ruleSchema({ type: "luhn" }), /no JSON Schema mapping/);
  });
});

describe("the OpenAPI document", () => {
  it("gives every operation a unique id, a defined tag and its security", () => {
    const ids = operations.map(({ op }) => op.operationId);
    assert.equal(new Set(ids).size, ids.length);
    const tags = new Set(doc.tags.map((t) => t.name));
    for (const { key, op } of operations) {
      assert.ok(tags.has(op.tags[0]), `${key}: tag ${op.tags[0]} is defined`);
      if (op["x-access"] === "public") assert.deepEqual(op.security, [], `${key} is public`);
      else assert.deepEqual(op.security, [{ bearer: [] }], `${key} needs a token`);
    }
  });

  it("lists `required` in every JSON success body that is an object", () => {
    for (const { key, op } of operations) {
      for (const [status, res] of Object.entries(op.responses)) {
        if (!status.startsWith("2")) continue;
        const schema = res.content?.["application/json"]?.schema;
        if (!schema || schema.type !== "object") continue;
        assert.ok(
          Array.isArray(schema.required) && schema.required.length > 0,
          `${key} ${status}: the success body lists its required fields`,
        );
      }
    }
  });

  it("never documents a 500: a 500 is a bug, and the contract check fails on it", () => {
    for (const { key, op } of operations) assert.ok(!op.responses["500"], key);
  });

  it("documents the error types API.md promises", () => {
    const statuses = (path: string, method: string) =>
      JSON.stringify(doc.paths[path]?.[method]?.responses ?? {});
    assert.match(statuses("/api/auth/register", "post"), /EMAIL_TAKEN/);
    assert.match(statuses("/api/checkout", "post"), /IDEMPOTENCY_KEY_REQUIRED/);
    assert.match(statuses("/api/cart/items", "post"), /OUT_OF_STOCK/);
  });
});

/**
 * API.md (docs/API.md, a copy of the team's contract kept equal to it) and the document agree:
 * every route of its tables is in the document, with every error type its row names.
 */
describe("API.md and the document", () => {
  const apiMd = readFileSync(new URL("../../docs/API.md", import.meta.url), "utf8");
  /** Routes API.md names that a later issue builds; this list only shrinks. */
  const NOT_YET_BUILT = new Set<string>([]);
  const shape = (path: string) => path.replace(/[:{]([A-Za-z0-9_]+)\}?/g, ":");

  /** [method and path (params as ":"), the error types its row names] of every table row. */
  function apiMdRoutes(): Array<{ key: string; types: string[] }> {
    const out: Array<{ key: string; types: string[] }> = [];
    for (const line of apiMd.split("\n")) {
      const cells = line.split("|").map((c) => c.trim());
      if (cells.length < 3 || !/^(GET|POST|PUT|PATCH|DELETE) \/api\//.test(cells[1])) continue;
      const types = [...line.matchAll(/`([A-Z][A-Z0-9_]{3,})`/g)].map((m) => m[1]);
      let last = "";
      for (const piece of cells[1].split(",")) {
        const m = /^(GET|POST|PUT|PATCH|DELETE) (\/api\/\S+|same)/.exec(piece.trim());
        if (!m) continue;
        const path = m[2] === "same" ? last : m[2];
        last = path;
        out.push({ key: `${m[1]} ${shape(path.slice(4))}`, types });
      }
    }
    return out;
  }

  it("is the team's API.md, word for word (when the shared copy is at hand)", (t) => {
    const shared = new URL("../../../shared/API.md", import.meta.url);
    if (!existsSync(shared)) return t.skip("../shared/API.md is not beside this checkout");
    assert.equal(apiMd, readFileSync(shared, "utf8"), "docs/API.md is a copy of ../shared/API.md");
  });

  it("has every route of API.md in the document, with the error types its row names", () => {
    const rows = apiMdRoutes();
    assert.ok(rows.length > 30, `parsed ${rows.length} routes`);
    const byKey = new Map(
      routes.map((r) => [`${r.method} ${shape(r.path)}`, new Set<string>(errorsOf(r))]),
    );
    for (const { key, types } of rows) {
      if (NOT_YET_BUILT.has(key)) {
        assert.ok(!byKey.has(key), `${key} is built: take it off NOT_YET_BUILT`);
        continue;
      }
      const documented = byKey.get(key);
      assert.ok(documented, `${key} (API.md) is in the route table`);
      for (const t of types) {
        if (!(t in ERROR_TYPES)) continue; // a status or value in backticks, not an error type
        assert.ok(documented.has(t), `${key}: API.md names ${t}, the document does not`);
      }
    }
  });
});
