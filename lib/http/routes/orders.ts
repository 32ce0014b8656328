import type { ErrorType } from "../../errors.ts";
import { STATUS_FILTERS } from "../../orders/tabs.ts";
import { pageParams } from "../../pagination.ts";
import type { RouteDef } from "../route.ts";
import { order, orderPage } from "./order-schemas.ts";

const textRule = (min: number, max: number) => ({ type: "string", trim: true, min, max }) as const;
const optionalTextRule = (max: number) => ({ ...textRule(0, max), optional: true }) as const;

/**
 * A delivery address (API.md "Address"): its shape. The number's, the country's and a Chinese
 * address's parts are lib/orders/address.ts's `checkAddress` (422 with their own type).
 */
export const addressRule = {
  type: "object",
  strict: true,
  description:
    "For CN, phone is an 11-digit mobile number (1[3-9] and nine digits, optional +86) and " +
    "province and city are required (422 INVALID_PHONE, ADDRESS_INCOMPLETE); an address without " +
    "province or district is the older shape (line1, city, country). A country that is not two " +
    "letters → 422 INVALID_COUNTRY.",
  props: {
    name: { ...textRule(1, 100), description: "the recipient", example: "张三" },
    phone: { ...textRule(1, 32), example: "13800138000" },
    province: { ...optionalTextRule(100), example: "浙江省" },
    city: { ...textRule(1, 100), example: "杭州市" },
    district: { ...optionalTextRule(100), example: "西湖区" },
    line1: { ...textRule(1, 200), description: "street and number", example: "文三路 90 号" },
    line2: optionalTextRule(200),
    state: { ...optionalTextRule(100), description: "older shape; province for CN" },
    country: {
      ...textRule(1, 56),
      optional: true,
      description: "ISO 3166-1 alpha-2, any case; CN when absent",
      example: "CN",
    },
    postalCode: optionalTextRule(20),
  },
} as const;

/** A card: its shape only. Luhn, expiry and CVV are lib/payments/card.ts's (422 with a type). */
export const cardRule = {
  type: "object",
  strict: true,
  description:
    "Test cards: 4242424242424242 succeeds, 4000000000000002 is declined (402 PAYMENT_DECLINED), " +
    "4000000000009995 has insufficient funds (402 INSUFFICIENT_FUNDS). Never stored: only its " +
    "last four digits and brand.",
  props: {
    number: { type: "string", min: 1, max: 40, example: "4242424242424242" },
    expMonth: { type: "number", integer: true, convert: true, example: 12 },
    expYear: {
      type: "number",
      integer: true,
      convert: true,
      description: "YYYY or YY",
      example: 2030,
    },
    cvv: { type: "string", convert: true, min: 1, max: 8, example: "123" },
    name: optionalTextRule(100),
  },
} as const;

/** An order id (path), or a user id (the admin list's filter). */
export const orderIdRule = { type: "string", numeric: true, max: 20 } as const;

/** The list filter: one of the statuses a client can see, or a tab (lib/orders/tabs.ts). */
export const statusFilterRule = {
  type: "enum",
  values: [...STATUS_FILTERS],
  optional: true,
  description:
    "a status, or a tab: to_pay (pending), to_ship (paid), to_receive (shipped), done " +
    "(completed), after_sale (refunded)",
} as const;

/** The search of an order list: the order id, or part of a line's product name. */
export const orderSearchRule = {
  type: "string",
  trim: true,
  min: 1,
  max: 100,
  optional: true,
  description: "the order id, or part of the name of one of its products",
  example: "耳机",
} as const;

/** The query of an order list: a page, a status or tab, and a search. */
export const orderListParams = {
  ...pageParams,
  status: statusFilterRule,
  q: orderSearchRule,
} as const;

/** A carrier and tracking number (the merchant's ship; optional in the admin's fulfilment). */
export const carrierRule = {
  type: "string",
  trim: true,
  min: 1,
  max: 60,
  example: "顺丰速运",
} as const;
export const trackingNumberRule = {
  type: "string",
  trim: true,
  min: 1,
  max: 60,
  example: "SF1234567890",
} as const;

const fulfilmentStatuses = ["shipped", "completed"] as const;

/** The buyer's reason for a return, or the merchant's for a decision. */
const reasonRule = (optional: boolean) =>
  ({
    type: "string",
    trim: true,
    min: 1,
    max: 500,
    ...(optional ? { optional: true } : {}),
  }) as const;

