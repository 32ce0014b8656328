import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import {
  bodyLimitOf,
  checkShape,
  DEFAULT_BODY_LIMIT,
  EMPTY_BODY_LIMIT,
  MAX_BODY_LIMIT,
  parseJsonObject,
  readJsonBody,
  withBody,
} from "../../lib/http/body.ts";
import { MAX_DATA_ITEMS, toHttpError } from "../../lib/http/errors.ts";
import { buildOpenApi } from "../../lib/http/openapi.ts";
import { clientAddress, isSecure, parseTrustProxy } from "../../lib/http/proxy.ts";
import { renameLimiterHeaders, takeLimiterHeaders } from "../../lib/http/rate-limit-headers.ts";
import { dropUnsafeRequestId, isSafeRequestId } from "../../lib/http/request-id.ts";
import { setSecurityHeaders } from "../../lib/http/security-headers.ts";
import type { RouteDef } from "../../lib/http/route.ts";
import { routes } from "../../lib/http/routes/index.ts";
import { loadConfig } from "../../lib/config.ts";

/** A request with these headers and body, from `remoteAddress`. */
function request(
  headers: Record<string, string>,
  body = "",
  remoteAddress = "10.0.0.2",
): IncomingMessage {
  const stream = Readable.from(body ? [Buffer.from(body)] : []) as unknown as IncomingMessage;
  stream.headers = headers;
  Object.defineProperty(stream, "socket", { value: { remoteAddress } });
  return stream;
}

async function rejection(promise: Promise<unknown>): Promise<{ code: number; type: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: number; type: string };
  }
  assert.fail("expected a rejection");
}

describe("TRUST_PROXY (Express's trust proxy)", () => {
  const forwarded = (xff: string, remote = "10.0.0.2") =>
    request({ "x-forwarded-for": xff }, "", remote);

  it("takes the address the nearest trusted proxy saw, counting from the right", () => {
    const r = forwarded("6.6.6.6, 203.0.113.7");
    assert.equal(clientAddress(r, 1), "203.0.113.7");
    assert.equal(clientAddress(r, 2), "6.6.6.6");
    assert.equal(clientAddress(r, ["10.0.0.0/8"]), "203.0.113.7");
    assert.equal(clientAddress(r, ["loopback"]), "10.0.0.2", "the peer is not a trusted proxy");
    assert.equal(clientAddress(r, false), "10.0.0.2");
  });

  it("keeps true meaning what Express means: every hop trusted, the left-most entry wins", () => {
    assert.equal(clientAddress(forwarded("6.6.6.6, 203.0.113.7"), true), "6.6.6.6");
  });

  it("reads true/false, a hop count or addresses and names, and names a bad value", () => {
    assert.deepEqual(parseTrustProxy("true"), { value: true });
    assert.deepEqual(parseTrustProxy("off"), { value: false });
    assert.deepEqual(parseTrustProxy("1"), { value: 1 });
    assert.deepEqual(parseTrustProxy("loopback, 10.0.0.0/8"), {
      value: ["loopback", "10.0.0.0/8"],
    });
    assert.ok("problem" in parseTrustProxy("the-ingress"));
    assert.equal(loadConfig({ TRUST_PROXY: "1" }).trustProxy, 1);
    assert.throws(() => loadConfig({ TRUST_PROXY: "10.0.0.0/99" }), /TRUST_PROXY/);
  });

  it("believes X-Forwarded-Proto only from a trusted proxy", () => {
    const r = request({ "x-forwarded-proto": "https" });
    assert.equal(isSecure(r, 1), true);
    assert.equal(isSecure(r, false), false);
    assert.equal(isSecure(r, ["127.0.0.1"]), false);
    assert.equal(isSecure(request({ "x-forwarded-proto": "http" }), 1), false);
  });
});

