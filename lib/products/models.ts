/** Tables owned by the products service (schema: lib/migrations/0002-products.ts). */
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idColumn, refColumn } from "../model-helpers.ts";
import { searchColumns } from "./segment.ts";

export class Product extends Model<InferAttributes<Product>, InferCreationAttributes<Product>> {
  declare id: CreationOptional<string>;
  declare merchantId: string | null;
  declare name: string;
  declare description: string;
  declare price: number;
  declare currency: string;
  declare stock: number;
  /** The most units of this product one order may take. */
  declare maxPerOrder: CreationOptional<number>;
  declare picture: string | null;
  /** Index tokens of the name and the description (lib/products/segment.ts), set on save. */
  declare searchName: CreationOptional<string | null>;
  declare searchBody: CreationOptional<string | null>;
  /** Units of paid orders, less the refunded ones (lib/products/sales.ts). */
  declare soldCount: CreationOptional<number>;
  /** The sum and number of its reviews' ratings, and the average × 100 (lib/products/reviews.ts). */
  declare ratingSum: CreationOptional<number>;
  declare ratingCount: CreationOptional<number>;
  declare ratingScore: CreationOptional<number>;
  declare deletedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Category extends Model<InferAttributes<Category>, InferCreationAttributes<Category>> {
  declare id: CreationOptional<string>;
  /** The Chinese name. */
  declare name: string;
  declare nameEn: string | null;
  declare slug: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class ProductCategory extends Model<
  InferAttributes<ProductCategory>,
  InferCreationAttributes<ProductCategory>
> {
  declare categoryId: string;
  declare productId: string;
  declare price: number;
  declare createdAt: Date;
}

export type ReservationStatus = "held" | "committed" | "released";

export class StockReservation extends Model<
  InferAttributes<StockReservation>,
  InferCreationAttributes<StockReservation>
> {
  declare id: CreationOptional<string>;
  declare orderId: string;
  declare status: ReservationStatus;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class StockReservationItem extends Model<
  InferAttributes<StockReservationItem>,
  InferCreationAttributes<StockReservationItem>
> {
  declare reservationId: string;
  declare productId: string;
  declare quantity: number;
  declare name: string;
  declare price: number;
  declare currency: string;
}

export interface ProductModels {
  Product: typeof Product;
  Category: typeof Category;
  ProductCategory: typeof ProductCategory;
  StockReservation: typeof StockReservation;
  StockReservationItem: typeof StockReservationItem;
}

export function defineProductModels(sequelize: Sequelize): ProductModels {
  // Model classes are bound to one connection; each node (and each test broker) gets its own.
  class NodeProduct extends Product {}
  class NodeCategory extends Category {}
  class NodeProductCategory extends ProductCategory {}
  class NodeStockReservation extends StockReservation {}
  class NodeStockReservationItem extends StockReservationItem {}
  NodeProduct.init(
    {
      id: idColumn(),
      merchantId: refColumn("merchantId", true),
      name: { type: DataTypes.STRING(200), allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: false },
      price: { type: DataTypes.INTEGER, allowNull: false },
      currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: "CNY" },
      stock: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      maxPerOrder: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 10 },
      picture: { type: DataTypes.STRING(500), allowNull: true },
      searchName: { type: DataTypes.TEXT, allowNull: true },
      searchBody: { type: DataTypes.TEXT, allowNull: true },
      soldCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ratingSum: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ratingCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ratingScore: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      deletedAt: { type: DataTypes.DATE(3), allowNull: true },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    {
      sequelize,
      tableName: "products",
      modelName: "Product",
      // Whoever writes a name or a description writes its search tokens with it.
      hooks: {
        beforeSave(p) {
          if (p.isNewRecord || p.changed("name") || p.changed("description")) {
            p.set(searchColumns(p));
          }
        },
      },
    },
  );
  NodeCategory.init(
    {
      id: idColumn(),
      name: { type: DataTypes.STRING(80), allowNull: false },
      nameEn: { type: DataTypes.STRING(80), allowNull: true },
      slug: { type: DataTypes.STRING(80), allowNull: false },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: "categories", modelName: "Category" },
  );
  NodeProductCategory.init(
    {
      categoryId: { ...refColumn("categoryId"), primaryKey: true },
      productId: { ...refColumn("productId"), primaryKey: true },
      price: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    {
      sequelize,
      tableName: "product_categories",
      modelName: "ProductCategory",
      timestamps: false,
    },
  );
  NodeStockReservation.init(
    {
      id: idColumn(),
      orderId: { type: DataTypes.STRING(64), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: "stock_reservations", modelName: "StockReservation" },
  );
  NodeStockReservationItem.init(
    {
      reservationId: { ...refColumn("reservationId"), primaryKey: true },
      productId: { ...refColumn("productId"), primaryKey: true },
      quantity: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.STRING(200), allowNull: false },
      price: { type: DataTypes.INTEGER, allowNull: false },
      currency: { type: DataTypes.STRING(3), allowNull: false },
    },
    {
      sequelize,
      tableName: "stock_reservation_items",
      modelName: "StockReservationItem",
      timestamps: false,
    },
  );
  return {
    Product: NodeProduct,
    Category: NodeCategory,
    ProductCategory: NodeProductCategory,
    StockReservation: NodeStockReservation,
    StockReservationItem: NodeStockReservationItem,
  };
}