/** The lines a return covers (API.md POST /orders/{id}/return). */
export const returnItemsRule = {
  type: "array",
  optional: true,
  min: 1,
  max: 200,
  description: "the units sent back; every line in full when absent",
  items: {
    type: "object",
    strict: true,
    props: {
      productId: { type: "string", numeric: true, max: 20, example: "1" },
      quantity: { type: "number", integer: true, positive: true, max: 10_000, example: 1 },
    },
  },
} as const;

/** Refusals of a card before it is charged, and the processor's answers. */
const CARD_ERRORS: readonly ErrorType[] = [
  "INVALID_CARD_NUMBER",
  "INVALID_EXPIRY",
  "INVALID_CVV",
  "CARD_EXPIRED",
  "PAYMENT_DECLINED",
  "INSUFFICIENT_FUNDS",
  "PAYMENT_ATTEMPT_MISMATCH",
  "PAYMENT_IN_PROGRESS",
  "PAYMENT_UNAVAILABLE",
  "ORDER_NOT_PENDING",
];
const ADDRESS_ERRORS: readonly ErrorType[] = [
  "INVALID_PHONE",
  "INVALID_COUNTRY",
  "ADDRESS_INCOMPLETE",
];

/** The id of the created order's body, narrowed: the gateway hands over whatever the action answered. */
function orderLocation(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("id" in body)) return undefined;
  const { id: orderId } = body;
  return typeof orderId === "string" && orderId !== ""
    ? `/api/orders/${encodeURIComponent(orderId)}`
    : undefined;
}

