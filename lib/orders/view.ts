/** The public shape of an order (API.md): money in integers, timestamps in ISO-8601 UTC. */
import { iso } from "../model-helpers.ts";
import { lineTotal } from "./money.ts";
import { returnRequestView, type ReturnRequestView } from "./returns.ts";
import type { Address, Order, OrderItem, PaymentSummary } from "./models.ts";

export interface OrderView {
  id: string;
  userId: string;
  status: string;
  items: Array<{
    productId: string;
    name: string;
    price: number;
    quantity: number;
    lineTotal: number;
    refundedQuantity: number;
    merchantId: string | null;
  }>;
  total: number;
  currency: string;
  address: Address;
  email: string | null;
  payment: {
    id: string;
    status: string;
    amount: number;
    cardLast4: string;
    cardBrand: string;
    transactionId: string | null;
    createdAt: string;
    refundedAmount: number | null;
  } | null;
  /** The last return request and its decision (lib/orders/returns.ts), or null. */
  returnRequest: ReturnRequestView | null;
  shipment: ShipmentView | null;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface ShipmentView {
  carrier: string | null;
  trackingNumber: string | null;
  shippedAt: string;
}

/** What the view shows of a line (a stored OrderItem, or a line as it was just written). */
export type ViewLine = Pick<OrderItem, "productId" | "name" | "price" | "quantity"> & {
  merchantId?: string | number | null;
  refundedQuantity?: number | null;
};

/** The line as shown (lib/http/routes/orders.ts `orderLine`). */
export function lineView(i: ViewLine): OrderView["items"][number] {
  return {
    productId: String(i.productId),
    name: i.name,
    price: Number(i.price),
    quantity: i.quantity,
    lineTotal: lineTotal({ price: Number(i.price), quantity: i.quantity }),
    refundedQuantity: Number(i.refundedQuantity ?? 0),
    merchantId: i.merchantId === null || i.merchantId === undefined ? null : String(i.merchantId),
  };
}

/** The shipment of a shipped order (null before): carrier and tracking number when given. */
export function shipmentView(
  order: Pick<Order, "shippedAt" | "carrier" | "trackingNumber">,
): ShipmentView | null {
  if (!order.shippedAt) return null;
  return {
    carrier: order.carrier ?? null,
    trackingNumber: order.trackingNumber ?? null,
    shippedAt: iso(order.shippedAt)!,
  };
}

export function orderView(order: Order, items: readonly ViewLine[]): OrderView {
  return {
    id: String(order.id),
    userId: String(order.userId),
    status: order.status,
    items: items.map(lineView),
    total: Number(order.total),
    currency: order.currency,
    address: order.address,
    email: order.email,
    payment: paymentView(order.payment),
    returnRequest: returnRequestView(order),
    shipment: shipmentView(order),
    expiresAt: iso(order.expiresAt)!,
    createdAt: iso(order.createdAt)!,
    updatedAt: iso(order.updatedAt)!,
  };
}

function paymentView(p: PaymentSummary | null): OrderView["payment"] {
  if (!p) return null;
  return {
    id: p.id,
    status: p.status,
    amount: p.amount,
    cardLast4: p.cardLast4,
    cardBrand: p.cardBrand,
    transactionId: p.transactionId,
    createdAt: p.createdAt,
    // A copy made before refunds could be partial says `refunded`: it was refunded in full.
    refundedAmount: p.refundedAmount ?? (p.status === "refunded" ? p.amount : null),
  };
}
