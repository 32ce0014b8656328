/**
 * products service: the catalog (products, categories and their links), full-text search, and
 * stock reservations per order.
 *
 * Every list query is served by an index (see lib/products/queries.ts):
 * - products (deletedAt, createdAt, id) and (deletedAt, price, id): the whole live catalog by
 *   newest or by price; `deletedAt IS NULL` is an index lookup, the order is the index order;
 * - product_categories repeats the product's price and createdAt so that one category's products
 *   come in either order straight from (categoryId, createdAt, productId) and
 *   (categoryId, price, productId); links are removed when a product is deleted;
 * - search: a FULLTEXT index on (name, description) plus one on (name) for ranking on
 *   MariaDB/MySQL; an external-content FTS5 table kept in sync by triggers on SQLite.
 */
import { DataTypes, type QueryInterface, type Sequelize } from "sequelize";

export const name = "0002-products";

export async function up(qi: QueryInterface, sequelize: Sequelize): Promise<void> {
  await qi.createTable("categories", {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    name: { type: DataTypes.STRING(80), allowNull: false },
    slug: { type: DataTypes.STRING(80), allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("categories", ["slug"], { unique: true, name: "categories_slug_unique" });
  await qi.addIndex("categories", ["name"], { unique: true, name: "categories_name_unique" });

  await qi.createTable("products", {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    merchantId: { type: DataTypes.BIGINT, allowNull: true },
    name: { type: DataTypes.STRING(200), allowNull: false },
    description: { type: DataTypes.TEXT, allowNull: false },
    price: { type: DataTypes.INTEGER, allowNull: false },
    currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: "CNY" },
    // UNSIGNED on MariaDB/MySQL: a bug that would take stock below zero fails instead.
    stock: {
      type: sequelize.getDialect() === "sqlite" ? DataTypes.INTEGER : DataTypes.INTEGER.UNSIGNED,
      allowNull: false,
      defaultValue: 0,
    },
    picture: { type: DataTypes.STRING(500), allowNull: true },
    deletedAt: { type: DataTypes.DATE(3), allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("products", ["deletedAt", "createdAt", "id"], { name: "products_live_newest" });
  await qi.addIndex("products", ["deletedAt", "price", "id"], { name: "products_live_price" });
  await qi.addIndex("products", ["merchantId"], { name: "products_merchant" });

  await qi.createTable("product_categories", {
    categoryId: {
      type: DataTypes.BIGINT,
      primaryKey: true,
      references: { model: "categories", key: "id" },
    },
    productId: {
      type: DataTypes.BIGINT,
      primaryKey: true,
      references: { model: "products", key: "id" },
    },
    // Copies of the product's sort keys, updated with it (see the header).
    price: { type: DataTypes.INTEGER, allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("product_categories", ["categoryId", "createdAt", "productId"], {
    name: "product_categories_newest",
  });
  await qi.addIndex("product_categories", ["categoryId", "price", "productId"], {
    name: "product_categories_price",
  });
  await qi.addIndex("product_categories", ["productId"], { name: "product_categories_product" });

  await qi.createTable("stock_reservations", {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    orderId: { type: DataTypes.STRING(64), allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("stock_reservations", ["orderId"], {
    unique: true,
    name: "stock_reservations_order_unique",
  });

  await qi.createTable("stock_reservation_items", {
    reservationId: {
      type: DataTypes.BIGINT,
      primaryKey: true,
      references: { model: "stock_reservations", key: "id" },
    },
    productId: { type: DataTypes.BIGINT, primaryKey: true },
    quantity: { type: DataTypes.INTEGER, allowNull: false },
    // The catalog's name and price when the stock was reserved: the order's prices.
    name: { type: DataTypes.STRING(200), allowNull: false },
    price: { type: DataTypes.INTEGER, allowNull: false },
    currency: { type: DataTypes.STRING(3), allowNull: false },
  });

  if (sequelize.getDialect() === "sqlite") await sqliteSearch(sequelize);
  else await mysqlSearch(sequelize);
}

async function mysqlSearch(sequelize: Sequelize): Promise<void> {
  await sequelize.query(
    "ALTER TABLE products ADD FULLTEXT INDEX products_search (name, description)",
  );
  await sequelize.query("ALTER TABLE products ADD FULLTEXT INDEX products_name_search (name)");
}

async function sqliteSearch(sequelize: Sequelize): Promise<void> {
  const statements = [
    `CREATE VIRTUAL TABLE products_fts USING fts5(name, description, content='products',
       content_rowid='id', tokenize='unicode61 remove_diacritics 2')`,
    `CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
       INSERT INTO products_fts(rowid, name, description) VALUES (new.id, new.name, new.description);
     END`,
    `CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
       INSERT INTO products_fts(products_fts, rowid, name, description)
         VALUES ('delete', old.id, old.name, old.description);
     END`,
    `CREATE TRIGGER products_fts_update AFTER UPDATE OF name, description ON products BEGIN
       INSERT INTO products_fts(products_fts, rowid, name, description)
         VALUES ('delete', old.id, old.name, old.description);
       INSERT INTO products_fts(rowid, name, description) VALUES (new.id, new.name, new.description);
     END`,
  ];
  for (const sql of statements) await sequelize.query(sql);
}

export async function down(qi: QueryInterface, sequelize: Sequelize): Promise<void> {
  if (sequelize.getDialect() === "sqlite") {
    for (const trigger of ["insert", "delete", "update"]) {
      await sequelize.query(`DROP TRIGGER IF EXISTS products_fts_${trigger}`);
    }
    await sequelize.query("DROP TABLE IF EXISTS products_fts");
  }
  await qi.dropTable("stock_reservation_items");
  await qi.dropTable("stock_reservations");
  await qi.dropTable("product_categories");
  await qi.dropTable("products");
  await qi.dropTable("categories");
}
