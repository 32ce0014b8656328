/**
 * Access control at the gateway: the Casbin policy changed at run time, the login whitelist,
 * bans and blocked addresses applied on every gateway node at once, and the rate limits counted
 * together by all gateways. Embedded mode and cluster mode (two gateway nodes).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { setTimeout as sleep } from "node:timers/promises";
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

      it("is in force on every gateway when adding or removing a rule returns", async () => {
        const u = await registerUser(first());
        const rule = ["p", "customer", "/api/admin/access", "GET"];
        for (let i = 0; i < 20; i++) {
          const [adminUrl, userUrl] = i % 2 === 0 ? [first(), last()] : [last(), first()];
          const admin = client(adminUrl, adminToken);
          assert.equal((await admin.post("/api/admin/access/policy", { rule })).status, 200);
          const allowed = await client(userUrl, u.accessToken).get("/api/admin/access");
          assert.equal(allowed.status, 200, `cycle ${i}: ${JSON.stringify(allowed.body)}`);
          assert.equal((await admin.post("/api/admin/access/policy/remove", { rule })).status, 200);
          const denied = await client(userUrl, u.accessToken).get("/api/admin/access");
          assert.equal(denied.status, 403, `cycle ${i}`);
        }
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

      it("are in force on every gateway when the ban's and the unban's calls return (60 cycles)", async () => {
        const u = await registerUser(first());
        let token = u.accessToken;
        const stale: string[] = [];
        for (let i = 0; i < 60; i++) {
          // The admin's call through one gateway, the user's next request through the other.
          const [adminUrl, userUrl] = i % 2 === 0 ? [first(), last()] : [last(), first()];
          const admin = client(adminUrl, adminToken);
          const path = `/api/admin/access/blacklist/users/${u.user.id}`;
          assert.equal((await admin.put(path)).status, 200);
          const banned = await client(userUrl, token).get("/api/users/me");
          if (banned.body.type !== "USER_BANNED") stale.push(`${i} ban: ${banned.status}`);
          assert.equal((await admin.delete(path)).status, 200);
          const login = await client(userUrl).post("/api/auth/login", {
            email: u.email,
            password: u.password,
          });
          if (login.status !== 200) stale.push(`${i} unban: ${login.status} ${login.body.type}`);
          else token = login.body.accessToken;
        }
        assert.deepEqual(stale, []);
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

      it("are blocked and unblocked on every gateway when the admin's call returns", async () => {
        const ip = "127.0.0.77";
        const path = `/api/admin/access/blacklist/ips/${encodeURIComponent(ip)}`;
        for (let i = 0; i < 5; i++) {
          const admin = client(i % 2 === 0 ? first() : last(), adminToken);
          assert.equal((await admin.put(path)).status, 200);
          for (const url of shop.urls) {
            assert.equal((await callFrom(ip, url, "GET", "/api/health")).status, 403, `${i}`);
          }
          assert.equal((await admin.delete(path)).status, 200);
          for (const url of shop.urls) {
            assert.equal((await callFrom(ip, url, "GET", "/api/health")).status, 200, `${i}`);
          }
        }
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
          RATE_LIMIT_LOGIN_ACCOUNT: "5/900",
          RATE_LIMIT_REGISTER: "1000/60",
        },
      });
    });
    after(async () => {
      await shop?.stop();
    });

    it("limits login attempts per account and address across all gateway nodes", async () => {
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

    it("counts every spelling of the email against the one account", async () => {
      const u = await registerUser(shop.url);
      const from = (email: string, password = "wrong-password") =>
        callFrom("127.0.0.8", shop.urls[shop.urls.length - 1], "POST", "/api/auth/login", {
          email,
          password,
        });
      const statuses: number[] = [];
      for (const email of [u.email, ` ${u.email}`, `\t${u.email.toUpperCase()}`])
        statuses.push((await from(email)).status);
      // The tab makes it 422 (no control characters in text), but it was counted all the same.
      assert.deepEqual(statuses, [401, 401, 422]);
      for (const email of [`${u.email}\n`, `  ${u.email}`]) {
        const limited = await from(email, u.password);
        assert.equal(limited.status, 429, `${JSON.stringify(email)}: ${limited.status}`);
        assert.equal(limited.headers.get("x-ratelimit-remaining"), "0");
      }
    });

    it("does not lock the owner out when others guess the password from many addresses", async () => {
      const u = await registerUser(shop.url);
      const login = (address: string, password: string, url = shop.url) =>
        callFrom(address, url, "POST", "/api/auth/login", { email: u.email, password });
      // The owner has logged in from their address before.
      assert.equal((await login("127.0.0.9", u.password)).status, 200);
      // Guesses from ever new addresses (each far under the per-(account, address) limit),
      // waiting as told: past 5 failures each one doubles the account's wait (1 s, 2 s, 4 s).
      let failures = 0;
      for (let i = 0; failures < 9; i++) {
        const guess = await login(
          `127.0.0.${20 + i}`,
          `guess-${i}`,
          shop.urls[i % shop.urls.length],
        );
        if (guess.status === 401) failures += 1;
        else {
          assert.equal(guess.status, 429, JSON.stringify(guess.body));
          assert.ok(failures >= 5, `slowed down after ${failures} failures only`);
          await sleep(Number(guess.headers.get("retry-after")) * 1000);
        }
      }
      // The owner still gets in from their address, on every gateway...
      for (const url of shop.urls)
        assert.equal((await login("127.0.0.9", u.password, url)).status, 200);
      // ...while an address that never logged in to the account waits, told how long.
      const stranger = await login("127.0.0.40", u.password);
      assert.equal(stranger.status, 429);
      assert.equal(stranger.body.type, "RATE_LIMITED");
      assert.ok(Number(stranger.headers.get("retry-after")) >= 1);
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