describe("request bodies", () => {
  const json = { "content-type": "application/json" };
  const sized = (body: string, extra: Record<string, string> = {}) =>
    request({ ...json, "content-length": String(Buffer.byteLength(body)), ...extra }, body);

  it("gives every route a limit that fits its body, never more than 1 MiB", () => {
    const byPath = (method: string, path: string) =>
      routes.find((r) => r.method === method && r.path === path) as RouteDef;
    assert.equal(bodyLimitOf(byPath("POST", "/auth/login")), DEFAULT_BODY_LIMIT);
    assert.equal(bodyLimitOf(byPath("POST", "/orders/:id/cancel")), EMPTY_BODY_LIMIT);
    assert.ok(bodyLimitOf(byPath("POST", "/products")) >= 32 * 1024);
    for (const r of routes) assert.ok(bodyLimitOf(r) <= MAX_BODY_LIMIT, r.path);
    assert.equal(
      bodyLimitOf({ ...byPath("POST", "/products"), bodyLimit: 10 ** 9 }),
      MAX_BODY_LIMIT,
    );
  });

  it("documents each body route's limit and its 400, 413 and 415 in the OpenAPI document", () => {
    const doc = buildOpenApi(routes, "0") as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const create = doc.paths["/api/products"].post as Record<string, unknown> & {
      responses: Record<string, unknown>;
    };
    assert.equal(
      create["x-body-limit"],
      bodyLimitOf(routes.find((r) => r.method === "POST" && r.path === "/products")),
    );
    for (const status of ["400", "413", "415"]) assert.ok(create.responses[status], status);
  });

  it("parses a JSON object and reads nothing when there is no body", async () => {
    assert.deepEqual(await readJsonBody(sized('{"a":1}'), 100), { a: 1 });
    assert.equal(await readJsonBody(request({}), 100), undefined);
    assert.equal(await readJsonBody(sized(""), 100), undefined);
    const charset = sized('{"a":1}', { "content-type": "application/json; charset=UTF-8" });
    assert.deepEqual(await readJsonBody(charset, 100), { a: 1 });
  });

  it("answers 413 past the route's limit, whether the length is declared or not", async () => {
    const big = JSON.stringify({ a: "x".repeat(200) });
    assert.equal((await rejection(readJsonBody(sized(big), 100))).code, 413);
    const chunked = request({ ...json, "transfer-encoding": "chunked" }, big);
    const err = await rejection(readJsonBody(chunked, 100));
    assert.deepEqual([err.code, err.type], [413, "PAYLOAD_TOO_LARGE"]);
  });

  it("answers 415 to a form, text, no content type, a content encoding or another charset", async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ "content-type": "application/x-www-form-urlencoded" }, "UNSUPPORTED_MEDIA_TYPE"],
      [{ "content-type": "text/plain" }, "UNSUPPORTED_MEDIA_TYPE"],
      [{ "content-type": "" }, "UNSUPPORTED_MEDIA_TYPE"],
      [{ "content-type": "application/json; charset=latin1" }, "UNSUPPORTED_CHARSET"],
      [{ "content-encoding": "gzip" }, "UNSUPPORTED_ENCODING"],
    ];
    for (const [headers, type] of cases) {
      const err = await rejection(readJsonBody(sized('{"a":1}', headers), 100));
      assert.deepEqual([err.code, err.type], [415, type], JSON.stringify(headers));
    }
  });

  it("answers 400 INVALID_JSON to malformed JSON and to JSON that is not an object", () => {
    for (const text of ["{", '{"a":}', "[1,2]", "42", "null", '"x"']) {
      assert.throws(() => parseJsonObject(text), { code: 400, type: "INVALID_JSON" }, text);
    }
  });

  it("answers 422 to deep nesting and too many keys before parsing", () => {
    assert.throws(() => parseJsonObject("[".repeat(400_000)), {
      code: 422,
      type: "BODY_TOO_DEEP",
    });
    const many = "{" + Array.from({ length: 1000 }, (_, i) => `"k${i}":0`).join(",") + "}";
    assert.throws(() => parseJsonObject(many), { code: 422, type: "TOO_MANY_KEYS" });
    // Brackets and colons inside strings (escaped quotes too) are text, not structure.
    checkShape(JSON.stringify({ a: '[[[[{{{{::::"\\' }), 2, 1);
    assert.deepEqual(parseJsonObject('{"a":{"b":[1,{"c":2}]}}'), { a: { b: [1, { c: 2 }] } });
  });

  it("lets the query and path override the body, and never a __proto__ key", () => {
    const body = JSON.parse('{"id":"body","x":1,"__proto__":{"polluted":true}}');
    const params = withBody({ id: "path" }, body);
    assert.deepEqual(params, { id: "path", x: 1 });
    assert.equal((params as { polluted?: boolean }).polluted, undefined);
    assert.deepEqual(withBody(undefined, undefined), {});
  });
});

