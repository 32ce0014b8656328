/**
 * The database connection on MariaDB/MySQL: what a long-running node keeps per connection.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { DataTypes, QueryTypes, type Sequelize } from "sequelize";
import { testModes } from "../helpers/infra.ts";
import { createTestDatabase } from "../helpers/child-nodes.ts";
import { connectDatabase, createSequelize, MAX_PREPARED_STATEMENTS } from "../../lib/db.ts";

const modes = await testModes();

describe(
  "database connection (MariaDB/MySQL)",
  { skip: !modes.includes("cluster") && "needs MariaDB" },
  () => {
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    let sequelize: Sequelize;

    before(async () => {
      db = await createTestDatabase();
      // One connection: the session counters below are that connection's.
      sequelize = createSequelize({ url: db.url, poolMax: 1 });
      await connectDatabase(sequelize, db.url);
    });
    after(async () => {
      await sequelize?.close();
      await db?.drop();
    });

    it("closes the prepared statements it does not reuse, keeping a bounded number", async () => {
      const Row = sequelize.define("Row", { n: DataTypes.INTEGER }, { timestamps: false });
      await Row.sync();
      const count = MAX_PREPARED_STATEMENTS * 3;
      await Row.bulkCreate(Array.from({ length: count }, (_, i) => ({ n: i })));
      // Model.update binds the SET values but writes a list (IN) into the statement's text, as
      // the outbox relays' claims do: one more prepared statement per row updated.
      for (let id = 1; id <= count; id += 1) {
        await Row.update({ n: -id }, { where: { id: [id] } });
      }
      const status = await sequelize.query<{ Value: string }>(
        "SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_close')",
        { type: QueryTypes.SELECT },
      );
      const [closed, prepared] = status.map((r) => Number(r.Value)); // alphabetical order
      assert.ok(prepared >= count, `prepared ${prepared} statements`);
      assert.ok(
        prepared - closed <= MAX_PREPARED_STATEMENTS,
        `${prepared - closed} statements still open on the connection`,
      );
    });
  },
);
