/** lib/transactions.ts on SQLite: the one transaction helper, its retry and its writer queue. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseError, type Sequelize } from "sequelize";
import { connectDatabase, createSequelize } from "../../lib/db.ts";
import { selectRows, writeRows } from "../../lib/sql.ts";
import { autocommit, RAW_RETRY, RETRY, transaction } from "../../lib/transactions.ts";

const deadlock = () =>
  new DatabaseError(
    Object.assign(new Error("Deadlock found"), { errno: 1213, sql: "UPDATE t" }) as never,
  );

describe("transaction", () => {
  let dir: string;
  let sequelize: Sequelize;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tx-"));
    const url = `sqlite:${join(dir, "t.sqlite")}`;
    sequelize = createSequelize({ url });
    await connectDatabase(sequelize, url);
    await sequelize.query("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL)");
  });
  after(async () => {
    await sequelize.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const value = async (k: string) =>
    (await selectRows<{ n: number }>(sequelize, "SELECT n FROM t WHERE k = ?", [k]))[0]?.n;

  it("reruns the whole transaction after a lock error when asked, rolling back the first run", async () => {
    let runs = 0;
    const result = await transaction(
      sequelize,
      async (t) => {
        runs++;
        await writeRows(sequelize, "INSERT INTO t (k, n) VALUES ('a', ?)", [runs], t);
        if (runs === 1) throw deadlock();
        return "done";
      },
      RETRY,
    );
    assert.equal(result, "done");
    assert.equal(runs, 2);
    assert.equal(await value("a"), 2, "the first run's insert was rolled back");
  });

  it("does not rerun without the option, nor on other errors, nor beyond its attempts", async () => {
    let runs = 0;
    await assert.rejects(
      transaction(sequelize, async () => {
        runs++;
        throw deadlock();
      }),
    );
    assert.equal(runs, 1);
    runs = 0;
    await assert.rejects(
      transaction(
        sequelize,
        async () => {
          runs++;
          throw new Error("a bug");
        },
        RETRY,
      ),
      /a bug/,
    );
    assert.equal(runs, 1);
    runs = 0;
    await assert.rejects(
      transaction(
        sequelize,
        async () => {
          runs++;
          throw deadlock();
        },
        RAW_RETRY,
      ),
    );
    assert.equal(runs, 4);
  });

  it("reruns on what a custom predicate names", async () => {
    let runs = 0;
    await transaction(
      sequelize,
      async () => {
        if (++runs < 3) throw new Error("again");
      },
      { retry: (err) => (err as Error).message === "again" },
    );
    assert.equal(runs, 3);
  });

  it("queues the writers of a node on SQLite: concurrent increments all count", async () => {
    await writeRows(sequelize, "INSERT INTO t (k, n) VALUES ('c', 0)", []);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? transaction(
              sequelize,
              async (t) => {
                const [row] = await selectRows<{ n: number }>(
                  sequelize,
                  "SELECT n FROM t WHERE k = 'c'",
                  [],
                  t,
                );
                await writeRows(sequelize, "UPDATE t SET n = ? WHERE k = 'c'", [row.n + 1], t);
              },
              RAW_RETRY,
            )
          : autocommit(sequelize, (t) =>
              writeRows(sequelize, "UPDATE t SET n = n + 1 WHERE k = 'c'", [], t),
            ),
      ),
    );
    assert.equal(await value("c"), 20);
  });
});
