import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AccessControl } from "../../lib/access/control.ts";
import { IpBlocklist, normaliseCidr } from "../../lib/access/ip.ts";
import { defaultPolicy, loadWhitelist, parsePolicy, ruleProblem } from "../../lib/access/policy.ts";
import { checkLimit, parseLimit } from "../../lib/access/rate-limit.ts";
import { routes } from "../../lib/http/routes/index.ts";
import { MemoryStore } from "../../lib/store/kv.ts";
import {
  backoffDelayMs,
  loginWaitMs,
  recordLoginFailure,
  recordLoginSuccess,
} from "../../lib/users/login-backoff.ts";

const RANK = ["guest", "customer", "merchant", "admin"] as const;

describe("the default policy and whitelist", () => {
  it("implement exactly the access rule of every route in the route table", async () => {
    const access = new AccessControl(loadWhitelist());
    await access.useDefaults();
    for (const r of routes) {
      const path = "/api" + r.path.replace(/:[A-Za-z0-9_]+/g, "123");
      const label = `${r.method} ${path}`;
      const whitelisted = access.isWhitelisted(r.method, path);
      if (r.access === "public") {
        assert.ok(whitelisted, `${label} is public, so it must be whitelisted`);
        continue;
      }
      assert.ok(!whitelisted, `${label} needs a login, so it must not be whitelisted`);
      const lowest =
        r.access === "user"
          ? "customer"
          : [...r.access].sort((a, b) => RANK.indexOf(a) - RANK.indexOf(b))[0];
      for (const role of RANK) {
        const expected = RANK.indexOf(role) >= RANK.indexOf(lowest);
        assert.equal(await access.allows(role, r.method, path), expected, `${role} on ${label}`);
      }
    }
  });

  it("parses policy lines and rejects malformed rules", () => {
    assert.deepEqual(parsePolicy("# c\n\np, a, /b, GET\ng, x, y\n"), [
      ["p", "a", "/b", "GET"],
      ["g", "x", "y"],
    ]);
    assert.ok(defaultPolicy().length > 10);
    assert.equal(ruleProblem(["p", "customer", "/api/x", "GET"]), undefined);
    assert.equal(ruleProblem(["g", "merchant", "customer"]), undefined);
    for (const bad of [
      ["p", "a", "b", "GET"],
      ["p", "a", "/b", "FETCH"],
      ["q", "a", "b"],
      ["p", "a,b", "/c", "GET"],
      ["g", "a"],
    ]) {
      assert.ok(ruleProblem(bad), bad.join());
    }
  });
});

describe("the access control", () => {
  it("applies a snapshot: policy, bans and blocked ranges", async () => {
    const access = new AccessControl([]);
    await access.apply({
      version: "1",
      policy: [
        ["p", "customer", "/api/x/:id", "GET"],
        ["g", "admin", "customer"],
      ],
      bannedUsers: ["7"],
      blockedIps: ["10.0.0.0/8"],
    });
    assert.equal(await access.allows("admin", "GET", "/api/x/1"), true);
    assert.equal(await access.allows("guest", "GET", "/api/x/1"), false);
    assert.equal(await access.allows("customer", "POST", "/api/x/1"), false);
    assert.ok(access.isBanned("7"));
    assert.ok(!access.isBanned("8"));
    assert.ok(access.isBlocked("10.1.2.3"));
    assert.ok(access.isBlocked("::ffff:10.1.2.3"));
    assert.ok(!access.isBlocked("11.0.0.1"));
    await access.apply({ version: "2", policy: [], bannedUsers: [], blockedIps: [] });
    assert.equal(
      await access.allows("admin", "GET", "/api/x/1"),
      false,
      "decisions are not kept across versions",
    );
  });

  it("never lets an older snapshot land after a newer one, however they overlap", async () => {
    const access = new AccessControl([]);
    const snap = (version: string, bannedUsers: string[]) => ({
      version,
      policy: [],
      bannedUsers,
      blockedIps: [],
    });
    await access.apply(snap("initial", []));
    // The ban's snapshot (version 5) and the unban's (6), applied at once in either order.
    const applied = await Promise.all([
      access.apply(snap("6", [])),
      access.apply(snap("5", ["7"])),
    ]);
    assert.deepEqual(applied, [true, false]);
    assert.equal(access.version, "6");
    assert.ok(!access.isBanned("7"));
    assert.equal(await access.apply(snap("6", ["7"])), false, "the same version twice");
    assert.equal(await access.apply(snap("7", ["7"])), true);
    assert.ok(access.isBanned("7"));
    // The shared store lost its counter: the poll rewinds on purpose.
    assert.equal(await access.apply(snap("1", []), { rewind: true }), true);
    assert.ok(!access.isBanned("7"));
  });
});

