/**
 * products: search by index tokens (lib/products/segment.ts) instead of the raw text, so that
 * Chinese words, short words (`tv`, `4k`) and English plurals are found. Adds
 * products.searchName and products.searchBody, fills them for the existing catalog (a re-index),
 * and moves the full-text indexes onto them: FULLTEXT (searchName, searchBody) and (searchName)
 * on MariaDB/MySQL, an external-content FTS5 table over them on SQLite, kept in sync by triggers.
 * The application writes both columns with every change of a product's name or description
 * (a hook of the Product model, lib/products/models.ts).
 */
import { DataTypes, QueryTypes, type QueryInterface, type Sequelize } from "sequelize";
import { searchColumns } from "../products/segment.ts";

export const name = "0008-products-search-tokens";

const BATCH = 200;

export async function up(qi: QueryInterface, sequelize: Sequelize): Promise<void> {
  const sqlite = sequelize.getDialect() === "sqlite";
  if (sqlite) await dropSqliteSearch(sequelize);
  await qi.addColumn("products", "searchName", { type: DataTypes.TEXT, allowNull: true });
  await qi.addColumn("products", "searchBody", { type: DataTypes.TEXT, allowNull: true });
  await reindex(sequelize);
  if (sqlite) {
    // detail=column: tokens and prefixes are all a search asks for (no phrases), and an index
    // without positions is smaller and quicker to write.
    await sqliteSearch(sequelize, ["searchName", "searchBody"], ", detail=column");
  } else {
    await sequelize.query(
      "ALTER TABLE products ADD FULLTEXT INDEX products_tokens (searchName, searchBody)",
    );
    await sequelize.query(
      "ALTER TABLE products ADD FULLTEXT INDEX products_name_tokens (searchName)",
    );
    await sequelize.query("ALTER TABLE products DROP INDEX products_search");
    await sequelize.query("ALTER TABLE products DROP INDEX products_name_search");
  }
}

/** Computes the search columns of every product, in batches of ids. */
export async function reindex(sequelize: Sequelize): Promise<number> {
  let after = 0;
  let done = 0;
  for (;;) {
    const rows = await sequelize.query<{ id: number | string; name: string; description: string }>(
      "SELECT id, name, description FROM products WHERE id > :after ORDER BY id LIMIT :limit",
      { replacements: { after, limit: BATCH }, type: QueryTypes.SELECT },
    );
    if (rows.length === 0) return done;
    const replacements: Record<string, unknown> = {};
    const names: string[] = [];
    const bodies: string[] = [];
    rows.forEach((r, i) => {
      const { searchName, searchBody } = searchColumns(r);
      Object.assign(replacements, {
        [`i${i}`]: r.id,
        [`n${i}`]: searchName,
        [`b${i}`]: searchBody,
      });
      names.push(`WHEN :i${i} THEN :n${i}`);
      bodies.push(`WHEN :i${i} THEN :b${i}`);
    });
    replacements.ids = rows.map((r) => r.id);
    await sequelize.query(
      `UPDATE products SET searchName = CASE id ${names.join(" ")} END, ` +
        `searchBody = CASE id ${bodies.join(" ")} END WHERE id IN (:ids)`,
      { replacements },
    );
    after = Number(rows[rows.length - 1].id);
    done += rows.length;
  }
}

async function dropSqliteSearch(sequelize: Sequelize): Promise<void> {
  for (const trigger of ["insert", "delete", "update"]) {
    await sequelize.query(`DROP TRIGGER IF EXISTS products_fts_${trigger}`);
  }
  await sequelize.query("DROP TABLE IF EXISTS products_fts");
}

/** The FTS5 table over two columns of products, its triggers, and its content built. */
async function sqliteSearch(
  sequelize: Sequelize,
  [a, b]: [string, string],
  detail = "",
): Promise<void> {
  const statements = [
    `CREATE VIRTUAL TABLE products_fts USING fts5(${a}, ${b}, content='products',
       content_rowid='id', tokenize='unicode61 remove_diacritics 2'${detail})`,
    `CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
       INSERT INTO products_fts(rowid, ${a}, ${b}) VALUES (new.id, new.${a}, new.${b});
     END`,
    `CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
       INSERT INTO products_fts(products_fts, rowid, ${a}, ${b})
         VALUES ('delete', old.id, old.${a}, old.${b});
     END`,
    `CREATE TRIGGER products_fts_update AFTER UPDATE OF ${a}, ${b} ON products BEGIN
       INSERT INTO products_fts(products_fts, rowid, ${a}, ${b})
         VALUES ('delete', old.id, old.${a}, old.${b});
       INSERT INTO products_fts(rowid, ${a}, ${b}) VALUES (new.id, new.${a}, new.${b});
     END`,
    `INSERT INTO products_fts(products_fts) VALUES ('rebuild')`,
  ];
  for (const sql of statements) await sequelize.query(sql);
}

export async function down(qi: QueryInterface, sequelize: Sequelize): Promise<void> {
  if (sequelize.getDialect() === "sqlite") {
    await dropSqliteSearch(sequelize);
    await qi.removeColumn("products", "searchBody");
    await qi.removeColumn("products", "searchName");
    await sqliteSearch(sequelize, ["name", "description"]);
    return;
  }
  await sequelize.query(
    "ALTER TABLE products ADD FULLTEXT INDEX products_search (name, description)",
  );
  await sequelize.query("ALTER TABLE products ADD FULLTEXT INDEX products_name_search (name)");
  await sequelize.query("ALTER TABLE products DROP INDEX products_name_tokens");
  await sequelize.query("ALTER TABLE products DROP INDEX products_tokens");
  await qi.removeColumn("products", "searchBody");
  await qi.removeColumn("products", "searchName");
}
