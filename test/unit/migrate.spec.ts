/**
 * Migrations at start: applied once, and a node starting on an up-to-date schema does not load
 * Umzug (it would stay in the node's memory for nothing).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectDatabase, createSequelize } from "../../lib/db.ts";
import { migrate } from "../../lib/migrate.ts";
import { migrations } from "../../lib/migrations/index.ts";

describe("migrate", () => {
  let dir: string;
  let url: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "migrate-"));
    url = `sqlite:${join(dir, "m.sqlite")}`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("applies every migration to a new database, then none", async () => {
    const sequelize = createSequelize({ url });
    try {
      await connectDatabase(sequelize, url);
      assert.deepEqual(
        await migrate(sequelize),
        migrations.map((m) => m.name),
      );
      assert.deepEqual(await migrate(sequelize), []);
    } finally {
      await sequelize.close();
    }
  });

  it("does not load Umzug when the schema is up to date", () => {
    const lib = (file: string) =>
      JSON.stringify(new URL(`../../lib/${file}`, import.meta.url).href);
    // A child process: this one has loaded Umzug in the test above.
    const script = `
      import { registerHooks } from "node:module";
      const loaded = [];
      registerHooks({ resolve(spec, ctx, next) { loaded.push(spec); return next(spec, ctx); } });
      const { connectDatabase, createSequelize } = await import(${lib("db.ts")});
      const { migrate } = await import(${lib("migrate.ts")});
      const sequelize = createSequelize({ url: ${JSON.stringify(url)} });
      await connectDatabase(sequelize, ${JSON.stringify(url)});
      const applied = await migrate(sequelize);
      await sequelize.close();
      console.log(JSON.stringify({ applied, umzug: loaded.filter((s) => s.includes("umzug")) }));
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    const { applied, umzug } = JSON.parse(out.trim().split("\n").pop()!);
    assert.deepEqual(applied, []);
    assert.deepEqual(umzug, []);
  });
});
