import type { OpenApiSchema, RouteDef } from "../route.ts";

const money: OpenApiSchema = { type: "integer", description: "minor units (fen/cents)" };

const address: OpenApiSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "phone", "line1", "city"],
  description:
    "For CN, phone is an 11-digit mobile number (1[3-9] and nine digits, optional +86) and province " +
    "and city are required (422 INVALID_PHONE, ADDRESS_INCOMPLETE); an address without province is " +
    "the older shape (line1, city, country). A country that is not two letters → 422 INVALID_COUNTRY.",
  properties: {
    name: { type: "string", minLength: 1, maxLength: 100, description: "the recipient" },
    phone: { type: "string", minLength: 1, maxLength: 32, example: "13800138000" },
    province: { type: "string", maxLength: 100, example: "浙江省" },
    city: { type: "string", minLength: 1, maxLength: 100, example: "杭州市" },
    district: { type: "string", maxLength: 100, example: "西湖区" },
    line1: { type: "string", minLength: 1, maxLength: 200, description: "street and number" },
    line2: { type: "string", maxLength: 200 },
    state: { type: "string", maxLength: 100, description: "older shape; province for CN" },
    country: {
      type: "string",
      pattern: "^[A-Za-z]{2}$",
      default: "CN",
      description: "ISO 3166-1 alpha-2",
    },
    postalCode: { type: "string", maxLength: 20 },
  },
};

const card: OpenApiSchema = {
  type: "object",
  additionalProperties: false,
  required: ["number", "expMonth", "expYear", "cvv"],
  description:
    "Test cards: 4242424242424242 succeeds, 4000000000000002 is declined, 4000000000009995 has insufficient funds",
  properties: {
    number: { type: "string" },
    expMonth: { type: "integer", minimum: 1, maximum: 12 },
    expYear: { type: "integer" },
    cvv: { type: "string" },
    name: { type: "string" },
  },
};

import { PUBLIC_STATUSES as statuses } from "../../orders/state.ts";

const order: OpenApiSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    userId: { type: "string" },
    status: { type: "string", enum: statuses },
    items: {
      type: "array",
      items: {
        type: "object",
        properties: {
          productId: { type: "string" },
          name: { type: "string" },
          price: money,
          quantity: { type: "integer" },
          lineTotal: money,
        },
      },
    },
    total: money,
    currency: { type: "string" },
    address,
    email: { type: ["string", "null"] },
    payment: {
      type: ["object", "null"],
      properties: {
        id: { type: "string" },
        status: { type: "string", enum: ["captured", "declined", "refunded"] },
        amount: money,
        cardLast4: { type: "string" },
        cardBrand: { type: "string" },
        transactionId: { type: ["string", "null"] },
        createdAt: { type: "string", format: "date-time" },
      },
    },
    expiresAt: { type: "string", format: "date-time" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
};

const orderList: OpenApiSchema = {
  type: "object",
  properties: {
    rows: { type: "array", items: order },
    total: { type: "integer" },
    page: { type: "integer" },
    pageSize: { type: "integer" },
    totalPages: { type: "integer" },
  },
};

const listQuery = {
  page: { type: "integer", minimum: 1 },
  pageSize: { type: "integer", minimum: 1, maximum: 100 },
  status: { type: "string", enum: statuses },
};

export const ordersRoutes: RouteDef[] = [
  {
    method: "POST",
    path: "/checkout",
    action: "orders.checkout",
    access: "user",
    status: 201,
    idempotent: true,
    location: (body) => (body?.id ? `/api/orders/${body.id}` : undefined),
    summary:
      "Turn the cart into an order at current prices, reserving its stock; with a card, also pay",
    tag: "Orders",
    body: { address, email: { type: "string", format: "email" }, card },
    requiredBody: ["address"],
    response: order,
  },
  {
    method: "GET",
    path: "/orders",
    action: "orders.list",
    access: "user",
    summary: "The caller's orders, newest first",
    tag: "Orders",
    query: listQuery,
    response: orderList,
  },
  {
    method: "GET",
    path: "/orders/:id",
    action: "orders.get",
    access: "user",
    summary: "One of the caller's orders",
    tag: "Orders",
    response: order,
  },
  {
    method: "PATCH",
    path: "/orders/:id",
    action: "orders.updateAddress",
    access: "user",
    summary: "Change the delivery address while the order is pending",
    tag: "Orders",
    body: { address },
    requiredBody: ["address"],
    response: order,
  },
  {
    method: "POST",
    path: "/orders/:id/pay",
    action: "orders.pay",
    access: "user",
    idempotent: true,
    summary: "Pay a pending order by card",
    tag: "Orders",
    body: { card },
    requiredBody: ["card"],
    response: order,
  },
  {
    method: "POST",
    path: "/orders/:id/cancel",
    action: "orders.cancel",
    access: "user",
    summary: "Cancel a pending order, or refund a paid one; the stock returns",
    tag: "Orders",
    response: order,
  },
  {
    method: "GET",
    path: "/admin/orders",
    action: "orders.adminList",
    access: ["admin"],
    summary: "Every order, newest first (admin)",
    tag: "Administration",
    query: { ...listQuery, userId: { type: "string" } },
    response: orderList,
  },
  {
    method: "PATCH",
    path: "/admin/orders/:id",
    action: "orders.fulfil",
    access: ["admin"],
    summary: "Fulfilment: mark a paid order shipped, or a shipped one completed (admin)",
    tag: "Administration",
    body: { status: { type: "string", enum: ["shipped", "completed"] } },
    requiredBody: ["status"],
    response: order,
  },
];
