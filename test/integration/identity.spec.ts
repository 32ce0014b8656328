/**
 * Identity through HTTP, in the embedded mode and in cluster mode (two gateway nodes and a
 * users node on separate brokers over NATS, MariaDB, Redis).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import { setTimeout as sleep } from "node:timers/promises";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { call, client, loginAdmin, registerUser, uniqueEmail } from "../helpers/http.ts";

const modes = await testModes();
const GRACE_S = 2;
const pastTheGrace = () => sleep(GRACE_S * 1000 + 300);

function withoutExpiry(opts: jwt.SignOptions): jwt.SignOptions {
  const { expiresIn: _drop, ...rest } = opts;
  return rest;
}

for (const mode of modes) {
  describe(`identity (${mode} mode)`, () => {
    let shop: TestShop;
    before(async () => {
      // A short refresh grace, so the tests can step past it.
      shop = await startShop(mode, { env: { REFRESH_REUSE_GRACE_SECONDS: String(GRACE_S) } });
    });
    after(async () => {
      await shop?.stop();
    });

    describe("POST /api/auth/register", () => {
      it("creates a customer and returns a session without the password hash", async () => {
        const email = uniqueEmail("reg");
        const res = await client(shop.url).post("/api/auth/register", {
          email: email.toUpperCase(),
          password: "long-enough-password",
          name: "Ada",
        });
        assert.equal(res.status, 201);
        assert.equal(res.body.user.email, email.toLowerCase());
        assert.equal(res.body.user.role, "customer");
        assert.equal(res.body.user.name, "Ada");
        assert.equal(typeof res.body.user.id, "string");
        assert.equal(typeof res.body.accessToken, "string");
        assert.match(res.body.refreshToken, /^rt_/);
        assert.equal(res.body.expiresIn, 900);
        assert.ok(!JSON.stringify(res.body).includes("argon2"), "no password hash leaks");
      });

      it("answers 409 EMAIL_TAKEN for an email already registered, whatever its case", async () => {
        const u = await registerUser(shop.url);
        const res = await client(shop.url).post("/api/auth/register", {
          email: u.email.toUpperCase(),
          password: "another-password",
        });
        assert.equal(res.status, 409);
        assert.equal(res.body.type, "EMAIL_TAKEN");
        assert.equal(res.body.code, 409);
      });

      const badBodies: Array<[string, unknown, string]> = [
        ["missing email", { password: "long-enough-password" }, "email"],
        ["missing password", { email: "x@example.com" }, "password"],
        ["email of the wrong type", { email: 42, password: "long-enough-password" }, "email"],
        ["password of the wrong type", { email: "y@example.com", password: 12345678 }, "password"],
        ["a malformed email", { email: "not-an-email", password: "long-enough-password" }, "email"],
        ["a short password", { email: "z@example.com", password: "short" }, "password"],
        [
          "an over-long name",
          { email: "n@example.com", password: "long-enough-password", name: "x".repeat(101) },
          "name",
        ],
        [
          "an over-long email",
          { email: "a".repeat(250) + "@example.com", password: "long-enough-password" },
          "email",
        ],
        [
          "an unknown field",
          { email: "u@example.com", password: "long-enough-password", nickname: "u" },
          "",
        ],
        [
          "a role (never granted by the client)",
          { email: "r@example.com", password: "long-enough-password", role: "admin" },
          "",
        ],
      ];
      for (const [what, body, field] of badBodies) {
        it(`rejects ${what} with 422 and a field-level message`, async () => {
          const res = await client(shop.url).post("/api/auth/register", body);
          assert.equal(res.status, 422, JSON.stringify(res.body));
          assert.equal(res.body.type, "VALIDATION_ERROR");
          assert.ok(Array.isArray(res.body.data) && res.body.data.length > 0);
          const fields = res.body.data.map((d: { field?: string }) => d.field ?? "");
          assert.ok(
            fields.includes(field),
            `expected a message about "${field}": ${JSON.stringify(res.body.data)}`,
          );
          for (const d of res.body.data) assert.equal(typeof d.message, "string");
          assert.ok(!("stack" in res.body));
        });
      }

      it("refuses a common password, whatever its case, with 422 PASSWORD_TOO_COMMON", async () => {
        for (const password of ["password", "12345678", "Password1", "qwertyuiop"]) {
          const res = await client(shop.url).post("/api/auth/register", {
            email: uniqueEmail(),
            password,
          });
          assert.equal(res.status, 422, `${password}: ${JSON.stringify(res.body)}`);
          assert.equal(res.body.type, "PASSWORD_TOO_COMMON");
          assert.equal(res.body.data[0].field, "password");
        }
      });

      it("finds the account whatever the spelling of its email (spaces, case, Unicode form)", async () => {
        const local = `ame\u0301lie-${Date.now()}`;
        const email = `${local}@example.com`;
        const created = await client(shop.url).post("/api/auth/register", {
          email: ` ${email.toUpperCase()}`,
          password: "long-enough-password",
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const stored = created.body.user.email;
        assert.equal(stored, email.normalize("NFC"));
        const dup = await client(shop.url).post("/api/auth/register", {
          email: email.normalize("NFC"),
          password: "long-enough-password",
        });
        assert.equal(dup.status, 409);
        for (const spelling of [`  ${email}`, `${email.normalize("NFC")} `, email.toUpperCase()]) {
          const res = await client(shop.url).post("/api/auth/login", {
            email: spelling,
            password: "long-enough-password",
          });
          assert.equal(res.status, 200, `${JSON.stringify(spelling)}: ${JSON.stringify(res.body)}`);
        }
        // Text never carries control characters (API.md): a tab or a newline is 422, not a login.
        for (const spelling of [`\t${email}`, `${email}\n`]) {
          const res = await client(shop.url).post("/api/auth/login", {
            email: spelling,
            password: "long-enough-password",
          });
          assert.equal(res.status, 422, `${JSON.stringify(spelling)}: ${JSON.stringify(res.body)}`);
        }
      });

      it("never creates an admin from a role in the body", async () => {
        const email = uniqueEmail("role");
        await client(shop.url).post("/api/auth/register", {
          email,
          password: "long-enough-password",
          role: "admin",
        });
        const login = await client(shop.url).post("/api/auth/login", {
          email,
          password: "long-enough-password",
        });
        assert.equal(login.status, 401, "the rejected registration created no account");
      });

      it("answers 400 INVALID_JSON for a malformed body", async () => {
        const res = await call(shop.url, "POST", "/api/auth/register", undefined, {
          raw: "{bad json",
        });
        assert.equal(res.status, 400);
        assert.equal(res.body.type, "INVALID_JSON");
      });

      it("answers 413 for a body over 1 MiB", async () => {
        const raw = JSON.stringify({ email: "big@example.com", password: "x".repeat(1_100_000) });
        const res = await call(shop.url, "POST", "/api/auth/register", undefined, { raw });
        assert.equal(res.status, 413);
        assert.equal(res.body.type, "PAYLOAD_TOO_LARGE");
      });
    });

    describe("POST /api/auth/login", () => {
      it("logs in with the right password", async () => {
        const u = await registerUser(shop.url);
        const res = await client(shop.url).post("/api/auth/login", {
          email: u.email,
          password: u.password,
        });
        assert.equal(res.status, 200);
        assert.equal(res.body.user.id, u.user.id);
        const me = await client(shop.url, res.body.accessToken).get("/api/users/me");
        assert.equal(me.status, 200);
        assert.deepEqual(Object.keys(me.body).sort(), ["createdAt", "email", "id", "name", "role"]);
      });

      it("gives the same 401 for a wrong password and an unknown email", async () => {
        const u = await registerUser(shop.url);
        const wrong = await client(shop.url).post("/api/auth/login", {
          email: u.email,
          password: "wrong-password",
        });
        const unknown = await client(shop.url).post("/api/auth/login", {
          email: uniqueEmail("nobody"),
          password: "wrong-password",
        });
        assert.equal(wrong.status, 401);
        assert.equal(unknown.status, 401);
        assert.deepEqual(wrong.body, unknown.body);
      });
    });

    describe("access tokens", () => {
      it("rejects a protected route without a token", async () => {
        const res = await client(shop.url).get("/api/users/me");
        assert.equal(res.status, 401);
        assert.equal(res.body.type, "UNAUTHORIZED");
      });

      const forge = (claims: object, secret: string, opts: jwt.SignOptions) =>
        jwt.sign({ role: "admin", sid: "forged", ...claims }, secret, opts);

      it("rejects JWT attacks with 401", async () => {
        const u = await registerUser(shop.url);
        const secret = shop.env.JWT_SECRET;
        const good: jwt.SignOptions = {
          algorithm: "HS256",
          subject: u.user.id,
          issuer: "douyin-mall",
          audience: "douyin-mall-api",
          expiresIn: 600,
        };
        const [header, payload] = u.accessToken.split(".");
        const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
        const attacks: Record<string, string> = {
          "alg none": `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims, role: "admin" })}.`,
          "tampered payload": `${header}.${b64({ ...claims, role: "admin" })}.${u.accessToken.split(".")[2]}`,
          "another secret": forge({}, "some-other-secret-of-sufficient-length", good),
          expired: forge({ exp: Math.floor(Date.now() / 1000) - 10 }, secret, withoutExpiry(good)),
          "wrong issuer": forge({}, secret, { ...good, issuer: "evil" }),
          "wrong audience": forge({}, secret, { ...good, audience: "other-api" }),
          "HS512 instead of the pinned HS256": forge({}, secret, { ...good, algorithm: "HS512" }),
          garbage: "not.a.jwt",
        };
        for (const [name, token] of Object.entries(attacks)) {
          const res = await client(shop.url, token).get("/api/users/me");
          assert.equal(res.status, 401, `${name} must be rejected`);
        }
        // The same secret and claims, done right, is accepted: the attacks failed for their flaw.
        const honest = forge({ role: "customer", sid: "honest" }, secret, good);
        assert.equal((await client(shop.url, honest).get("/api/users/me")).status, 200);
      });
    });

    describe("refresh tokens", () => {
      it("rotates: the new pair works and the old refresh token is dead", async () => {
        const u = await registerUser(shop.url);
        const first = await client(shop.url).post("/api/auth/refresh", {
          refreshToken: u.refreshToken,
        });
        assert.equal(first.status, 200);
        assert.notEqual(first.body.refreshToken, u.refreshToken);
        assert.equal(
          (await client(shop.url, first.body.accessToken).get("/api/users/me")).status,
          200,
        );
        await pastTheGrace();
        const again = await client(shop.url).post("/api/auth/refresh", {
          refreshToken: u.refreshToken,
        });
        assert.equal(again.status, 401);
      });

      it("revokes the whole family when a rotated token is reused", async () => {
        const u = await registerUser(shop.url);
        const next = await client(shop.url).post("/api/auth/refresh", {
          refreshToken: u.refreshToken,
        });
        assert.equal(next.status, 200);
        await pastTheGrace();
        // An attacker replays the stolen, already-rotated token...
        assert.equal(
          (await client(shop.url).post("/api/auth/refresh", { refreshToken: u.refreshToken }))
            .status,
          401,
        );
        // ...and the legitimate holder's newer tokens die with the family.
        const legit = await client(shop.url).post("/api/auth/refresh", {
          refreshToken: next.body.refreshToken,
        });
        assert.equal(legit.status, 401);
        for (const url of shop.urls) {
          assert.equal((await client(url, next.body.accessToken).get("/api/users/me")).status, 401);
        }
        // Another session of the same user is untouched.
        const other = await client(shop.url).post("/api/auth/login", {
          email: u.email,
          password: u.password,
        });
        assert.equal(
          (await client(shop.url, other.body.accessToken).get("/api/users/me")).status,
          200,
        );
      });

      it("gives two tabs refreshing at once the same new pair, and keeps the session", async () => {
        const u = await registerUser(shop.url);
        const tabs = await Promise.all(
          shop.urls
            .flatMap((url) => [url, url])
            .map((url) => client(url).post("/api/auth/refresh", { refreshToken: u.refreshToken })),
        );
        for (const tab of tabs) assert.equal(tab.status, 200, JSON.stringify(tab.body));
        assert.equal(new Set(tabs.map((t) => t.body.refreshToken)).size, 1, "one new pair");
        assert.equal(new Set(tabs.map((t) => t.body.accessToken)).size, 1);
        // Presented again within the grace, the old token still gets that pair.
        const late = await client(shop.url).post("/api/auth/refresh", {
          refreshToken: u.refreshToken,
        });
        assert.equal(late.status, 200);
        assert.equal(late.body.refreshToken, tabs[0].body.refreshToken);
        // The family lives on: the new pair works and rotates.
        const me = await client(shop.url, tabs[0].body.accessToken).get("/api/users/me");
        assert.equal(me.status, 200);
        const next = await client(shop.url).post("/api/auth/refresh", {
          refreshToken: tabs[0].body.refreshToken,
        });
        assert.equal(next.status, 200);
        // Past the grace, the old token is a reuse again: the family is revoked.
        await pastTheGrace();
        const reuse = await client(shop.url).post("/api/auth/refresh", {
          refreshToken: u.refreshToken,
        });
        assert.equal(reuse.status, 401);
        const after = await client(shop.url).post("/api/auth/refresh", {
          refreshToken: next.body.refreshToken,
        });
        assert.equal(after.status, 401);
      });

      it("rejects an unknown refresh token", async () => {
        const res = await client(shop.url).post("/api/auth/refresh", { refreshToken: "rt_nope" });
        assert.equal(res.status, 401);
      });
    });

    describe("POST /api/auth/logout", () => {
      it("kills the access and refresh token at once on every gateway node", async () => {
        const u = await registerUser(shop.url);
        for (const url of shop.urls) {
          assert.equal((await client(url, u.accessToken).get("/api/users/me")).status, 200);
        }
        const out = await client(shop.urls[0], u.accessToken).post("/api/auth/logout");
        assert.equal(out.status, 204);
        for (const url of shop.urls) {
          assert.equal((await client(url, u.accessToken).get("/api/users/me")).status, 401, url);
        }
        const refresh = await client(shop.urls.at(-1)!).post("/api/auth/refresh", {
          refreshToken: u.refreshToken,
        });
        assert.equal(refresh.status, 401);
      });
    });

    describe("/api/users/me", () => {
      it("changes the name", async () => {
        const u = await registerUser(shop.url);
        const res = await client(shop.url, u.accessToken).patch("/api/users/me", { name: "Grace" });
        assert.equal(res.status, 200);
        assert.equal(res.body.name, "Grace");
      });

      it("needs the right current password to change the password", async () => {
        const u = await registerUser(shop.url);
        const api = client(shop.url, u.accessToken);
        const missing = await api.patch("/api/users/me", { password: "a-brand-new-password" });
        assert.equal(missing.status, 422);
        assert.equal(missing.body.data[0].field, "currentPassword");
        const wrong = await api.patch("/api/users/me", {
          password: "a-brand-new-password",
          currentPassword: "not-it-at-all",
        });
        assert.equal(wrong.status, 422);
        const ok = await api.patch("/api/users/me", {
          password: "a-brand-new-password",
          currentPassword: u.password,
        });
        assert.equal(ok.status, 200);
        const oldLogin = await client(shop.url).post("/api/auth/login", {
          email: u.email,
          password: u.password,
        });
        assert.equal(oldLogin.status, 401);
        const newLogin = await client(shop.url).post("/api/auth/login", {
          email: u.email,
          password: "a-brand-new-password",
        });
        assert.equal(newLogin.status, 200);
      });

      it("refuses a common new password with 422 PASSWORD_TOO_COMMON", async () => {
        const u = await registerUser(shop.url);
        const res = await client(shop.url, u.accessToken).patch("/api/users/me", {
          password: "iloveyou",
          currentPassword: u.password,
        });
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.equal(res.body.type, "PASSWORD_TOO_COMMON");
      });

      it("rejects role and unknown fields in a profile change", async () => {
        const u = await registerUser(shop.url);
        const res = await client(shop.url, u.accessToken).patch("/api/users/me", { role: "admin" });
        assert.equal(res.status, 422);
        const me = await client(shop.url, u.accessToken).get("/api/users/me");
        assert.equal(me.body.role, "customer");
      });

      it("deletes the account; its tokens stop working on every node", async () => {
        const u = await registerUser(shop.url);
        const res = await client(shop.url, u.accessToken).delete("/api/users/me");
        assert.equal(res.status, 204);
        for (const url of shop.urls) {
          assert.equal((await client(url, u.accessToken).get("/api/users/me")).status, 401);
        }
        assert.equal(
          (await client(shop.url).post("/api/auth/refresh", { refreshToken: u.refreshToken }))
            .status,
          401,
        );
        const login = await client(shop.url).post("/api/auth/login", {
          email: u.email,
          password: u.password,
        });
        assert.equal(login.status, 401);
      });
    });

    describe("administration of users", () => {
      it("bootstraps the admin from ADMIN_EMAIL/ADMIN_PASSWORD", async () => {
        const admin = await loginAdmin(shop.url, ADMIN);
        const me = await client(shop.url, admin.accessToken).get("/api/users/me");
        assert.equal(me.body.role, "admin");
      });

      it("finds a user by email as it is stored, however the admin types it", async () => {
        // Registered with a decomposed "é" (e + U+0301), searched for in either form.
        const email = `rene\u0301-${Date.now()}@example.com`;
        const created = await client(shop.url).post("/api/auth/register", {
          email,
          password: "long-enough-password",
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const admin = await loginAdmin(shop.url, ADMIN);
        for (const typed of [` ${email.normalize("NFC").toUpperCase()}  `, email]) {
          const q = encodeURIComponent(typed);
          const res = await client(shop.url, admin.accessToken).get(`/api/admin/users?q=${q}`);
          assert.equal(res.status, 200, JSON.stringify(res.body));
          assert.deepEqual(
            res.body.rows.map((r: { id: string }) => r.id),
            [created.body.user.id],
            JSON.stringify(typed),
          );
        }
      });

      it("forbids customers from admin routes (403) and anonymous callers (401)", async () => {
        const u = await registerUser(shop.url);
        assert.equal((await client(shop.url, u.accessToken).get("/api/admin/users")).status, 403);
        assert.equal((await client(shop.url).get("/api/admin/users")).status, 401);
      });

      it("lets an admin make a merchant; the user's old tokens stop and a new login carries the role", async () => {
        const u = await registerUser(shop.url);
        const admin = await loginAdmin(shop.url, ADMIN);
        const set = await client(shop.url, admin.accessToken).patch(
          `/api/admin/users/${u.user.id}`,
          {
            role: "merchant",
          },
        );
        assert.equal(set.status, 200);
        assert.equal(set.body.role, "merchant");
        assert.equal((await client(shop.url, u.accessToken).get("/api/users/me")).status, 401);
        const login = await client(shop.url).post("/api/auth/login", {
          email: u.email,
          password: u.password,
        });
        assert.equal(login.body.user.role, "merchant");
        const list = await client(shop.url, admin.accessToken).get(
          `/api/admin/users?q=${encodeURIComponent(u.email)}`,
        );
        assert.equal(list.status, 200);
        assert.equal(list.body.total, 1);
        assert.equal(list.body.rows[0].role, "merchant");
      });

      it("answers 404 for an unknown user and 422 for an unknown role", async () => {
        const admin = await loginAdmin(shop.url, ADMIN);
        const api = client(shop.url, admin.accessToken);
        assert.equal(
          (await api.patch("/api/admin/users/999999999", { role: "merchant" })).status,
          404,
        );
        const u = await registerUser(shop.url);
        assert.equal(
          (await api.patch(`/api/admin/users/${u.user.id}`, { role: "god" })).status,
          422,
        );
      });
    });

    describe("operations", () => {
      it("answers health and readiness", async () => {
        for (const url of shop.urls) {
          assert.deepEqual((await client(url).get("/api/health")).body, { status: "ok" });
          const ready = await client(url).get("/api/ready");
          assert.equal(ready.status, 200, JSON.stringify(ready.body));
          assert.deepEqual(ready.body.checks, {
            database: "ok",
            cache: "ok",
            transporter: "ok",
            access: "ok",
            services: "ok",
          });
        }
      });

      it("answers 404 in the error shape for an unknown route", async () => {
        const res = await client(shop.url).get("/api/no-such-route");
        assert.equal(res.status, 404);
        assert.equal(res.body.type, "NOT_FOUND");
        assert.equal(res.body.code, 404);
      });

      it("serves the web app for a deep link, and JSON 404s under /api", async () => {
        const page = await fetch(shop.url + "/orders/12", { headers: { accept: "text/html" } });
        assert.equal(page.status, 200);
        assert.match(page.headers.get("content-type") ?? "", /text\/html/);
        const api = await fetch(shop.url + "/api/orders-nope", {
          headers: { accept: "text/html" },
        });
        assert.equal(api.status, 404);
        assert.equal(((await api.json()) as { type: string }).type, "NOT_FOUND");
        const file = await fetch(shop.url + "/missing.js");
        assert.equal(file.status, 404);
      });

      it("serves the front page", async () => {
        const res = await fetch(shop.url + "/");
        assert.equal(res.status, 200);
        assert.match(await res.text(), /Douyin mall|<div id="root"|<div id="app"/i);
      });
    });
  });
}
