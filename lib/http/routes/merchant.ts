/** A merchant's orders and sales (API.md "Merchants"): only the lines of its own products. */
import { MAX_SUMMARY_DAYS } from "../../orders/merchant-limits.ts";
import { PUBLIC_STATUSES } from "../../orders/state.ts";
import type { JsonSchema } from "../params-schema.ts";
import type { RouteDef } from "../route.ts";
import { count, currency, id, money, object, page, text, timestamp, nullable } from "../schema.ts";
import { orderAddress, orderLine, returnRequest, shipment } from "./order-schemas.ts";
import { carrierRule, orderIdRule, orderListParams, trackingNumberRule } from "./orders.ts";

const MERCHANTS = ["merchant", "admin"] as const;

/** lib/orders/merchant.ts `merchantOrderView`: no buyer email, no payment. */
const merchantOrder = object(
  {
    id,
    status: { type: "string", enum: [...PUBLIC_STATUSES] },
    items: {
      type: "array",
      items: orderLine,
      description: "only the lines of the caller's products",
    },
    total: { ...money, minimum: 0, description: "the sum of the caller's lines" },
    currency,
    address: { ...orderAddress, description: "where to ship" },
    shipment,
    returnRequest,
    paidAt: nullable(timestamp),
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  [],
  {
    title: "MerchantOrder",
    description:
      "An order as a merchant sees it: its own lines and their subtotal, the shipping address; " +
      "never the buyer's email or payment.",
  },
);

/** lib/orders/merchant.ts `SalesSummary`. */
const salesSummary = object(
  {
    revenue: { ...money, minimum: 0, description: "the caller's lines of paid orders" },
    orders: { ...count, description: "orders holding one of the caller's lines" },
    unitsSold: count,
    byDay: {
      type: "array",
      description: "every day of the window (UTC), oldest first, by payment time",
      items: object({
        date: { type: "string", format: "date" },
        revenue: { ...money, minimum: 0 },
        orders: count,
      }),
    },
    topProducts: {
      type: "array",
      description: "at most 10, by revenue",
      items: object({ productId: id, name: text, units: count, revenue: { ...money, minimum: 0 } }),
    },
  },
  [],
  { title: "SalesSummary" },
);

const merchantOrderPage: JsonSchema = { ...page(merchantOrder), title: "MerchantOrderPage" };

export const merchantRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/merchant/orders",
    action: "orders.merchantList",
    access: MERCHANTS,
    summary: "Orders holding the caller's products, newest first (merchant)",
    description:
      "Only the caller's lines and their subtotal; the buyer's address for shipping, never the " +
      "buyer's email or payment. `status` takes a status or a tab (to_pay, to_ship, " +
      "to_receive, done, after_sale); `q` matches the order id or part of a product name.",
    tag: "Merchants",
    params: orderListParams,
    response: merchantOrderPage,
  },
  {
    method: "POST",
    path: "/merchant/orders/:id/ship",
    action: "orders.merchantShip",
    access: MERCHANTS,
    summary: "Ship a paid order of the caller's products (merchant)",
    description:
      "`paid` → `shipped` when every line is the caller's; an order also holding other sellers' " +
      "products is 409 ORDER_HAS_OTHER_MERCHANTS (the admin ships it); an order not paid (or " +
      "already shipped) is 409 ORDER_NOT_PAID; an order without the caller's products is 404.",
    tag: "Merchants",
    params: { id: orderIdRule, carrier: carrierRule, trackingNumber: trackingNumberRule },
    errors: ["NOT_FOUND", "ORDER_HAS_OTHER_MERCHANTS", "ORDER_NOT_PAID"],
    response: merchantOrder,
  },
  {
    method: "GET",
    path: "/merchant/summary",
    action: "orders.merchantSummary",
    access: MERCHANTS,
    summary: "The caller's sales: revenue, orders, units, by day, top products (merchant)",
    description:
      "Over the units of the caller's lines of orders paid in the last `days` days (UTC days, " +
      "today included), less the refunded ones (a cancellation, a return).",
    tag: "Merchants",
    params: {
      days: {
        type: "number",
        integer: true,
        min: 1,
        max: MAX_SUMMARY_DAYS,
        convert: true,
        optional: true,
        description: "default 30",
        example: 30,
      },
    },
    response: salesSummary,
  },
];
