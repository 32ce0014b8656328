/**
 * Access control at the gateway: the Casbin policy changed at run time, the login whitelist,
 * bans and blocked addresses applied on every gateway node at once, and the rate limits counted
 * together by all gateways. Embedded mode and cluster mode (two gateway nodes).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { callFrom, client, eventually, loginAdmin, registerUser } from "../helpers/http.ts";

const modes = await testModes();

for (const mode of modes) {
  describe(`governance (${mode} mode)`, () => {
    let shop: TestShop;
    let adminToken: string;
    const first = () => shop.urls[0];
    const last = () => shop.urls[shop.urls.length - 1];

    before(async () => {
      shop = await startShop(mode);
      adminToken = (await loginAdmin(shop.url, ADMIN)).accessToken;
    });
    after(async () => {
      await shop?.stop();
    });

    describe("the Casbin policy", () => {
      it("applies a rule added through one gateway on the other within a second", async () => {
        const u = await registerUser(first());
        assert.equal((await client(last(), u.accessToken).get("/api/admin/users")).status, 403);
        const rule = ["p", "customer", "/api/admin/users", "GET"];
        const added = await client(first(), adminToken).post("/api/admin/access/policy", { rule });
        assert.equal(added.status, 200, JSON.stringify(added.body));
        assert.ok(added.body.rules.some((r: string[]) => r.join() === rule.join()));
        const took = await eventually(
          async () => (await client(last(), u.accessToken).get("/api/admin/users")).status === 200,
          3_000,
        );
        assert.ok(took < 1_500, `applied in ${took} ms`);
        const removed = await client(last(), adminToken).post("/api/admin/access/policy/remove", {
          rule,
        });
        assert.equal(removed.status, 200);
        await eventually(
          async () => (await client(first(), u.accessToken).get("/api/admin/users")).status === 403,
          3_000,
        );
      });

      it("rejects malformed rules with 422", async () => {
        const api = client(first(), adminToken);
        for (const rule of [
          ["x", "a", "b"],
          ["p", "customer", "no-slash", "GET"],
          ["p", "a", "/b", "FETCH"],
        ]) {
          const res = await api.post("/api/admin/access/policy", { rule });
          assert.equal(res.status, 422, JSON.stringify(rule));
        }
      });

      it("lets only admins read or change the policy", async () => {
        const u = await registerUser(first());
        assert.equal(
          (await client(first(), u.accessToken).get("/api/admin/access/policy")).status,
          403,
        );
        const rule = ["p", "customer", "/api/admin/*", "*"];
        assert.equal(
          (await client(first(), u.accessToken).post("/api/admin/access/policy", { rule })).status,
          403,
        );
        assert.equal((await client(first()).get("/api/admin/access")).status, 401);
      });
    });

    describe("the whitelist", () => {
      it("lets anonymous callers reach whitelisted routes only", async () => {
        assert.equal((await client(first()).get("/api/health")).status, 200);
        assert.equal((await client(first()).get("/api/users/me")).status, 401);
        const overview = await client(first(), adminToken).get("/api/admin/access");
        assert.equal(overview.status, 200);
        assert.ok(overview.body.whitelist.includes("POST /api/auth/login"));
      });

      it("ignores a bad token on a whitelisted route", async () => {
        assert.equal((await client(first(), "garbage").get("/api/health")).status, 200);
      });
    });

    describe("banned users", () => {
      it("get 403 USER_BANNED on their next call on every node, cannot log in, and come back when unbanned", async () => {
        const u = await registerUser(first());
        assert.equal((await client(last(), u.accessToken).get("/api/users/me")).status, 200);
        const ban = await client(first(), adminToken).put(
          `/api/admin/access/blacklist/users/${u.user.id}`,
        );
        assert.equal(ban.status, 200, JSON.stringify(ban.body));
        await eventually(async () => {
          const results = await Promise.all(
            shop.urls.map((url) => client(url, u.accessToken).get("/api/users/me")),
          );
          return results.every((r) => r.status === 403 && r.body.type === "USER_BANNED");
        }, 1_500);
        const login = await client(last()).post("/api/auth/login", {
          email: u.email,
          password: u.password,
        });
        assert.equal(login.status, 403);
        assert.equal(login.body.type, "USER_BANNED");
        assert.equal(login.body.accessToken, undefined);
        const overview = await client(first(), adminToken).get("/api/admin/access");
        assert.ok(overview.body.blacklist.users.includes(u.user.id));

        const unban = await client(last(), adminToken).delete(
          `/api/admin/access/blacklist/users/${u.user.id}`,
        );
        assert.equal(unban.status, 200);
        await eventually(
          async () =>
            (
              await client(first()).post("/api/auth/login", {
                email: u.email,
                password: u.password,
              })
            ).status === 200,
          1_500,
        );
        // The ban ended the sessions it found: the old tokens stay dead.
        assert.equal((await client(first(), u.accessToken).get("/api/users/me")).status, 401);
        assert.equal(
          (await client(first()).post("/api/auth/refresh", { refreshToken: u.refreshToken }))
            .status,
          401,
        );
      });

      it("answers 404 for an unknown user and 422 for banning yourself", async () => {
        const api = client(first(), adminToken);
        assert.equal((await api.put("/api/admin/access/blacklist/users/987654321")).status, 404);
        const me = await api.get("/api/users/me");
        assert.equal(
          (await api.put(`/api/admin/access/blacklist/users/${me.body.id}`)).status,
          422,
        );
      });
    });

    describe("blocked addresses", () => {
      it("get 403 on every route, the web app included, on every node", async () => {
        const api = client(first(), adminToken);
        const block = await api.put(
          `/api/admin/access/blacklist/ips/${encodeURIComponent("127.0.0.2")}`,
        );
        assert.equal(block.status, 200, JSON.stringify(block.body));
        assert.equal(block.body.ip, "127.0.0.2/32");
        const range = await api.put(
          `/api/admin/access/blacklist/ips/${encodeURIComponent("127.0.0.128/25")}`,
        );
        assert.equal(range.status, 200);
        await eventually(async () => {
          const results = await Promise.all(
            shop.urls.flatMap((url) => [
              callFrom("127.0.0.2", url, "GET", "/api/health"),
              callFrom("127.0.0.200", url, "GET", "/"),
              callFrom("127.0.0.200", url, "POST", "/api/auth/login", {
                email: "a@b.c",
                password: "x",
              }),
            ]),
          );
          return results.every((r) => r.status === 403 && r.body.type === "IP_BLOCKED");
        }, 1_500);
        assert.equal((await callFrom("127.0.0.3", first(), "GET", "/api/health")).status, 200);
        assert.equal((await client(first()).get("/api/health")).status, 200);

        await api.delete(`/api/admin/access/blacklist/ips/${encodeURIComponent("127.0.0.2")}`);
        await api.delete(`/api/admin/access/blacklist/ips/${encodeURIComponent("127.0.0.128/25")}`);
        await eventually(
          async () => (await callFrom("127.0.0.2", last(), "GET", "/api/health")).status === 200,
          1_500,
        );
      });

      it("rejects what is not an address", async () => {
        const res = await client(first(), adminToken).put(
          "/api/admin/access/blacklist/ips/not-an-ip",
        );
        assert.equal(res.status, 422);
      });
    });
  });

  describe(`rate limits (${mode} mode)`, () => {
    let shop: TestShop;
    before(async () => {
      shop = await startShop(mode, {
        env: {
          RATE_LIMIT_GLOBAL: "40/60",
          RATE_LIMIT_LOGIN: "3/60",
          RATE_LIMIT_REGISTER: "1000/60",
        },
      });
    });
    after(async () => {
      await shop?.stop();
    });

    it("limits login attempts per account across all gateway nodes", async () => {
      const u = await registerUser(shop.url);
      const attempt = (url: string) =>
        callFrom("127.0.0.4", url, "POST", "/api/auth/login", {
          email: u.email,
          password: "wrong-password",
        });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await attempt(shop.urls[i % shop.urls.length])).status);
      assert.deepEqual(statuses, [401, 401, 401]);
      const blocked = await attempt(shop.urls[shop.urls.length - 1]);
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body.type, "RATE_LIMITED");
      assert.ok(Number(blocked.headers.get("retry-after")) >= 1);
      assert.equal(blocked.headers.get("x-ratelimit-limit"), "3");
      assert.equal(blocked.headers.get("x-ratelimit-remaining"), "0");
      // Even the right password is refused while the account is limited.
      const right = await callFrom("127.0.0.4", shop.url, "POST", "/api/auth/login", {
        email: u.email,
        password: u.password,
      });
      assert.equal(right.status, 429);
    });

    it("limits every request per address, counted together by all gateways", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 45; i++) {
        const url = shop.urls[i % shop.urls.length];
        statuses.push((await callFrom("127.0.0.5", url, "GET", "/api/health")).status);
      }
      assert.equal(statuses.filter((s) => s === 200).length, 40, statuses.join(","));
      assert.equal(statuses.filter((s) => s === 429).length, 5);
      const limited = await callFrom("127.0.0.5", shop.url, "GET", "/api/health");
      assert.equal(limited.body.type, "RATE_LIMITED");
      assert.ok(Number(limited.headers.get("retry-after")) >= 1);
      // Another address is not affected.
      const other = await callFrom("127.0.0.6", shop.url, "GET", "/api/health");
      assert.equal(other.status, 200);
      assert.equal(other.headers.get("x-ratelimit-limit"), "40");
      assert.equal(other.headers.get("x-ratelimit-remaining"), "39");
    });
  });
}
