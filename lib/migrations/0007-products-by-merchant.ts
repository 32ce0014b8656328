/** products: one merchant's products, newest first or by price, from an index. */
import type { QueryInterface } from "sequelize";

export const name = "0007-products-by-merchant";

export async function up(qi: QueryInterface): Promise<void> {
  await qi.addIndex("products", ["merchantId", "deletedAt", "createdAt", "id"], {
    name: "products_merchant_newest",
  });
  await qi.addIndex("products", ["merchantId", "deletedAt", "price", "id"], {
    name: "products_merchant_price",
  });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeIndex("products", "products_merchant_price");
  await qi.removeIndex("products", "products_merchant_newest");
}
