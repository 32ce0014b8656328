/**
 * products: reviews of order lines (`product_reviews`, one per order and product), the units sold
 * per paid order and product (`product_sales`, which makes counting a sale idempotent), and the
 * counters a product carries for its list views and sorts (`soldCount`, `ratingSum`,
 * `ratingCount`, `ratingScore` = the average × 100, the key of `sort=rating`).
 */
import { DataTypes, type QueryInterface, type Sequelize } from "sequelize";

export const name = "0015-product-reviews";

const counter = { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 };

export async function up(qi: QueryInterface, sequelize: Sequelize): Promise<void> {
  await qi.addColumn("products", "soldCount", counter);
  await qi.addColumn("products", "ratingSum", counter);
  await qi.addColumn("products", "ratingCount", counter);
  await qi.addColumn("products", "ratingScore", counter);
  await qi.addIndex("products", ["deletedAt", "soldCount", "id"], { name: "products_live_sales" });
  await qi.addIndex("products", ["deletedAt", "ratingScore", "id"], {
    name: "products_live_rating",
  });

  await qi.createTable("product_reviews", {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    productId: { type: DataTypes.BIGINT, allowNull: false },
    orderId: { type: DataTypes.BIGINT, allowNull: false },
    userId: { type: DataTypes.BIGINT, allowNull: false },
    authorName: { type: DataTypes.STRING(100), allowNull: false },
    rating: { type: DataTypes.INTEGER, allowNull: false },
    text: { type: DataTypes.TEXT, allowNull: false },
    replyText: { type: DataTypes.TEXT, allowNull: true },
    replyBy: { type: DataTypes.BIGINT, allowNull: true },
    repliedAt: { type: DataTypes.DATE(3), allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  // Once per order line: a second review of it (even a concurrent one) hits this.
  await qi.addIndex("product_reviews", ["orderId", "productId"], {
    name: "product_reviews_line",
    unique: true,
  });
  await qi.addIndex("product_reviews", ["productId", "id"], { name: "product_reviews_product" });
  await qi.addIndex("product_reviews", ["productId", "rating", "id"], {
    name: "product_reviews_product_rating",
  });

  await qi.createTable("product_sales", {
    orderId: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
    productId: { type: DataTypes.BIGINT, allowNull: false, primaryKey: true },
    quantity: { type: DataTypes.INTEGER, allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  // Orders paid before this migration: their committed reservations are their sales.
  await sequelize.query(
    "INSERT INTO product_sales (orderId, productId, quantity, createdAt) " +
      "SELECT r.orderId, i.productId, i.quantity, r.updatedAt FROM stock_reservations r " +
      "JOIN stock_reservation_items i ON i.reservationId = r.id WHERE r.status = 'committed'",
  );
  await sequelize.query(
    "UPDATE products SET soldCount = (SELECT COALESCE(SUM(s.quantity), 0) FROM product_sales s " +
      "WHERE s.productId = products.id) WHERE id IN (SELECT productId FROM product_sales)",
  );
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable("product_sales");
  await qi.dropTable("product_reviews");
  await qi.removeIndex("products", "products_live_rating");
  await qi.removeIndex("products", "products_live_sales");
  for (const column of ["ratingScore", "ratingCount", "ratingSum", "soldCount"]) {
    await qi.removeColumn("products", column);
  }
}
