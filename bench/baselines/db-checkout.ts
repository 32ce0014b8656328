/**
 * Baseline (c): the database's ceiling for orders. A bare mysql2 script (no Moleculer, no HTTP,
 * no Sequelize) sends MariaDB the same SQL statements, in the same transactions and the same order,
 * as the shop sends for one "add to cart + checkout with a card" (see ./checkout-sql.ts, which
 * names the function of the services each statement comes from), from `--concurrency` workers over
 * a pool of `--pool` connections (the size of one node's Sequelize pool).
 *
 *   --mode checkout  every order buys one unit of a different product, for `--seconds`;
 *   --mode flash     `--buyers` buyers (carts already filled) race for `--units` units of one
 *                    product: the sold-out buyers take the refusal path (OUT_OF_STOCK);
 *   --explain        runs one order of each kind and prints every statement (to align the
 *                    statements with the services after a change).
 * It works in its own database (`--url`), whose tables are cloned from the shop's (`--clone-from`)
 * with SHOW CREATE TABLE, so the schema and indexes are exactly the migrations'. Prints one JSON line.
 */
import { parseArgs } from "node:util";
import mysql from "mysql2/promise";
import { CHECKOUT_TABLES, checkoutOrder, flashPurchase, type Sql } from "./checkout-sql.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    "clone-from": { type: "string" },
    mode: { type: "string", default: "checkout" },
    concurrency: { type: "string", default: "64" },
    pool: { type: "string", default: "10" },
    seconds: { type: "string", default: "10" },
    buyers: { type: "string", default: "2000" },
    units: { type: "string", default: "100" },
    explain: { type: "boolean", default: false },
  },
});
if (!values.url) throw new Error("--url mysql://user@host:port/database is required");
const url = values.url;

async function prepare(): Promise<void> {
  const database = new URL(url).pathname.slice(1);
  const server = url.replace(/\/[^/]*$/, "/");
  const admin = await mysql.createConnection(server);
  try {
    await admin.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    const source = values["clone-from"];
    if (!source) return;
    await admin.query(`USE \`${database}\``);
    await admin.query("SET FOREIGN_KEY_CHECKS = 0");
    for (const table of CHECKOUT_TABLES) {
      await admin.query(`DROP TABLE IF EXISTS \`${table}\``);
    }
    for (const table of CHECKOUT_TABLES) {
      const [rows] = await admin.query(`SHOW CREATE TABLE \`${source}\`.\`${table}\``);
      await admin.query((rows as Array<Record<string, string>>)[0]["Create Table"]);
    }
    await admin.query("SET FOREIGN_KEY_CHECKS = 1");
    await admin.query(`INSERT INTO products SELECT * FROM \`${source}\`.products`);
    await admin.query("UPDATE products SET stock = 1000000");
  } finally {
    await admin.end();
  }
}

/** Runs `order` on `concurrency` workers until `more()` says stop; per-order latencies in ms. */
async function drive(
  concurrency: number,
  more: () => number | undefined,
  order: (n: number) => Promise<unknown>,
): Promise<{ latencies: number[]; outcomes: unknown[]; seconds: number }> {
  const latencies: number[] = [];
  const outcomes: unknown[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let n = more(); n !== undefined; n = more()) {
        const t = performance.now();
        outcomes.push(await order(n));
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, outcomes, seconds: (performance.now() - start) / 1000 };
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
}

async function main(): Promise<void> {
  await prepare();
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: Number(values.pool),
    timezone: "Z",
    supportBigNumbers: true,
  });
  const statements: string[] = [];
  const sql: Sql = { pool, trace: values.explain ? (s) => statements.push(s) : undefined };
  try {
    if (values.explain) {
      await pool.query("UPDATE products SET stock = 0 WHERE id = 2");
      await checkoutOrder(sql, { userId: "1", productId: "1", n: 1 });
      statements.push("-- flash sale, sold out:");
      await flashPurchase(sql, { userId: "2", productId: "2", n: 2 }, { fillCart: true });
      process.stdout.write(statements.join("\n") + "\n");
      return;
    }
    const concurrency = Number(values.concurrency);
    if (values.mode === "checkout") {
      const end = Date.now() + Number(values.seconds) * 1000;
      const [rows] = await pool.query("SELECT id FROM products ORDER BY id LIMIT 5000");
      const ids = (rows as Array<{ id: number }>).map((r) => String(r.id));
      let n = 0;
      const run = await drive(
        concurrency,
        () => (Date.now() < end ? n++ : undefined),
        (i) =>
          checkoutOrder(sql, {
            userId: String(1 + (i % concurrency)),
            productId: ids[i % ids.length],
            n: i,
          }),
      );
      report({ mode: "checkout", orders: run.outcomes.length, ...timing(run) });
    } else {
      const buyers = Number(values.buyers);
      const [rows] = await pool.query("SELECT MIN(id) AS id FROM products");
      const productId = String((rows as Array<{ id: number }>)[0].id);
      await pool.query("UPDATE products SET stock = ? WHERE id = ?", [
        Number(values.units),
        productId,
      ]);
      for (let i = 0; i < buyers; i += 500) {
        const lines = Array.from({ length: Math.min(500, buyers - i) }, (_, k) => [
          String(i + k + 1),
          productId,
          1,
          new Date(),
          new Date(),
        ]);
        await pool.query(
          "INSERT INTO cart_items (userId, productId, quantity, createdAt, updatedAt) VALUES ?",
          [lines],
        );
      }
      let n = 0;
      const run = await drive(
        concurrency,
        () => (n < buyers ? n++ : undefined),
        (i) => flashPurchase(sql, { userId: String(i + 1), productId, n: i }, { fillCart: false }),
      );
      const sold = run.outcomes.filter((o) => o === "paid").length;
      const [left] = await pool.query("SELECT stock FROM products WHERE id = ?", [productId]);
      report({
        mode: "flash",
        buyers,
        sold,
        stockLeft: Number((left as Array<{ stock: number }>)[0].stock),
        ...timing(run),
      });
    }
  } finally {
    await pool.end();
  }
}

function timing(run: { latencies: number[]; seconds: number }) {
  return {
    seconds: run.seconds,
    perSec: run.latencies.length / run.seconds,
    p50: pct(run.latencies, 50),
    p99: pct(run.latencies, 99),
  };
}

function report(result: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((err: unknown) => {
  console.error((err as Error).stack ?? err);
  process.exit(1);
});
