import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { errorResponse } from "../../lib/http/error-response.ts";
import { ConflictError, NotFoundError } from "../../lib/errors.ts";

describe("the gateway's error answer", () => {
  it("maps the error and adds the request id and Idempotent-Replayed", () => {
    const r = errorResponse(new ConflictError("Not enough stock", "OUT_OF_STOCK"), {
      now: 0,
      requestId: "req-1",
      replayed: "true",
    });
    assert.equal(r.status, 409);
    assert.equal(JSON.parse(r.body).type, "OUT_OF_STOCK");
    assert.equal(r.headers["Content-Type"], "application/json; charset=utf-8");
    assert.equal(r.headers["X-Request-Id"], "req-1");
    assert.equal(r.headers["Idempotent-Replayed"], "true");
    assert.equal(r.globalRateLimit, false);
    assert.equal(r.headers["Retry-After"], undefined);
  });

  it("says when to retry a 429 of the gateway-wide limiter, not of a route's own limit", () => {
    const limited = Object.assign(new Error("Rate limit exceeded"), {
      code: 429,
      type: "RATE_LIMIT_EXCEEDED",
    });
    const r = errorResponse(limited, { now: 1_000, rateLimitReset: 3_500, rateLimitLimit: "100" });
    assert.equal(r.status, 429);
    assert.equal(r.globalRateLimit, true);
    assert.equal(r.headers["Retry-After"], "3");
    assert.equal(r.headers["X-RateLimit-Limit"], "100");
    assert.equal(r.headers["X-RateLimit-Remaining"], "0");
    const own = errorResponse(Object.assign(limited, { type: "RATE_LIMITED" }), {
      now: 1_000,
      rateLimitReset: 3_500,
    });
    assert.equal(own.globalRateLimit, false);
    assert.equal(own.headers["X-RateLimit-Remaining"], undefined);
  });

  it("answers an unknown error with a generic 500 and no internals", () => {
    const r = errorResponse(new Error("connection string secret=abc"), { now: 0 });
    assert.equal(r.status, 500);
    assert.doesNotMatch(r.body, /secret/);
    assert.equal(errorResponse(new NotFoundError("Order", "9"), { now: 0 }).status, 404);
  });
});
