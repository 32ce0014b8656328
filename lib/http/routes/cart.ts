import type { RouteDef } from "../route.ts";
import { count, currency, id, money, nullable, object, text } from "../schema.ts";

/** A product id as the cart takes it (path or body). */
export const productIdRule = {
  type: "string",
  trim: true,
  min: 1,
  max: 40,
  convert: true,
} as const;
/** Units of one line. */
export const quantityRule = { type: "number", integer: true, min: 1, max: 99 } as const;

const cart = object(
  {
    items: {
      type: "array",
      items: object(
        {
          productId: id,
          quantity: { type: "integer", minimum: 1, maximum: 99 },
          product: object({
            id,
            name: text,
            price: money,
            currency,
            stock: count,
            picture: nullable(text),
            merchantId: { ...nullable(id), description: "the merchant selling it; null: the shop" },
            available: {
              type: "boolean",
              description: "false once the product is deleted: not counted in the totals",
            },
          }),
          lineTotal: { ...money, description: "price × quantity; 0 when unavailable" },
        },
        [],
        { title: "CartLine" },
      ),
    },
    subtotal: { ...money, description: "minor units, available lines only" },
    currency,
    itemCount: { ...count, description: "units in available lines" },
    degraded: {
      const: true,
      description: "present only when the catalog was unreachable: lines without prices",
    },
  },
  ["degraded"],
  { title: "Cart" },
);

export const cartRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/cart",
    action: "carts.get",
    access: "user",
    summary: "The caller's cart at current prices",
    tag: "Cart",
    params: {},
    response: cart,
  },
  {
    method: "POST",
    path: "/cart/items",
    action: "carts.addItem",
    access: "user",
    summary: "Add a product (merges into its line); more than the stock → 409 OUT_OF_STOCK",
    tag: "Cart",
    params: { productId: productIdRule, quantity: quantityRule },
    errors: ["NOT_FOUND", "OUT_OF_STOCK", "CURRENCY_MISMATCH", "CART_FULL", "QUANTITY_LIMIT"],
    response: cart,
  },
  {
    method: "PUT",
    path: "/cart/items/:productId",
    action: "carts.setItem",
    access: "user",
    summary: "Set a line's quantity (0 removes it)",
    tag: "Cart",
    params: { productId: productIdRule, quantity: { ...quantityRule, min: 0 } },
    errors: ["NOT_FOUND", "OUT_OF_STOCK", "CURRENCY_MISMATCH", "CART_FULL", "QUANTITY_LIMIT"],
    response: cart,
  },
  {
    method: "DELETE",
    path: "/cart/items/:productId",
    action: "carts.removeItem",
    access: "user",
    summary: "Remove a line",
    tag: "Cart",
    params: { productId: productIdRule },
    response: cart,
  },
  {
    method: "DELETE",
    path: "/cart",
    action: "carts.clear",
    access: "user",
    status: 204,
    summary: "Empty the cart",
    tag: "Cart",
    params: {},
  },
];