describe("error answers", () => {
  it("list a few offending keys, never all of them", () => {
    const data = Array.from({ length: 500 }, (_, i) => ({
      type: "objectStrict",
      field: `k${i}`,
      message: `bad ${"k".repeat(5000)}`,
      nodeID: "n1",
    }));
    const err = { name: "ValidationError", code: 422, type: "VALIDATION_ERROR", data };
    const out = toHttpError(err).body.data as Array<Record<string, unknown>>;
    assert.equal(out.length, MAX_DATA_ITEMS + 1);
    assert.equal(out[MAX_DATA_ITEMS].count, 500 - MAX_DATA_ITEMS);
    assert.ok(String(out[0].message).length < 300);
    assert.equal(out[0].nodeID, undefined);
    assert.ok(JSON.stringify(out).length < 5_000);
  });
});

describe("response headers", () => {
  const response = (req: IncomingMessage) => new ServerResponse(req);

  it("keep one rate-limit family: moleculer-web's X-Rate-Limit-* become X-RateLimit-*", () => {
    const res = response(request({}));
    res.setHeader("X-Rate-Limit-Limit", 40);
    res.setHeader("X-Rate-Limit-Remaining", 39);
    res.setHeader("X-Rate-Limit-Reset", 1234);
    renameLimiterHeaders(res);
    assert.deepEqual(res.getHeaderNames().sort(), ["x-ratelimit-limit", "x-ratelimit-remaining"]);
    assert.equal(res.getHeader("X-RateLimit-Remaining"), "39");
    const failed = response(request({}));
    failed.setHeader("X-Rate-Limit-Limit", 3);
    failed.setHeader("X-Rate-Limit-Remaining", 0);
    failed.setHeader("X-Rate-Limit-Reset", 99_000);
    assert.deepEqual(takeLimiterHeaders(failed), { limit: "3", remaining: "0", reset: 99_000 });
    assert.deepEqual(failed.getHeaderNames(), []);
  });

  it("carry the security headers, and HSTS only over TLS through a trusted proxy", () => {
    const plain = response(request({}));
    setSecurityHeaders(plain.req, plain, 1);
    const csp = String(plain.getHeader("Content-Security-Policy"));
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(plain.getHeader("X-Content-Type-Options"), "nosniff");
    assert.equal(plain.getHeader("Referrer-Policy"), "no-referrer");
    assert.match(String(plain.getHeader("Permissions-Policy")), /camera=\(\)/);
    assert.equal(plain.getHeader("Strict-Transport-Security"), undefined);

    const tls = request({ "x-forwarded-proto": "https" });
    const secure = response(tls);
    setSecurityHeaders(tls, secure, 1);
    assert.match(String(secure.getHeader("Strict-Transport-Security")), /max-age=\d+/);
    const spoofed = response(tls);
    setSecurityHeaders(tls, spoofed, false);
    assert.equal(spoofed.getHeader("Strict-Transport-Security"), undefined);
  });

  it("accept a short safe request id and drop anything else", () => {
    assert.equal(isSafeRequestId("abc-123_X.y"), true);
    for (const bad of ["", "a".repeat(65), "a b", "x\ny", "<script>", ["a", "b"]]) {
      assert.equal(isSafeRequestId(bad), false, JSON.stringify(bad));
    }
    const headers = { "x-request-id": "a".repeat(9000), "x-correlation-id": "ok-1" };
    dropUnsafeRequestId(headers);
    assert.deepEqual(headers, { "x-correlation-id": "ok-1" });
  });
});
