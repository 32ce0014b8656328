/** Turning a cart (carts.get) and a reservation (products.reserve) into order lines. */
import { ConflictError, UnprocessableError } from "../errors.ts";
import { MAX_ORDER_TOTAL, orderTotal, singleCurrency } from "./money.ts";

export interface CartSnapshot {
  items: Array<{
    productId: string | number;
    quantity: number;
    product?: {
      name?: string;
      price?: number;
      currency?: string;
      available?: boolean;
      stock?: number;
      merchantId?: string | null;
    } | null;
  }>;
}

export interface ReservedItem {
  productId: string | number;
  quantity: number;
  name: string;
  price: number;
  currency: string;
}

export interface OrderLine {
  productId: string;
  quantity: number;
  name: string;
  price: number;
  currency: string;
  /** The merchant selling the product when the cart was read (null: the shop's own). */
  merchantId?: string | null;
}

/** The cart's lines, one per product; 422 CART_EMPTY, PRODUCT_UNAVAILABLE or MIXED_CURRENCY. */
export function linesFromCart(cart: CartSnapshot, defaultCurrency = "CNY"): OrderLine[] {
  const byProduct = new Map<string, OrderLine>();
  for (const item of cart.items ?? []) {
    if (!(item.quantity > 0)) continue;
    const productId = String(item.productId);
    if (item.product && item.product.available === false) {
      throw new UnprocessableError(
        "A product in your cart can no longer be bought",
        "PRODUCT_UNAVAILABLE",
        [{ productId }],
      );
    }
    const line = byProduct.get(productId);
    if (line) line.quantity += item.quantity;
    else
      byProduct.set(productId, {
        productId,
        quantity: item.quantity,
        name: item.product?.name ?? "",
        price: item.product?.price ?? 0,
        currency: item.product?.currency ?? defaultCurrency,
        merchantId: item.product?.merchantId ?? null,
      });
  }
  const lines = [...byProduct.values()];
  if (lines.length === 0) throw new UnprocessableError("Your cart is empty", "CART_EMPTY");
  if (!singleCurrency(lines)) {
    throw new UnprocessableError(
      "An order cannot mix currencies; check out each currency separately",
      "MIXED_CURRENCY",
    );
  }
  assertTotalAllowed(orderTotal(lines));
  return lines;
}

/** 422 ORDER_TOTAL_TOO_LARGE past MAX_ORDER_TOTAL minor units (Stripe's cap on one charge). */
export function assertTotalAllowed(total: number): void {
  if (total <= MAX_ORDER_TOTAL) return;
  throw new UnprocessableError(
    `An order's total is at most ${MAX_ORDER_TOTAL} minor units; split it into smaller orders`,
    "ORDER_TOTAL_TOO_LARGE",
    { total, max: MAX_ORDER_TOTAL },
  );
}

/**
 * 409 OUT_OF_STOCK (as products.reserve would answer) when the cart's own view of the catalog
 * already shows too little stock: a sold-out flash sale refuses its losers before anything is
 * written. Only a shortcut: the reservation alone decides, so a stale view never oversells, and
 * lines whose stock is unknown are left to it.
 */
export function assertStockShown(cart: CartSnapshot, lines: readonly OrderLine[]): void {
  const shown = new Map<string, number>();
  for (const item of cart.items ?? []) {
    const stock = item.product?.stock;
    if (typeof stock === "number") shown.set(String(item.productId), stock);
  }
  const short = lines.flatMap((line) => {
    const available = shown.get(line.productId);
    return available !== undefined && available < line.quantity
      ? [{ productId: line.productId, requested: line.quantity, available: Math.max(0, available) }]
      : [];
  });
  if (short.length > 0) throw new ConflictError("Not enough stock", "OUT_OF_STOCK", short);
}

/**
 * The order's lines at the prices the reservation read, or undefined when the reservation does
 * not cover exactly the ordered quantities in one currency.
 */
export function priceLines(
  ordered: ReadonlyArray<{ productId: string; quantity: number; merchantId?: string | null }>,
  reserved: readonly ReservedItem[],
): { lines: OrderLine[]; total: number; currency: string } | undefined {
  const byProduct = new Map(reserved.map((r) => [String(r.productId), r]));
  const lines: OrderLine[] = [];
  for (const o of ordered) {
    const r = byProduct.get(o.productId);
    if (!r || r.quantity !== o.quantity || !Number.isSafeInteger(r.price) || r.price < 0) {
      return undefined;
    }
    lines.push({
      productId: o.productId,
      quantity: o.quantity,
      name: r.name,
      price: r.price,
      currency: r.currency,
      ...(o.merchantId !== undefined ? { merchantId: o.merchantId } : {}),
    });
  }
  const currency = singleCurrency(lines);
  if (!currency || byProduct.size !== ordered.length) return undefined;
  return { lines, total: orderTotal(lines), currency };
}
