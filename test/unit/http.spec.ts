import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Errors } from "moleculer";
import { toHttpError } from "../../lib/http/errors.ts";
import { buildOpenApi } from "../../lib/http/openapi.ts";
import { routes } from "../../lib/http/routes/index.ts";
import { ConflictError, UnavailableError } from "../../lib/errors.ts";

describe("toHttpError", () => {
  it("passes client errors through in the API's shape", () => {
    const e = toHttpError(new ConflictError("Taken", "EMAIL_TAKEN"));
    assert.equal(e.status, 409);
    assert.deepEqual(e.body, {
      name: "ConflictError",
      message: "Taken",
      code: 409,
      type: "EMAIL_TAKEN",
    });
  });

  it("keeps field details of validation errors but not the node that found them", () => {
    const e = toHttpError(
      new Errors.ValidationError("Parameters validation error!", "VALIDATION_ERROR", [
        { field: "email", message: "bad", nodeID: "n1", action: "users.register" },
      ]),
    );
    assert.equal(e.status, 422);
    assert.deepEqual(e.body.data, [{ field: "email", message: "bad" }]);
  });

  it("hides unknown errors behind a generic 500", () => {
    const e = toHttpError(new Error("SELECT * FROM users failed at /srv/app.ts:12"));
    assert.equal(e.status, 500);
    assert.equal(e.body.type, "INTERNAL_ERROR");
    assert.ok(!JSON.stringify(e.body).includes("SELECT"));
    assert.equal(toHttpError("a string").status, 500);
    assert.equal(toHttpError(null).status, 500);
    assert.equal(
      toHttpError(new Errors.MoleculerServerError("db down", 500, "DB", { sql: "x" })).status,
      500,
    );
  });

  it("maps framework errors to stable public ones", () => {
    assert.equal(toHttpError(new Errors.ServiceNotFoundError({ action: "x.y" })).status, 503);
    assert.equal(
      toHttpError(new Errors.RequestTimeoutError({ action: "x.y", nodeID: "n" })).status,
      504,
    );
    const busy = toHttpError(
      new Errors.QueueIsFullError({ action: "x.y", nodeID: "n", size: 1, limit: 1 }),
    );
    assert.equal(busy.status, 503);
    assert.equal(busy.headers["Retry-After"], "2");
  });

  it("never shows the message of a framework 5xx error", () => {
    const rejected = toHttpError(
      new Errors.RequestRejectedError({ action: "users.me", nodeID: "backend-2" }),
    );
    assert.equal(rejected.status, 503);
    assert.equal(rejected.body.type, "SERVICE_UNAVAILABLE");
    assert.ok(!JSON.stringify(rejected.body).includes("backend-2"));
    const other = toHttpError({
      name: "MoleculerRetryableError",
      code: 503,
      type: "SOMETHING",
      message: "node x down",
    });
    assert.equal(other.status, 500);
    assert.ok(!JSON.stringify(other.body).includes("node x"));
  });

  it("maps the gateway's own 'service unavailable' (a service still starting) to 503", () => {
    const e = toHttpError(
      Object.assign(new Error("Service unavailable"), {
        name: "ServiceUnavailableError",
        code: 503,
      }),
    );
    assert.equal(e.status, 503);
    assert.equal(e.body.type, "SERVICE_UNAVAILABLE");
    assert.equal(e.headers["Retry-After"], "2");
  });

  it("maps body-parser failures", () => {
    assert.equal(toHttpError({ type: "entity.too.large", status: 413 }).status, 413);
    assert.equal(toHttpError({ type: "entity.parse.failed", status: 400 }).status, 400);
  });

  it("keeps declared unavailability without its data", () => {
    const e = toHttpError(
      new UnavailableError("Payments are down", "PAYMENT_UNAVAILABLE", { host: "10.0.0.1" }),
    );
    assert.equal(e.status, 503);
    assert.equal(e.body.type, "PAYMENT_UNAVAILABLE");
    assert.equal(e.body.data, undefined);
  });

  it("sets Retry-After on 429", () => {
    const e = toHttpError({
      code: 429,
      type: "RATE_LIMITED",
      message: "slow",
      data: { retryAfter: 7 },
    });
    assert.equal(e.headers["Retry-After"], "7");
  });
});

describe("the route table", () => {
  it("requires an Idempotency-Key exactly on checkout and pay", () => {
    const idempotent = routes.filter((r) => r.idempotent).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(idempotent.sort(), ["POST /checkout", "POST /orders/:id/pay"]);
  });

  it("has one route per method and path", () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    assert.equal(new Set(keys).size, keys.length);
  });

  it("documents every route in the OpenAPI document", () => {
    const doc = buildOpenApi(routes, "test") as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    assert.equal(doc.openapi, "3.1.0");
    for (const r of routes) {
      const path = "/api" + r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
      assert.ok(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${path} is documented`);
    }
  });
});
