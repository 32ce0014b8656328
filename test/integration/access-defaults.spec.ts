/**
 * A default policy rule new in a release reaches a running deployment at its next start, while a
 * default an admin removed stays removed (lib/access/defaults.ts). The database is made to look
 * like one seeded by an older release: the new rule and its record of having been applied are
 * deleted. Embedded mode (one process restarted on the same SQLite file) and cluster mode (the
 * node hosting access restarted while both gateways keep running).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { ALL_SERVICES } from "../../lib/services.ts";
import { applyDefaults, ruleKey } from "../../lib/access/defaults.ts";
import { defineAccessModels } from "../../lib/access/models.ts";
import { defaultPolicy } from "../../lib/access/policy.ts";
import { connectDatabase, createSequelize } from "../../lib/db.ts";
import { migrate } from "../../lib/migrate.ts";
import { clusterInfra, testModes } from "../helpers/infra.ts";
import { ADMIN, gatewayUrl, startShop, type TestShop } from "../helpers/shop.ts";
import { client, eventually, loginAdmin, registerUser } from "../helpers/http.ts";

const modes = await testModes();

/** A default the older release did not have: GET /api/orders needs it. */
const NEW_RULE = ["p", "customer", "/api/orders", "GET"];
/** A default the admin removed: GET /api/users/me needs it. */
const REMOVED_RULE = ["p", "customer", "/api/users/me", "*"];

for (const mode of modes) {
  describe(`default policy rules on restart (${mode} mode)`, () => {
    let shop: TestShop;

    before(async () => {
      shop = await startShop(mode);
    });
    after(async () => {
      await shop?.stop();
    });

    it("adds a new default rule to a running deployment, but never one an admin removed", async () => {
      let urls = shop.urls;
      const admin = (await loginAdmin(shop.url, ADMIN)).accessToken;
      const user = (await registerUser(shop.url)).accessToken;
      assert.equal((await client(shop.url, user).get("/api/orders")).status, 200);
      assert.equal((await client(shop.url, user).get("/api/users/me")).status, 200);

      // The admin removes a default rule.
      const removed = await client(shop.url, admin).post("/api/admin/access/policy/remove", {
        rule: REMOVED_RULE,
      });
      assert.equal(removed.status, 200, JSON.stringify(removed.body));

      // The database of an older release: NEW_RULE was never shipped, so never applied.
      const sequelize = createSequelize({ url: shop.env.DATABASE_URL });
      try {
        const [v0, v1, v2] = NEW_RULE.slice(1);
        await sequelize.query(
          "DELETE FROM access_policy WHERE ptype = 'p' AND v0 = ? AND v1 = ? AND v2 = ?",
          { replacements: [v0, v1, v2] },
        );
        await sequelize.query("DELETE FROM access_policy_defaults WHERE ruleKey = ?", {
          replacements: [ruleKey(NEW_RULE)],
        });
      } finally {
        await sequelize.close();
      }
      // Any change makes the gateways reload the policy: the route needing NEW_RULE is 403.
      const unrelated = { rule: ["p", "merchant", "/api/unrelated", "GET"] };
      assert.equal(
        (await client(shop.url, admin).post("/api/admin/access/policy", unrelated)).status,
        200,
      );
      for (const url of urls) {
        assert.equal((await client(url, user).get("/api/orders")).status, 403, url);
        assert.equal((await client(url, user).get("/api/users/me")).status, 403, url);
      }

      // The new release starts: the node hosting access is restarted on the same database.
      const accessNode = shop.nodes.find((n) => n.broker.getLocalService("access"))!;
      await accessNode.stop();
      if (mode === "embedded") {
        urls = [gatewayUrl(await shop.addNode(ALL_SERVICES))];
      } else {
        await shop.addNode(ALL_SERVICES.filter((s) => s !== "api"));
      }

      for (const url of urls) {
        await eventually(
          async () => (await client(url, user).get("/api/orders")).status === 200,
          30_000,
          200,
        );
        assert.equal((await client(url, user).get("/api/users/me")).status, 403, url);
      }
      const policy = await client(urls[0], admin).get("/api/admin/access/policy");
      assert.equal(policy.status, 200);
      const rules = (policy.body.rules as string[][]).map((r) => r.join());
      assert.ok(rules.includes(NEW_RULE.join()), "the new default is in the policy");
      assert.ok(!rules.includes(REMOVED_RULE.join()), "the removed default stays removed");
      assert.equal(rules.filter((r) => r === NEW_RULE.join()).length, 1);

      // A second restart adds nothing more.
      if (mode === "embedded") {
        await shop.nodes[shop.nodes.length - 1].stop();
        urls = [gatewayUrl(await shop.addNode(ALL_SERVICES))];
      }
      const again = await client(urls[0], admin).get("/api/admin/access/policy");
      assert.equal(again.body.rules.length, policy.body.rules.length);
    });
  });
}

/** A new empty database of the mode, migrated; and how to drop it. */
async function freshDatabase(mode: "embedded" | "cluster") {
  let url: string;
  let drop: () => Promise<void>;
  if (mode === "embedded") {
    const dir = mkdtempSync(join(tmpdir(), "defaults-race-"));
    url = `sqlite:${join(dir, "d.sqlite")}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const adminUrl = clusterInfra().mysqlAdminUrl;
    const database = `shop_test_${randomBytes(4).toString("hex")}`;
    const admin = await mysql.createConnection(adminUrl);
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
    await admin.end();
    url = `${adminUrl.replace(/\/[^/]*$/, "")}/${database}`;
    drop = async () => {
      const c = await mysql.createConnection(adminUrl);
      await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await c.end();
    };
  }
  const first = createSequelize({ url });
  await connectDatabase(first, url);
  await migrate(first);
  await first.close();
  return { url, drop };
}

for (const mode of modes) {
  describe(`default policy rules, access nodes starting at once (${mode} mode)`, () => {
    it("adds each missing default exactly once", async () => {
      const db = await freshDatabase(mode);
      // One connection per access node, as separate processes have.
      const nodes = Array.from({ length: 4 }, () => createSequelize({ url: db.url }));
      try {
        for (const n of nodes) await connectDatabase(n, db.url);
        const models = nodes.map(defineAccessModels);
        const defaults = defaultPolicy();
        const startAll = async () =>
          (await Promise.all(nodes.map((n, i) => applyDefaults(n, models[i], defaults)))).reduce(
            (a, b) => a + b,
            0,
          );

        assert.equal(await startAll(), defaults.length, "the first start adds every default");
        assert.equal(await models[0].PolicyRow.count(), defaults.length);
        assert.equal(await models[0].AppliedDefault.count(), defaults.length);

        // A release with one more default: all nodes restart at once, one of them adds it.
        const [v0, v1, v2] = NEW_RULE.slice(1);
        await models[0].PolicyRow.destroy({ where: { ptype: "p", v0, v1, v2 } });
        await models[0].AppliedDefault.destroy({ where: { ruleKey: ruleKey(NEW_RULE) } });
        assert.equal(await startAll(), 1);
        assert.equal(await models[0].PolicyRow.count({ where: { ptype: "p", v0, v1, v2 } }), 1);
        assert.equal(await models[0].PolicyRow.count(), defaults.length);
        assert.equal(await startAll(), 0);
      } finally {
        await Promise.all(nodes.map((n) => n.close()));
        await db.drop();
      }
    });
  });
}
