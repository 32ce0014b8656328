/**
 * Merchants' writes: a merchant creates products and changes or deletes only their own; an
 * admin any. Deleting is soft: the row stays (orders and reservations refer to it) with
 * `deletedAt` set, and its category links go, so it leaves every list at once.
 *
 * Stock: the `stock` a merchant sets is the units on hand, those held by unpaid orders included;
 * the column (and the catalog's `stock`) is what can still be bought: on hand − held. So a later
 * release of a held unit brings the product back to exactly what the merchant set, never above
 * it. Setting fewer units than are held is refused (409 STOCK_RESERVED): those units are promised.
 */
import type { Transaction } from "sequelize";
import type { Role } from "../auth/tokens.ts";
import { transaction } from "../transactions.ts";
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from "../errors.ts";
import { selectRows } from "../sql.ts";
import { productViews, isProductId, type CatalogDeps } from "./catalog.ts";
import { categoryIdsOf } from "./categories.ts";
import type { Product } from "./models.ts";
import type { ProductView } from "./present.ts";

export interface Actor {
  id: string;
  role: Role;
}

export interface ProductInput {
  name: string;
  description: string;
  price: number;
  currency?: string;
  stock: number;
  /** The most units of it one order may take (default 10). */
  maxPerOrder?: number;
  categories?: string[];
  picture?: string | null;
}

export type ProductPatch = Partial<ProductInput>;

/** Creates a product owned by the calling merchant (or admin). */
export async function createProduct(
  deps: CatalogDeps,
  actor: Actor,
  input: ProductInput,
): Promise<ProductView> {
  assertCurrency(input.currency);
  const id = await transaction(deps.sequelize, async (transaction) => {
    const categoryIds = await categoryIdsOf(deps.models, input.categories ?? [], transaction);
    const product = await deps.models.Product.create(
      {
        merchantId: actor.id,
        name: input.name,
        description: input.description,
        price: input.price,
        currency: input.currency ?? "CNY",
        stock: input.stock,
        ...(input.maxPerOrder !== undefined ? { maxPerOrder: input.maxPerOrder } : {}),
        picture: input.picture ?? null,
        deletedAt: null,
      },
      { transaction },
    );
    await link(deps, product, categoryIds, transaction);
    return product.id;
  });
  return (await productViews(deps, [id]))[0];
}

/** Changes the given fields of a live product the actor may change. */
export async function updateProduct(
  deps: CatalogDeps,
  actor: Actor,
  id: string,
  patch: ProductPatch,
): Promise<ProductView> {
  assertCurrency(patch.currency);
  await transaction(deps.sequelize, async (transaction) => {
    const product = await ownProduct(deps, actor, id, transaction);
    const { categories, ...fields } = patch;
    if (fields.stock !== undefined) {
      // Under the product's row lock: no reserve or release of it runs meanwhile.
      fields.stock = await available(deps, id, fields.stock, transaction);
    }
    const priceChanged = fields.price !== undefined && fields.price !== Number(product.price);
    product.set(fields);
    await product.save({ transaction });
    if (categories !== undefined) {
      const categoryIds = await categoryIdsOf(deps.models, categories, transaction);
      await deps.models.ProductCategory.destroy({ where: { productId: id }, transaction });
      await link(deps, product, categoryIds, transaction);
    } else if (priceChanged) {
      await deps.models.ProductCategory.update(
        { price: product.price },
        { where: { productId: id }, transaction },
      );
    }
  });
  return (await productViews(deps, [id]))[0];
}

/** What is left to buy of `onHand` units once those held by unpaid orders are set aside. */
async function available(
  deps: CatalogDeps,
  productId: string,
  onHand: number,
  transaction: Transaction,
): Promise<number> {
  const [row] = await selectRows<{ held: unknown }>(
    deps.sequelize,
    "SELECT COALESCE(SUM(i.quantity), 0) AS held FROM stock_reservation_items i " +
      "JOIN stock_reservations r ON r.id = i.reservationId " +
      "WHERE i.productId = ? AND r.status = 'held'",
    [productId],
    transaction,
  );
  const held = Number(row?.held ?? 0);
  if (onHand < held) {
    throw new ConflictError(
      `${held} units are held by unpaid orders: set at least ${held}, or wait until they end`,
      "STOCK_RESERVED",
      { held, requested: onHand },
    );
  }
  return onHand - held;
}

/** 422 INVALID_CURRENCY unless the code is an ISO 4217 currency. */
function assertCurrency(code: string | undefined): void {
  if (code === undefined || isIsoCurrency(code)) return;
  const message = `${code} is not an ISO 4217 currency code`;
  throw new UnprocessableError(message, "INVALID_CURRENCY", [{ field: "currency", message }]);
}

const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

export function isIsoCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}

/** Soft-deletes a live product the actor may change. */
export async function deleteProduct(deps: CatalogDeps, actor: Actor, id: string): Promise<void> {
  await transaction(deps.sequelize, async (transaction) => {
    const product = await ownProduct(deps, actor, id, transaction);
    product.deletedAt = new Date();
    await product.save({ transaction });
    await deps.models.ProductCategory.destroy({ where: { productId: id }, transaction });
  });
}

/** The live product, locked for the change; 404 when unknown or deleted, 403 when not theirs. */
async function ownProduct(
  deps: CatalogDeps,
  actor: Actor,
  id: string,
  transaction: Transaction,
): Promise<Product> {
  const product = isProductId(id)
    ? await deps.models.Product.findOne({
        where: { id, deletedAt: null },
        transaction,
        lock: transaction.LOCK.UPDATE,
      })
    : null;
  if (!product) throw new NotFoundError("Product", id);
  if (actor.role !== "admin" && product.merchantId !== actor.id) {
    throw new ForbiddenError(
      "Only the merchant who owns this product, or an admin, can change it",
      "NOT_PRODUCT_OWNER",
    );
  }
  return product;
}

async function link(
  deps: CatalogDeps,
  product: Product,
  categoryIds: readonly string[],
  transaction: Transaction,
): Promise<void> {
  if (categoryIds.length === 0) return;
  await deps.models.ProductCategory.bulkCreate(
    categoryIds.map((categoryId) => ({
      categoryId,
      productId: product.id,
      price: product.price,
      createdAt: product.createdAt,
    })),
    { transaction },
  );
}
