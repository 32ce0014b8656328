/**
 * The shapes of an order as the API answers it (lib/orders/view.ts): the response schemas of the
 * orders routes, and the parts the merchant and account routes share.
 */
import { PUBLIC_STATUSES } from "../../orders/state.ts";
import type { JsonSchema } from "../params-schema.ts";
import { currency, id, money, nullable, object, page, text, timestamp } from "../schema.ts";

const optionalText = nullable(text);

/** lib/orders/view.ts `lineView`. */
export const orderLine = object(
  {
    productId: id,
    name: { ...text, description: "as when ordered" },
    price: { ...money, minimum: 0, description: "minor units, as reserved" },
    quantity: { type: "integer", minimum: 1 },
    lineTotal: { ...money, minimum: 0, description: "price × quantity" },
    refundedQuantity: {
      type: "integer",
      minimum: 0,
      description: "units refunded: returned ones, or all of a cancelled paid order",
    },
    merchantId: {
      ...nullable(id),
      description: "the merchant selling it; null: the shop's own (or ordered before merchants)",
    },
  },
  [],
  { title: "OrderLine" },
);

/** lib/orders/view.ts `shipmentView`. */
/** An order's after-sale request and its decision (lib/orders/returns.ts). */
export const returnRequest: JsonSchema = {
  ...nullable(
    object({
      reason: { ...text, description: "the buyer's, as given" },
      status: { type: "string", enum: ["requested", "approved", "rejected"] },
      items: {
        type: "array",
        description: "the units sent back (every line in full when the buyer named none)",
        items: object({ productId: id, quantity: { type: "integer", minimum: 1 } }),
      },
      decisionReason: {
        ...nullable(text),
        description: "the merchant's or admin's reason (required for a rejection)",
      },
      createdAt: timestamp,
      decidedAt: nullable(timestamp),
    }),
  ),
  description:
    "the last return request and its decision; null when none was made. A rejected one " +
    "stays shown after the order went back to shipped or completed",
};

export const shipment = {
  ...nullable(
    object({
      carrier: nullable(text),
      trackingNumber: nullable(text),
      shippedAt: timestamp,
    }),
  ),
  description: "null until shipped; carrier and tracking number null when the admin gave none",
};

export const orderAddress = object(
  {
    name: text,
    phone: text,
    province: optionalText,
    city: text,
    district: optionalText,
    line1: text,
    line2: optionalText,
    state: optionalText,
    country: { type: "string", pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2" },
    postalCode: optionalText,
  },
  ["province", "district", "line2", "state", "postalCode"],
);

/** lib/orders/view.ts `orderView`. */
export const order = object(
  {
    id,
    userId: id,
    status: { type: "string", enum: [...PUBLIC_STATUSES] },
    items: { type: "array", items: orderLine },
    total: { ...money, minimum: 0 },
    currency,
    address: orderAddress,
    email: { ...nullable(text), description: "the receipt address given at checkout" },
    payment: {
      ...nullable(
        object({
          id,
          status: {
            type: "string",
            enum: ["captured", "declined", "refunded", "partially_refunded"],
            description: "partially_refunded: a return of some units refunded their price",
          },
          amount: { ...money, minimum: 0 },
          refundedAmount: {
            ...nullable({ ...money, minimum: 0 }),
            description: "what was given back; null before any refund",
          },
          cardLast4: { type: "string", pattern: "^\\d{4}$" },
          cardBrand: {
            type: "string",
            enum: ["visa", "mastercard", "amex", "discover", "unionpay", "jcb", "unknown"],
          },
          transactionId: nullable(text),
          createdAt: timestamp,
        }),
      ),
      description:
        "the last attempt (a declined one too), or the refunded capture; null before any",
    },
    returnRequest,
    shipment,
    expiresAt: { ...timestamp, description: "a pending order not paid by then is cancelled" },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  [],
  { title: "Order" },
);

export const orderPage: JsonSchema = { ...page(order), title: "OrderPage" };