describe("addresses", () => {
  it("normalises addresses and ranges", () => {
    assert.equal(normaliseCidr("127.0.0.1"), "127.0.0.1/32");
    assert.equal(normaliseCidr("10.0.0.0/8"), "10.0.0.0/8");
    assert.equal(normaliseCidr("2001:db8::1"), "2001:db8::1/128");
    assert.equal(normaliseCidr("10.0.0.0/33"), undefined);
    assert.equal(normaliseCidr("nope"), undefined);
  });

  it("takes only canonical addresses: no classful, hex or zero-padded IPv4, no zones", () => {
    for (const lenient of [
      "1.2.3",
      "127.1",
      "0x7f.0.0.1",
      "01.2.3.4",
      "2130706433",
      "fe80::1%eth0",
    ]) {
      assert.equal(normaliseCidr(lenient), undefined, lenient);
    }
    for (const bad of ["1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/8/8", "1.2.3.4/0x8", "::/129", ""]) {
      assert.equal(normaliseCidr(bad), undefined, bad);
    }
    assert.equal(normaliseCidr(" 10.0.0.0/08 "), "10.0.0.0/8");
    assert.equal(normaliseCidr("::ffff:1.2.3.4"), "::ffff:102:304/128");
    assert.equal(normaliseCidr("0.0.0.0/0"), "0.0.0.0/0");
  });

  it("match IPv4, IPv6 and mapped addresses", () => {
    const list = new IpBlocklist(["192.168.1.0/24", "2001:db8::/32"]);
    assert.ok(list.has("192.168.1.77"));
    assert.ok(list.has("::ffff:192.168.1.77"));
    assert.ok(list.has("2001:db8::5"));
    assert.ok(!list.has("192.168.2.1"));
    assert.ok(!list.has("garbage"));
  });
});

describe("rate limits", () => {
  it("parse count/seconds", () => {
    assert.deepEqual(parseLimit("20/60"), { count: 20, windowMs: 60_000 });
    assert.equal(parseLimit("0"), undefined);
    assert.equal(parseLimit("20"), "invalid");
    assert.equal(parseLimit("0/60"), "invalid");
  });

  it("allow up to the limit within the window", async () => {
    const store = new MemoryStore();
    const limit = { count: 2, windowMs: 60_000 };
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push(await checkLimit(store, "k", limit));
    assert.deepEqual(
      verdicts.map((v) => v.allowed),
      [true, true, false],
    );
    assert.deepEqual(
      verdicts.map((v) => v.remaining),
      [1, 0, 0],
    );
    assert.ok(verdicts[2].retryAfterSeconds >= 1 && verdicts[2].retryAfterSeconds <= 60);
    assert.equal((await checkLimit(store, "other", limit)).allowed, true);
    await store.close();
  });
});

describe("the per-account login backoff", () => {
  const settings = { free: { count: 3, windowMs: 900_000 }, maxDelayMs: 60_000 };

  it("waits nothing within the allowance, then 1 s, 2 s, 4 s… up to the cap", () => {
    const delays = [1, 3, 4, 5, 6, 7, 20].map((n) => backoffDelayMs(n, settings));
    assert.deepEqual(delays, [0, 0, 1_000, 2_000, 4_000, 8_000, 60_000]);
    assert.equal(backoffDelayMs(10_000, settings), 60_000);
    assert.equal(backoffDelayMs(100, { ...settings, free: undefined }), 0);
  });

  it("makes a new address wait after failures from anywhere, but never the owner's", async () => {
    const store = new MemoryStore();
    const account = "ann@example.com";
    await recordLoginSuccess(store, account, "10.0.0.1");
    for (let i = 0; i < 6; i++) await recordLoginFailure(store, settings, account);
    const stranger = await loginWaitMs(store, account, "10.9.9.9");
    assert.ok(stranger > 2_000 && stranger <= 4_000, `waits ${stranger} ms`);
    assert.equal(await loginWaitMs(store, account, "10.0.0.1"), 0, "the owner's address");
    assert.equal(await loginWaitMs(store, "bob@example.com", "10.9.9.9"), 0, "other accounts");
    await store.close();
  });
});
