/**
 * The gateway under hostile input, in both modes: client addresses behind a proxy
 * (TRUST_PROXY=1, so the test's loopback peer is "the ingress" and the last X-Forwarded-For
 * entry is the client), request bodies (limits, media types, encodings, depth, keys, nothing
 * read before the access checks), security headers, rate-limit headers and request ids.
 * Every test speaks from its own forwarded address, so the small global limit of this shop
 * (RATE_LIMIT_GLOBAL) only counts that test's requests.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { call, eventually, userWithRole, type Reply } from "../helpers/http.ts";

const modes = await testModes();
const GLOBAL_LIMIT = 40;

let nextAddress = 10;
/** A fresh client address (TEST-NET-3), as the ingress would append it. */
function newAddress(): string {
  nextAddress += 1;
  return `203.0.113.${nextAddress}`;
}

/** An 857 KiB body of 60,000 keys, as the tester sent. */
function hugeBody(): string {
  const keys = Array.from({ length: 60_000 }, (_, i) => `"key${i}":"v"`);
  return `{${keys.join(",")}}`;
}

for (const mode of modes) {
  describe(`gateway hardening (${mode} mode)`, () => {
    let shop: TestShop;
    let adminToken: string;
    /** A request from `address` (behind the trusted proxy) with a raw body. */
    const send = (
      address: string,
      method: string,
      path: string,
      raw?: string,
      headers: Record<string, string> = {},
      token?: string,
    ): Promise<Reply> =>
      call(shop.url, method, path, undefined, {
        raw,
        token,
        headers: { "x-forwarded-for": address, ...headers },
      });

    before(async () => {
      shop = await startShop(mode, {
        env: { TRUST_PROXY: "1", RATE_LIMIT_GLOBAL: `${GLOBAL_LIMIT}/60` },
      });
      const admin = await call(shop.url, "POST", "/api/auth/login", ADMIN, {
        headers: { "x-forwarded-for": newAddress() },
      });
      adminToken = admin.body.accessToken;
    });
    after(async () => {
      await shop?.stop();
    });

    describe("client addresses behind the proxy", () => {
      it("blocks an address however the client fills the left of X-Forwarded-For", async () => {
        const blocked = newAddress();
        const put = await send(
          newAddress(),
          "PUT",
          `/api/admin/access/blacklist/ips/${blocked}`,
          undefined,
          {},
          adminToken,
        );
        assert.equal(put.status, 200, JSON.stringify(put.body));
        for (const url of shop.urls) {
          const from = (xff: string) =>
            call(url, "GET", "/api/health", undefined, { headers: { "x-forwarded-for": xff } });
          // Every gateway applies the block (within the access poll); then no spoofing passes.
          await eventually(async () => (await from(blocked)).status === 403, 5_000);
          const spoofed = await from(`6.6.6.6, ${blocked}`);
          assert.equal(spoofed.status, 403, url);
          assert.equal(spoofed.body.type, "IP_BLOCKED");
          assert.match(spoofed.headers.get("content-security-policy") ?? "", /frame-ancestors/);
        }
      });

      it("counts a client in one rate-limit bucket whatever it writes first", async () => {
        const client = newAddress();
        const statuses: number[] = [];
        for (let i = 0; i < GLOBAL_LIMIT + 1; i += 1) {
          const res = await send(`10.9.${i}.1, ${client}`, "GET", "/api/health");
          statuses.push(res.status);
        }
        assert.deepEqual(statuses.slice(0, GLOBAL_LIMIT), Array(GLOBAL_LIMIT).fill(200));
        assert.equal(statuses[GLOBAL_LIMIT], 429);
      });

      it("sends one rate-limit header family (X-RateLimit-*, Retry-After on 429)", async () => {
        const client = newAddress();
        const ok = await send(client, "GET", "/api/health");
        assert.equal(ok.headers.get("x-ratelimit-limit"), String(GLOBAL_LIMIT));
        assert.equal(ok.headers.get("x-ratelimit-remaining"), String(GLOBAL_LIMIT - 1));
        let limited = ok;
        for (let i = 0; i < GLOBAL_LIMIT && limited.status !== 429; i += 1) {
          limited = await send(client, "GET", "/api/health");
        }
        assert.equal(limited.status, 429);
        assert.equal(limited.headers.get("x-ratelimit-remaining"), "0");
        assert.ok(Number(limited.headers.get("retry-after")) >= 1);
        for (const res of [ok, limited]) {
          const names = [...res.headers.keys()];
          assert.deepEqual(
            names.filter((n) => n.startsWith("x-rate-limit")),
            [],
            names.join(),
          );
        }
      });
    });

    describe("request bodies", () => {
      it("reads no body for a route that does not exist or needs a login the caller lacks", async () => {
        const from = newAddress();
        // Malformed JSON would be a 400 had it been parsed.
        const json = { "content-type": "application/json" };
        const missing = await send(from, "POST", "/api/no-such-route", "{", json);
        assert.equal(missing.status, 404);
        const anonymous = await send(from, "POST", "/api/cart/items", "{", json);
        assert.equal(anonymous.status, 401);
        const huge = await send(from, "POST", "/api/cart/items", hugeBody(), json);
        assert.equal(huge.status, 401);
      });

      it("answers 413 past the route's limit, with a short answer", async () => {
        const res = await send(newAddress(), "POST", "/api/auth/login", hugeBody());
        assert.equal(res.status, 413);
        assert.equal(res.body.type, "PAYLOAD_TOO_LARGE");
        assert.ok(JSON.stringify(res.body).length < 500);
      });

      it("stops a product body past its limit before the transporter, and takes the largest real one", async () => {
        const from = newAddress();
        const merchant = await userWithRole(shop.url, ADMIN, "merchant");
        const product = { name: "Big", price: 100, stock: 1 };
        const tooBig = JSON.stringify({ ...product, description: "x".repeat(900_000) });
        const refused = await send(from, "POST", "/api/products", tooBig, {}, merchant.accessToken);
        assert.equal(refused.status, 413, JSON.stringify(refused.body));
        // 5,000 CJK characters written as \uXXXX escapes: 30 KB of JSON.
        const escaped = "\\u8033".repeat(5_000);
        const largest = `{"name":"耳机","description":"${escaped}","price":100,"stock":1}`;
        const created = await send(
          from,
          "POST",
          "/api/products",
          largest,
          {},
          merchant.accessToken,
        );
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.equal(created.body.description, "耳".repeat(5_000));
      });

      it("answers 422 to deep nesting and to too many keys, listing no keys back", async () => {
        const from = newAddress();
        const deep = await send(from, "POST", "/api/auth/login", "[".repeat(400_000));
        assert.ok([413, 422].includes(deep.status), String(deep.status));
        const nested = await send(
          from,
          "POST",
          "/api/auth/login",
          "[".repeat(100) + "]".repeat(100),
        );
        assert.equal(nested.status, 422);
        assert.equal(nested.body.type, "BODY_TOO_DEEP");
        const keys = Array.from({ length: 1_000 }, (_, i) => `"k${i}":0`).join(",");
        const many = await send(from, "POST", "/api/auth/login", `{${keys}}`);
        assert.equal(many.status, 422);
        assert.equal(many.body.type, "TOO_MANY_KEYS");
        assert.ok(JSON.stringify(many.body).length < 500);
      });

      it("lists only a few of many unknown keys in a validation error", async () => {
        const from = newAddress();
        const u = await userWithRole(shop.url, ADMIN, "customer");
        const fields = Array.from({ length: 200 }, (_, i) => `"unknown_field_${i}":0`).join(",");
        const res = await send(from, "PATCH", "/api/orders/1", `{${fields}}`, {}, u.accessToken);
        assert.equal(res.status, 422, JSON.stringify(res.body).slice(0, 300));
        assert.ok(JSON.stringify(res.body).length < 3_000, JSON.stringify(res.body).length + "");
      });

      it("answers 415 to a form or text body and changes nothing", async () => {
        const from = newAddress();
        const u = await userWithRole(shop.url, ADMIN, "customer");
        for (const [type, raw] of [
          ["application/x-www-form-urlencoded", "name=Mallory"],
          ["text/plain", '{"name":"Mallory"}'],
        ]) {
          const res = await send(
            from,
            "PATCH",
            "/api/users/me",
            raw,
            { "content-type": type },
            u.accessToken,
          );
          assert.equal(res.status, 415, type);
          assert.equal(res.body.type, "UNSUPPORTED_MEDIA_TYPE");
        }
        const me = await send(from, "GET", "/api/users/me", undefined, {}, u.accessToken);
        assert.notEqual(me.body.name, "Mallory");
        const malformed = await send(from, "PATCH", "/api/users/me", '{"name":', {}, u.accessToken);
        assert.equal(malformed.status, 400);
        assert.equal(malformed.body.type, "INVALID_JSON");
      });

      it("answers 415 to a compressed body, valid gzip or not", async () => {
        const from = newAddress();
        const gzip = { "content-encoding": "gzip" };
        const garbage = await send(from, "POST", "/api/auth/login", "not gzip at all", gzip);
        assert.equal(garbage.status, 415);
        assert.equal(garbage.body.type, "UNSUPPORTED_ENCODING");
        const body = gzipSync(JSON.stringify(ADMIN)).toString("latin1");
        const res = await fetch(shop.url + "/api/auth/login", {
          method: "POST",
          headers: { "content-type": "application/json", ...gzip, "x-forwarded-for": from },
          body: Buffer.from(body, "latin1"),
        });
        assert.equal(res.status, 415);
      });

      it("still takes an empty body and a JSON body with a charset", async () => {
        const from = newAddress();
        const u = await userWithRole(shop.url, ADMIN, "customer");
        const logout = await send(from, "POST", "/api/auth/logout", "", {}, u.accessToken);
        assert.equal(logout.status, 204);
        const login = await send(from, "POST", "/api/auth/login", JSON.stringify(ADMIN), {
          "content-type": "application/json; charset=utf-8",
        });
        assert.equal(login.status, 200);
      });
    });

    describe("response headers", () => {
      it("sends the security headers on the API, the web app, errors and blocked answers", async () => {
        const from = newAddress();
        const pages = [
          await send(from, "GET", "/api/health"),
          await send(from, "GET", "/api/no-such-route"),
          await send(from, "GET", "/", undefined, { accept: "text/html" }),
          await send(from, "GET", "/orders/12", undefined, { accept: "text/html" }),
        ];
        for (const res of pages) {
          const csp = res.headers.get("content-security-policy") ?? "";
          assert.match(csp, /script-src 'self'(;|$)/);
          assert.match(csp, /frame-ancestors 'none'/);
          assert.equal(res.headers.get("x-content-type-options"), "nosniff");
          assert.equal(res.headers.get("referrer-policy"), "no-referrer");
          assert.ok(res.headers.get("permissions-policy"));
          assert.equal(res.headers.get("strict-transport-security"), null);
        }
      });

      it("sends HSTS only when the trusted proxy says the request came over TLS", async () => {
        const res = await send(newAddress(), "GET", "/api/health", undefined, {
          "x-forwarded-proto": "https",
        });
        assert.match(res.headers.get("strict-transport-security") ?? "", /max-age=\d+/);
      });

      it("keeps a short safe request id and replaces a long or unsafe one", async () => {
        const from = newAddress();
        const kept = await send(from, "GET", "/api/health", undefined, {
          "x-request-id": "abc-123",
        });
        assert.equal(kept.headers.get("x-request-id"), "abc-123");
        for (const id of ["a".repeat(9_000), "a b <script>"]) {
          const res = await send(from, "GET", "/api/health", undefined, { "x-request-id": id });
          const answered = res.headers.get("x-request-id") ?? "";
          assert.notEqual(answered, id);
          assert.match(answered, /^[A-Za-z0-9._-]{1,64}$/);
        }
      });
    });
  });
}
