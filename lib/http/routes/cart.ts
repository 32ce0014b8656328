import type { OpenApiSchema, RouteDef } from "../route.ts";

const cart: OpenApiSchema = {
  type: "object",
  properties: {
    items: {
      type: "array",
      items: {
        type: "object",
        properties: {
          productId: { type: "string" },
          quantity: { type: "integer", minimum: 1, maximum: 99 },
          product: {
            type: "object",
            properties: {
              id: { type: "string" },
              name: { type: "string" },
              price: { type: "integer" },
              currency: { type: "string" },
              stock: { type: "integer" },
              picture: { type: ["string", "null"] },
              available: {
                type: "boolean",
                description: "false once the product is deleted: not counted in the totals",
              },
            },
          },
          lineTotal: { type: "integer", description: "price × quantity; 0 when unavailable" },
        },
      },
    },
    subtotal: { type: "integer", description: "minor units, available lines only" },
    currency: { type: "string" },
    itemCount: { type: "integer", description: "units in available lines" },
  },
};

export const cartRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/cart",
    action: "carts.get",
    access: "user",
    summary: "The caller's cart at current prices",
    tag: "Cart",
    response: cart,
  },
  {
    method: "POST",
    path: "/cart/items",
    action: "carts.addItem",
    access: "user",
    summary: "Add a product (merges into its line); more than the stock → 409 OUT_OF_STOCK",
    tag: "Cart",
    body: {
      productId: { type: "string" },
      quantity: { type: "integer", minimum: 1, maximum: 99 },
    },
    requiredBody: ["productId", "quantity"],
    response: cart,
  },
  {
    method: "PUT",
    path: "/cart/items/:productId",
    action: "carts.setItem",
    access: "user",
    summary: "Set a line's quantity (0 removes it)",
    tag: "Cart",
    body: { quantity: { type: "integer", minimum: 0, maximum: 99 } },
    requiredBody: ["quantity"],
    response: cart,
  },
  {
    method: "DELETE",
    path: "/cart/items/:productId",
    action: "carts.removeItem",
    access: "user",
    summary: "Remove a line",
    tag: "Cart",
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
  },
];