export const ordersRoutes: RouteDef[] = [
  {
    method: "POST",
    path: "/checkout",
    action: "orders.checkout",
    access: "user",
    status: 201,
    idempotent: true,
    location: orderLocation,
    summary: "Turn the cart into an order, reserving its stock; with a card, also pay",
    description:
      "The order takes the catalog's prices at reservation; its stock is held until it is paid " +
      "or expires (`expiresAt`). A cart is checked out once: a concurrent checkout of the same " +
      "cart gets 409 CART_CHANGED. With a card the order is paid in the same request; a declined " +
      "card (402) leaves the order pending, to be paid with POST /orders/{id}/pay. 503 " +
      "CHECKOUT_INTERRUPTED, STOCK_UNAVAILABLE, CART_UNAVAILABLE and PAYMENT_UNAVAILABLE are not " +
      "remembered: retry with the same Idempotency-Key.",
    tag: "Orders",
    params: {
      address: { ...addressRule, optional: true },
      addressId: {
        type: "string",
        pattern: /^[1-9]\d{0,18}$/,
        optional: true,
        description:
          "instead of `address`: one of the caller's saved addresses (GET /users/me/addresses), " +
          "copied into the order; another user's → 404. Exactly one of the two (422 otherwise)",
      },
      saveAddress: {
        type: "boolean",
        optional: true,
        description:
          "with `address`: also keep it in the caller's address book (unless it is there or the " +
          "book is full; never fails the checkout)",
      },
      email: { type: "email", normalize: true, max: 254, optional: true },
      card: { ...cardRule, optional: true },
    },
    errors: [
      ...ADDRESS_ERRORS,
      "NOT_FOUND",
      ...CARD_ERRORS,
      "CART_EMPTY",
      "CART_CHANGED",
      "PRODUCT_UNAVAILABLE",
      "MIXED_CURRENCY",
      "ORDER_TOTAL_TOO_LARGE",
      "OUT_OF_STOCK",
      "QUANTITY_LIMIT",
      "RESERVATION_REFUSED",
      "CHECKOUT_MISMATCH",
      "TOO_MANY_PENDING_ORDERS",
      "CART_UNAVAILABLE",
      "STOCK_UNAVAILABLE",
      "CHECKOUT_INTERRUPTED",
    ],
    response: order,
  },
  {
    method: "GET",
    path: "/orders",
    action: "orders.list",
    access: "user",
    summary: "The caller's orders, newest first",
    description:
      "`status` takes a status or a tab (to_pay, to_ship, to_receive, done, after_sale); `q` " +
      "matches the order id or part of a product name of its lines.",
    tag: "Orders",
    params: orderListParams,
    response: orderPage,
  },
  {
    method: "GET",
    path: "/orders/:id",
    action: "orders.get",
    access: "user",
    summary: "One of the caller's orders",
    tag: "Orders",
    params: { id: orderIdRule },
    errors: ["NOT_FOUND"],
    response: order,
  },
  {
    method: "PATCH",
    path: "/orders/:id",
    action: "orders.updateAddress",
    access: "user",
    summary: "Change the delivery address while the order is pending",
    tag: "Orders",
    params: { id: orderIdRule, address: addressRule },
    errors: ["NOT_FOUND", "ORDER_NOT_PENDING", ...ADDRESS_ERRORS],
    response: order,
  },
  {
    method: "POST",
    path: "/orders/:id/pay",
    action: "orders.pay",
    access: "user",
    idempotent: true,
    summary: "Pay a pending order by card",
    description:
      "A declined card (402) leaves the order pending. 409 PAYMENT_IN_PROGRESS while another " +
      "attempt is charging it; 409 ORDER_NOT_PENDING once it is paid, cancelled or expired. 503 " +
      "PAYMENT_UNAVAILABLE is not remembered: retry with the same Idempotency-Key.",
    tag: "Orders",
    params: { id: orderIdRule, card: cardRule },
    errors: ["NOT_FOUND", ...CARD_ERRORS],
    response: order,
  },
  {
    method: "POST",
    path: "/orders/:id/cancel",
    action: "orders.cancel",
    access: "user",
    summary: "Cancel a pending order, or refund a paid one; the stock returns",
    tag: "Orders",
    params: { id: orderIdRule },
    errors: ["NOT_FOUND", "ORDER_NOT_CANCELLABLE"],
    response: order,
  },
  {
    method: "POST",
    path: "/orders/:id/receive",
    action: "orders.receive",
    access: "user",
    summary: "Confirm receipt of a shipped order",
    description:
      "`shipped` → `completed`. An order nobody confirms completes by itself " +
      "ORDER_AUTO_COMPLETE_DAYS (default 10) after shipping. Any other status → 409 " +
      "ORDER_NOT_SHIPPED.",
    tag: "Orders",
    params: { id: orderIdRule },
    errors: ["NOT_FOUND", "ORDER_NOT_SHIPPED"],
    response: order,
  },
  {
    method: "POST",
    path: "/orders/:id/return",
    action: "orders.requestReturn",
    access: "user",
    summary: "Request a return (after-sale) of a shipped or completed order",
    description:
      "Within RETURN_WINDOW_DAYS (default 7) of delivery: `completedAt`, or `shippedAt` while the " +
      "order is still shipped; later → 409 RETURN_WINDOW_CLOSED. The order becomes " +
      "`return_requested` until the merchant (or an admin) decides. `items` must be lines of the " +
      "order, at most the units ordered (422 INVALID_RETURN_ITEMS). An approved return refunds " +
      "the payment in full.",
    tag: "Orders",
    params: { id: orderIdRule, reason: reasonRule(false), items: returnItemsRule },
    errors: ["NOT_FOUND", "ORDER_NOT_RETURNABLE", "RETURN_WINDOW_CLOSED", "INVALID_RETURN_ITEMS"],
    response: order,
  },
  {
    method: "POST",
    path: "/merchant/orders/:id/return/decide",
    action: "orders.decideReturn",
    access: ["merchant", "admin"],
    summary: "Approve or reject an order's return (the merchant of every line, or an admin)",
    description:
      "Approved: `refunded`; the returned units' price is refunded once (the payment " +
      "`partially_refunded` when some units are kept, `refunded` when all came back; each " +
      "line's `refundedQuantity`) and those units are back in stock. " +
      "Rejected (a `reason` is required, else 422 VALIDATION_ERROR): back to `shipped` or " +
      "`completed`, the reason shown in `returnRequest.decisionReason`. An order with none of the " +
      "merchant's products → 404; one that also holds another merchant's → 403 " +
      "NOT_ORDER_MERCHANT (an admin decides it). No return awaiting a decision → 409 " +
      "RETURN_NOT_REQUESTED.",
    tag: "Merchants",
    params: { id: orderIdRule, approve: { type: "boolean" }, reason: reasonRule(true) },
    errors: ["NOT_FOUND", "NOT_ORDER_MERCHANT", "RETURN_NOT_REQUESTED"],
    response: order,
  },
  {
    method: "GET",
    path: "/admin/orders",
    action: "orders.adminList",
    access: ["admin"],
    summary: "Every order, newest first (admin)",
    tag: "Administration",
    params: { ...orderListParams, userId: { ...orderIdRule, optional: true } },
    response: orderPage,
  },
  {
    method: "PATCH",
    path: "/admin/orders/:id",
    action: "orders.fulfil",
    access: ["admin"],
    summary: "Fulfilment: mark a paid order shipped, or a shipped one completed (admin)",
    description: "Asking for the status the order already has changes nothing (200).",
    tag: "Administration",
    params: {
      id: orderIdRule,
      status: { type: "enum", values: [...fulfilmentStatuses] },
      carrier: { ...carrierRule, optional: true },
      trackingNumber: { ...trackingNumberRule, optional: true },
    },
    errors: ["NOT_FOUND", "INVALID_STATUS_TRANSITION"],
    response: order,
  },
];
