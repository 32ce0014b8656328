/**
 * A user's cart: lines in the database, enriched with the catalog's current data in one batched
 * call, totals computed here (never taken from the client). A line whose product was deleted
 * after it was added stays in the cart, shown with `product.available: false`, and counts in
 * neither `subtotal` nor `itemCount`, so the cart keeps working and the user sees what went.
 */
import { ConflictError, NotFoundError, UnprocessableError } from "../errors.ts";
import type { ProductSummary } from "../products/present.ts";
import type { CartLine, CartLines } from "./lines.ts";

export const MAX_QUANTITY = 99;
/** Lines per cart: a cart is read with one products.getMany call (at most 200 ids). */
export const MAX_LINES = 100;
export const DEFAULT_CURRENCY = "CNY";

export interface CartProduct {
  id: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
  picture: string | null;
  /** The merchant selling it (null: the shop's own); the checkout writes it on the order line. */
  merchantId: string | null;
  available: boolean;
}

export interface CartView {
  items: Array<{ productId: string; quantity: number; product: CartProduct; lineTotal: number }>;
  subtotal: number;
  currency: string;
  itemCount: number;
  /** Present (true) only when the catalog was unreachable: lines without prices. */
  degraded?: true;
}

export interface CartDeps {
  lines: CartLines;
  /** products.getMany: current catalog data, deleted products included (available: false). */
  products(ids: string[]): Promise<ProductSummary[]>;
}

export function cartView(
  lines: readonly CartLine[],
  products: readonly ProductSummary[],
): CartView {
  const byId = new Map(products.map((p) => [p.id, p]));
  const items = lines.map(({ productId, quantity }) => {
    const p = byId.get(productId);
    const product: CartProduct = p
      ? {
          id: p.id,
          name: p.name,
          price: p.price,
          currency: p.currency,
          stock: p.stock,
          picture: p.picture,
          merchantId: p.merchantId,
          available: p.available,
        }
      : {
          id: productId,
          name: "Unavailable product",
          price: 0,
          currency: DEFAULT_CURRENCY,
          stock: 0,
          picture: null,
          merchantId: null,
          available: false,
        };
    return { productId, quantity, product, lineTotal: product.available ? p!.price * quantity : 0 };
  });
  const buyable = items.filter((i) => i.product.available);
  return {
    items,
    subtotal: buyable.reduce((sum, i) => sum + i.lineTotal, 0),
    currency: buyable[0]?.product.currency ?? DEFAULT_CURRENCY,
    itemCount: buyable.reduce((sum, i) => sum + i.quantity, 0),
  };
}

export async function getCart(deps: CartDeps, userId: string): Promise<CartView> {
  const lines = await deps.lines.list(userId);
  const products = lines.length > 0 ? await deps.products(lines.map((l) => l.productId)) : [];
  return cartView(lines, products);
}

/**
 * The cart when the catalog cannot be reached: the lines and quantities the user put in, marked
 * `degraded` (no prices, nothing buyable) rather than an error page. Checkout still refuses.
 */
export async function degradedCart(deps: CartDeps, userId: string): Promise<CartView> {
  const lines = await deps.lines.list(userId);
  return { ...cartView(lines, []), degraded: true };
}

/**
 * Adds to a line (merging); 404 unknown or deleted, 409 OUT_OF_STOCK, 422 past 99. The write
 * itself enforces both caps (no transaction), and the answer is the lines read before it with
 * the line as the write left it: no second read.
 */
export async function addItem(
  deps: CartDeps,
  userId: string,
  productId: string,
  quantity: number,
): Promise<CartView> {
  const { lines, product, products, isNew } = await prepare(deps, userId, productId);
  const cap = Math.min(MAX_QUANTITY, product.stock);
  const line = isNew
    ? await deps.lines.addLine(userId, productId, quantity, cap, MAX_LINES)
    : await deps.lines.add(userId, productId, quantity, cap);
  if (line === "full") throw cartFull();
  if (!line.added) {
    const total = line.quantity + quantity;
    throw total > MAX_QUANTITY ? quantityLimit() : outOfStock(product, total);
  }
  return cartView(withLine(lines, productId, line.quantity), products);
}

/** Sets a line's quantity; 0 removes it. */
export async function setItem(
  deps: CartDeps,
  userId: string,
  productId: string,
  quantity: number,
): Promise<CartView> {
  if (quantity === 0) return removeItem(deps, userId, productId);
  const { lines, product, products, isNew } = await prepare(deps, userId, productId);
  if (quantity > product.stock) throw outOfStock(product, quantity);
  if (!isNew) await deps.lines.set(userId, productId, quantity);
  else if ((await deps.lines.setLine(userId, productId, quantity, MAX_LINES)) === "full") {
    throw cartFull();
  }
  return cartView(withLine(lines, productId, quantity), products);
}

/** Removes a line (nothing to remove is fine: DELETE is idempotent). */
export async function removeItem(
  deps: CartDeps,
  userId: string,
  productId: string,
): Promise<CartView> {
  if (isId(productId)) await deps.lines.remove(userId, productId);
  return getCart(deps, userId);
}

/**
 * The product to put in the cart (live, same currency as the cart, room for a new line) and the
 * catalog data of the whole cart, in one products call. The line count is checked on this read
 * (a shortcut), and again under the cart's head lock when the line is new (CartLines.addLine):
 * concurrent new lines never pass the cap.
 */
async function prepare(deps: CartDeps, userId: string, productId: string) {
  if (!isId(productId)) throw new NotFoundError("Product", productId);
  const lines = await deps.lines.list(userId);
  const ids = [...new Set([...lines.map((l) => l.productId), productId])];
  const products = await deps.products(ids);
  const product = products.find((p) => p.id === productId);
  if (!product || !product.available) throw new NotFoundError("Product", productId);
  const isNew = !lines.some((l) => l.productId === productId);
  if (isNew && lines.length >= MAX_LINES) throw cartFull();
  const other = products.find((p) => p.available && p.id !== productId);
  if (other && other.currency !== product.currency) {
    throw new ConflictError(
      `This cart is in ${other.currency}; this product is sold in ${product.currency}`,
      "CURRENCY_MISMATCH",
    );
  }
  return { lines, product, products, isNew };
}

function cartFull(): UnprocessableError {
  return new UnprocessableError(`A cart holds at most ${MAX_LINES} lines`, "CART_FULL");
}

/** The lines with one line's new quantity: in its place, or last when it is new; 0 drops it. */
export function withLine(lines: readonly CartLine[], productId: string, quantity: number) {
  const rest = lines.filter((l) => l.productId !== productId);
  if (quantity <= 0) return rest;
  if (rest.length === lines.length) return [...lines, { productId, quantity }];
  return lines.map((l) => (l.productId === productId ? { productId, quantity } : l));
}

function isId(id: string): boolean {
  return /^[1-9]\d{0,17}$/.test(id);
}

function quantityLimit(): UnprocessableError {
  const message = `A cart line holds at most ${MAX_QUANTITY} of a product`;
  return new UnprocessableError(message, "QUANTITY_LIMIT", [{ field: "quantity", message }]);
}

function outOfStock(product: ProductSummary, requested: number): ConflictError {
  return new ConflictError(`Only ${product.stock} of this product are in stock`, "OUT_OF_STOCK", [
    { productId: product.id, requested, available: product.stock },
  ]);
}
