/**
 * The shipped default policy reaching running deployments: the merge of a start (a plain
 * function) and the migration that records what databases seeded before it already applied.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueryTypes } from "sequelize";
import { mergeDefaults, ruleKey } from "../../lib/access/defaults.ts";
import { defaultPolicy } from "../../lib/access/policy.ts";
import { connectDatabase, createSequelize } from "../../lib/db.ts";
import { migrations } from "../../lib/migrations/index.ts";

const A = ["p", "customer", "/api/a", "GET"];
const B = ["p", "customer", "/api/b", "POST"];
const G = ["g", "merchant", "customer"];
const ADMINS = ["p", "customer", "/api/own", "GET"];
const keys = (...rules: string[][]) => rules.map(ruleKey);

describe("mergeDefaults", () => {
  it("adds and records every default on a new database", () => {
    assert.deepEqual(mergeDefaults([A, B, G], [], []), { record: [A, B, G], add: [A, B, G] });
  });

  it("adds a default new in this release, and nothing applied before", () => {
    const merge = mergeDefaults([A, B, G], keys(A, G), [A, G, ADMINS]);
    assert.deepEqual(merge, { record: [B], add: [B] });
  });

  it("never brings back a default an admin removed", () => {
    // A was applied once, then removed by an admin: not in the policy, but recorded.
    assert.deepEqual(mergeDefaults([A, B, G], keys(A, B, G), [B, G]), { record: [], add: [] });
  });

  it("only records a new default an admin already added by hand", () => {
    assert.deepEqual(mergeDefaults([A, B], keys(A), [A, B]), { record: [B], add: [] });
  });

  it("never touches rules that are not defaults, and takes a rule listed twice once", () => {
    const merge = mergeDefaults([A, A], [], [ADMINS]);
    assert.deepEqual(merge, { record: [A], add: [A] });
  });

  it("tells rules apart by every part", () => {
    assert.notEqual(ruleKey(["p", "a", "/b", "GET"]), ruleKey(["p", "a", "/b", "POST"]));
    assert.notEqual(ruleKey(["g", "a,b", "c"]), ruleKey(["g", "a", "b,c"]));
    assert.equal(ruleKey(["g", "a", "b"]).length, 64);
  });
});

describe("migration 0013 (defaults applied before it)", () => {
  const index = migrations.findIndex((m) => m.name === "0013-access-policy-defaults");

  async function databaseBefore0013(seeded: boolean) {
    const dir = mkdtempSync(join(tmpdir(), "defaults-"));
    const url = `sqlite:${join(dir, "d.sqlite")}`;
    const sequelize = createSequelize({ url });
    await connectDatabase(sequelize, url);
    const qi = sequelize.getQueryInterface();
    for (const m of migrations.slice(0, index)) await m.up(qi, sequelize);
    if (seeded) {
      await qi.bulkInsert("access_meta", [{ name: "policy-seeded", value: "2026-11-24" }]);
    }
    return {
      sequelize,
      async close() {
        await sequelize.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const appliedKeys = async (db: { sequelize: ReturnType<typeof createSequelize> }) =>
    (
      await db.sequelize.query<{ ruleKey: string }>("SELECT ruleKey FROM access_policy_defaults", {
        type: QueryTypes.SELECT,
      })
    ).map((r) => r.ruleKey);

  it("records the policy seeded before as applied, so only later defaults are added", async () => {
    const db = await databaseBefore0013(true);
    try {
      await migrations[index].up(db.sequelize.getQueryInterface(), db.sequelize);
      const applied = await appliedKeys(db);
      assert.equal(applied.length, 25);
      // A seeded default an admin removed before the upgrade is not added by the next start.
      const seeded = ["p", "customer", "/api/users/me", "*"];
      assert.ok(applied.includes(ruleKey(seeded)));
      const { add } = mergeDefaults(defaultPolicy(), applied, []);
      assert.ok(!add.some((r) => ruleKey(r) === ruleKey(seeded)));
      const tables = await db.sequelize.getQueryInterface().showAllTables();
      assert.ok(!tables.includes("access_meta"), "the old marker's table is gone");
    } finally {
      await db.close();
    }
  });

  it("records nothing on a database never seeded: the first start applies every default", async () => {
    const db = await databaseBefore0013(false);
    try {
      await migrations[index].up(db.sequelize.getQueryInterface(), db.sequelize);
      assert.deepEqual(await appliedKeys(db), []);
    } finally {
      await db.close();
    }
  });

  it("goes down to the marker and back", async () => {
    const db = await databaseBefore0013(true);
    try {
      const qi = db.sequelize.getQueryInterface();
      await migrations[index].up(qi, db.sequelize);
      await migrations[index].down(qi, db.sequelize);
      const marker = await db.sequelize.query("SELECT name FROM access_meta", {
        type: QueryTypes.SELECT,
      });
      assert.equal(marker.length, 1);
      await migrations[index].up(qi, db.sequelize);
      assert.equal((await appliedKeys(db)).length, 25);
    } finally {
      await db.close();
    }
  });
});
