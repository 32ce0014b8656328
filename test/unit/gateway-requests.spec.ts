import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { routeLimitChecks } from "../../lib/access/route-limits.ts";
import { clientAddress, isPageLoad, preferredLanguage } from "../../lib/http/requests.ts";

const limits = {
  global: { count: 1200, windowMs: 60_000 },
  login: { count: 10, windowMs: 60_000 },
  register: { count: 20, windowMs: 60_000 },
  checkout: { count: 30, windowMs: 60_000 },
};

describe("per-route limits", () => {
  it("counts a login per (account, address) and per address at five times the limit", () => {
    const spent = routeLimitChecks(limits, {
      method: "POST",
      path: "/auth/login",
      clientIp: "10.0.0.1",
      email: "Ann@Example.com",
    });
    assert.equal(spent?.name, "login");
    assert.deepEqual(spent?.checks, [
      { key: "login:acct:ann@example.com:ip:10.0.0.1", limit: limits.login },
      { key: "login:ip:10.0.0.1", limit: { count: 50, windowMs: 60_000 } },
    ]);
  });

  it("counts every spelling of an email as users.login finds it against one counter", () => {
    const keyOf = (email: unknown) =>
      routeLimitChecks(limits, { method: "POST", path: "/auth/login", clientIp: "10.0.0.1", email })
        ?.checks[0].key;
    const spellings = [
      " ann@example.com",
      "\tAnn@Example.com",
      "ann@example.com\n",
      "ANN@EXAMPLE.COM ",
    ];
    for (const email of spellings)
      assert.equal(keyOf(email), "login:acct:ann@example.com:ip:10.0.0.1");
    // Decomposed "é" (e + U+0301) is the composed one.
    assert.equal(keyOf("Ame\u0301lie@example.com"), keyOf("am\u00e9lie@example.com"));
  });

  it("counts registrations per address, checkout and pay per user (or address)", () => {
    const base = { clientIp: "10.0.0.2" };
    const register = routeLimitChecks(limits, { ...base, method: "POST", path: "/auth/register" });
    assert.deepEqual(register?.checks, [{ key: "register:ip:10.0.0.2", limit: limits.register }]);
    for (const path of ["/checkout", "/orders/:id/pay"]) {
      const paid = routeLimitChecks(limits, { ...base, method: "POST", path, userId: "7" });
      assert.deepEqual(paid?.checks, [{ key: "checkout:user:7", limit: limits.checkout }]);
    }
  });

  it("spends nothing on other routes, or on a limit switched off (0)", () => {
    assert.equal(
      routeLimitChecks(limits, { method: "GET", path: "/products", clientIp: "x" }),
      undefined,
    );
    const off = routeLimitChecks(
      { ...limits, checkout: undefined },
      { method: "POST", path: "/checkout", clientIp: "x", userId: "1" },
    );
    assert.deepEqual(off?.checks, []);
  });
});

describe("request helpers", () => {
  const req = (headers: Record<string, string>, remoteAddress = "127.0.0.9") =>
    ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

  it("takes X-Forwarded-For only behind a trusted proxy", () => {
    const r = req({ "x-forwarded-for": "203.0.113.5, 10.0.0.1" });
    assert.equal(clientAddress(r, false), "127.0.0.9");
    assert.equal(clientAddress(r, true), "203.0.113.5");
    assert.equal(clientAddress(req({}), true), "127.0.0.9");
  });

  it("knows a page load of the web app from an API call, a file or a non-HTML request", () => {
    const html = "text/html,application/xhtml+xml";
    assert.equal(isPageLoad("GET", "/orders/12", html), true);
    assert.equal(isPageLoad("HEAD", "/cart", html), true);
    assert.equal(isPageLoad("GET", "/api/nothing", html), false);
    assert.equal(isPageLoad("GET", "/metrics", html), false);
    assert.equal(isPageLoad("GET", "/missing.js", html), false);
    assert.equal(isPageLoad("POST", "/orders/12", html), false);
    assert.equal(isPageLoad("GET", "/orders/12", "application/json"), false);
  });
});

describe("preferredLanguage", () => {
  it("picks zh or en by Accept-Language quality, Chinese by default", () => {
    assert.equal(preferredLanguage(undefined), "zh");
    assert.equal(preferredLanguage(""), "zh");
    assert.equal(preferredLanguage("en-US,en;q=0.9"), "en");
    assert.equal(preferredLanguage("zh-CN,zh;q=0.9,en;q=0.8"), "zh");
    assert.equal(preferredLanguage("en;q=0.5, zh-TW;q=0.8"), "zh");
    assert.equal(preferredLanguage("fr-FR,fr;q=0.9,en;q=0.3"), "en");
    assert.equal(preferredLanguage("fr-FR, de"), "zh");
    assert.equal(preferredLanguage("en;q=abc"), "zh", "a malformed quality counts for nothing");
  });
});
