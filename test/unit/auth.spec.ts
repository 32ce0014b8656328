import { describe, it } from "node:test";
import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import {
  hashPassword,
  passwordProblem,
  tooCommon,
  verifyPassword,
} from "../../lib/auth/passwords.ts";
import { awaitSuccessor, keepSuccessor, successorOf } from "../../lib/users/refresh-grace.ts";
import {
  hashRefreshToken,
  judgeRefreshToken,
  newRefreshToken,
  signAccessToken,
  verifyAccessToken,
  type TokenSettings,
} from "../../lib/auth/tokens.ts";
import { Revocations } from "../../lib/auth/revocations.ts";
import { MemoryStore } from "../../lib/store/kv.ts";

const settings: TokenSettings = {
  secret: "unit-test-secret-unit-test-secret",
  issuer: "douyin-mall",
  audience: "douyin-mall-api",
  accessTtlSeconds: 900,
};

describe("passwords", () => {
  it("hashes with argon2id at OWASP's minimum or stronger", async () => {
    const hash = await hashPassword("correct horse battery");
    assert.match(hash, /^\$argon2id\$/);
    const param = (name: string) => Number(new RegExp(`[$,]${name}=(\\d+)`).exec(hash)![1]);
    assert.ok(param("m") >= 19_456);
    assert.ok(param("t") >= 2);
    assert.equal(param("p"), 1);
  });

  it("verifies the right password only, and never throws on a bad hash", async () => {
    const hash = await hashPassword("correct horse battery");
    assert.equal(await verifyPassword(hash, "correct horse battery"), true);
    assert.equal(await verifyPassword(hash, "wrong"), false);
    assert.equal(await verifyPassword("not-a-hash", "x"), false);
  });

  it("enforces the policy", () => {
    assert.ok(passwordProblem("short"));
    assert.ok(passwordProblem("        "));
    assert.ok(passwordProblem("x".repeat(129)));
    assert.equal(passwordProblem("long enough"), undefined);
  });
});

describe("common passwords (NIST SP 800-63B)", () => {
  it("are refused whatever their case, and long unusual ones are not", () => {
    for (const p of ["password", "12345678", "Password", "QWERTYUIOP", "iloveyou", "password1"]) {
      assert.equal(tooCommon(p), true, p);
    }
    for (const p of ["long-enough-password", "correct-horse-battery", "7ZtqP!x9-wv"]) {
      assert.equal(tooCommon(p), false, p);
    }
  });
});

describe("the refresh grace", () => {
  it("keeps the successor pair sealed: only the rotated token opens it, and not for long", async () => {
    const store = new MemoryStore();
    const pair = { accessToken: "a", refreshToken: "r2", expiresIn: 900 };
    await keepSuccessor(store, "r1", pair, 50);
    assert.deepEqual(await successorOf(store, "r1"), pair);
    assert.equal(await successorOf(store, "r0"), null, "another token finds nothing");
    const { data } = store as unknown as { data: Map<string, unknown> };
    const [stored] = await store.mget([...data.keys()]);
    assert.ok(stored && !stored.includes("r2"), "the store holds no token in clear");
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(await successorOf(store, "r1"), null, "gone after the grace");
    await store.close();
  });

  it("lets the loser of two concurrent rotations wait for the winner's pair", async () => {
    const store = new MemoryStore();
    setTimeout(() => void keepSuccessor(store, "r1", { refreshToken: "r2" }, 1_000), 60);
    assert.deepEqual(await awaitSuccessor(store, "r1"), { refreshToken: "r2" });
    await store.close();
  });
});

describe("access tokens", () => {
  it("round-trips the claims", () => {
    const token = signAccessToken(settings, { id: "42", role: "merchant" }, "sess-1");
    const claims = verifyAccessToken(settings, token)!;
    assert.equal(claims.userId, "42");
    assert.equal(claims.role, "merchant");
    assert.equal(claims.sessionId, "sess-1");
    assert.equal(claims.expiresAt - claims.issuedAt, 900);
  });

  it("rejects other algorithms, secrets, issuers, audiences and expired tokens", () => {
    const base = {
      subject: "1",
      issuer: settings.issuer,
      audience: settings.audience,
      expiresIn: 60,
    };
    const bad = [
      jwt.sign({ role: "admin", sid: "s" }, settings.secret, { ...base, algorithm: "HS384" }),
      jwt.sign({ role: "admin", sid: "s" }, "another-secret", { ...base, algorithm: "HS256" }),
      jwt.sign({ role: "admin", sid: "s" }, settings.secret, {
        ...base,
        issuer: "x",
        algorithm: "HS256",
      }),
      jwt.sign({ role: "admin", sid: "s" }, settings.secret, {
        ...base,
        audience: "x",
        algorithm: "HS256",
      }),
      jwt.sign({ role: "admin", sid: "s", exp: 1 }, settings.secret, {
        subject: "1",
        issuer: settings.issuer,
        audience: settings.audience,
        algorithm: "HS256",
      }),
      jwt.sign({ role: "root", sid: "s" }, settings.secret, { ...base, algorithm: "HS256" }),
      "a.b.c",
    ];
    for (const token of bad) assert.equal(verifyAccessToken(settings, token), undefined, token);
    const good = jwt.sign({ role: "admin", sid: "s" }, settings.secret, {
      ...base,
      algorithm: "HS256",
    });
    assert.ok(verifyAccessToken(settings, good));
  });
});

describe("refresh tokens", () => {
  it("are random and stored only as a hash", () => {
    const a = newRefreshToken();
    const b = newRefreshToken();
    assert.notEqual(a, b);
    assert.ok(a.length > 40);
    assert.match(hashRefreshToken(a), /^[0-9a-f]{64}$/);
    assert.notEqual(hashRefreshToken(a), hashRefreshToken(b));
  });

  it("are judged valid, expired, revoked or reused", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const later = new Date("2026-02-01T00:00:00Z");
    const earlier = new Date("2025-12-01T00:00:00Z");
    assert.equal(judgeRefreshToken(null, now), "unknown");
    assert.equal(
      judgeRefreshToken({ expiresAt: later, rotatedAt: null, revokedAt: null }, now),
      "valid",
    );
    assert.equal(
      judgeRefreshToken({ expiresAt: earlier, rotatedAt: null, revokedAt: null }, now),
      "expired",
    );
    assert.equal(
      judgeRefreshToken({ expiresAt: later, rotatedAt: earlier, revokedAt: null }, now),
      "reused",
    );
    assert.equal(
      judgeRefreshToken({ expiresAt: later, rotatedAt: null, revokedAt: earlier }, now),
      "revoked",
    );
  });
});

describe("revocations", () => {
  it("revoke a session's tokens and a user's earlier tokens", async () => {
    const store = new MemoryStore();
    const r = new Revocations(store, 900);
    const claims = {
      userId: "7",
      role: "customer" as const,
      sessionId: "s1",
      issuedAt: 1000,
      expiresAt: 1900,
    };
    assert.equal(await r.isRevoked(claims), false);
    await r.revokeSession("s1");
    assert.equal(await r.isRevoked(claims), true);
    assert.equal(await r.isRevoked({ ...claims, sessionId: "s2" }), false);
    await r.revokeUser("7", 1_500_000);
    assert.equal(await r.isRevoked({ ...claims, sessionId: "s2" }), true);
    assert.equal(await r.isRevoked({ ...claims, sessionId: "s2", issuedAt: 1501 }), false);
    await store.close();
  });
});
