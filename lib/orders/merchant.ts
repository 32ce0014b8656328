/**
 * What a merchant sees of the orders holding its products (API.md "Merchants"): only its own
 * lines and their subtotal, the address to ship to, never the buyer's email or payment; whether
 * it may ship an order; and its sales summary, added up in SQL (both dialects).
 */
import type { Sequelize } from "sequelize";
import { iso } from "../model-helpers.ts";
import { selectRows } from "../sql.ts";
import type { Address, Order } from "./models.ts";
import { returnRequestView, type ReturnRequestView } from "./returns.ts";
import type { OrderStatus } from "./state.ts";
import {
  lineView,
  shipmentView,
  type OrderView,
  type ShipmentView,
  type ViewLine,
} from "./view.ts";

/** lib/http/routes/merchant.ts `merchantOrder`. */
export interface MerchantOrderView {
  id: string;
  status: string;
  items: OrderView["items"];
  /** The sum of the merchant's own lines. */
  total: number;
  currency: string;
  address: Address;
  shipment: ShipmentView | null;
  /** The after-sale request the merchant decides (lib/orders/returns.ts), or null. */
  returnRequest: ReturnRequestView | null;
  paidAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type MerchantLine = ViewLine & { merchantId?: string | number | null };

const mine = (merchantId: string) => (l: MerchantLine) =>
  l.merchantId !== null && l.merchantId !== undefined && String(l.merchantId) === merchantId;

/** The order as `merchantId` sees it: its own lines only, their subtotal, no email or payment. */
export function merchantOrderView(
  order: Order,
  lines: readonly MerchantLine[],
  merchantId: string,
): MerchantOrderView {
  const items = lines.filter(mine(merchantId)).map(lineView);
  return {
    id: String(order.id),
    status: order.status,
    items,
    total: items.reduce((sum, i) => sum + i.lineTotal, 0),
    currency: order.currency,
    address: order.address,
    shipment: shipmentView(order),
    returnRequest: returnRequestView(order),
    paidAt: iso(order.paidAt),
    createdAt: iso(order.createdAt)!,
    updatedAt: iso(order.updatedAt)!,
  };
}

/**
 * Whether `merchantId` may ship an order with these lines: "not_found" when none is its own
 * (another merchant's order is indistinguishable from none), "mixed" when some line is another
 * seller's (the admin ships those), "own" when every line is its own.
 */
export function shipRight(
  lines: readonly MerchantLine[],
  merchantId: string,
): "own" | "mixed" | "not_found" {
  const own = lines.filter(mine(merchantId)).length;
  if (own === 0) return "not_found";
  return own === lines.length ? "own" : "mixed";
}

/**
 * The statuses of paid orders, whose lines' units count as sold unless refunded: a return asked
 * for is still a sale until it is approved, and a return of some units leaves the rest sold.
 */
export const SALE_STATUSES: readonly OrderStatus[] = [
  "paid",
  "shipped",
  "completed",
  "return_requested",
  "refunded",
];

export { MAX_SUMMARY_DAYS } from "./merchant-limits.ts";

/** A line's units still sold. */
const SOLD = "(i.quantity - i.refundedQuantity)";
export const TOP_PRODUCTS = 10;

export interface SalesSummary {
  revenue: number;
  orders: number;
  unitsSold: number;
  byDay: Array<{ date: string; revenue: number; orders: number }>;
  topProducts: Array<{ productId: string; name: string; units: number; revenue: number }>;
}

/** A day's sums as the grouped query answers them (numbers may come back as strings). */
export interface DayRow {
  day: unknown;
  revenue: unknown;
  orders: unknown;
  units: unknown;
}

export interface ProductRow {
  productId: unknown;
  name: unknown;
  units: unknown;
  revenue: unknown;
}

/** The first instant counted by a summary of `days` days ending `now`: UTC midnight, days-1 ago. */
export function summaryStart(days: number, now: Date): Date {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  start.setUTCDate(start.getUTCDate() - (days - 1));
  return start;
}

/** The UTC dates (YYYY-MM-DD) of a summary of `days` days ending `now`, oldest first. */
export function summaryDays(days: number, now: Date): string[] {
  const start = summaryStart(days, now);
  return Array.from({ length: days }, (_, i) => {
    const d = new Date(start);
    d.setUTCDate(start.getUTCDate() + i);
    return d.toISOString().slice(0, 10);
  });
}

/** The summary from the grouped rows: every day of the window (zero when nothing sold). */
export function summarize(
  days: number,
  now: Date,
  dayRows: readonly DayRow[],
  productRows: readonly ProductRow[],
): SalesSummary {
  const byDate = new Map(dayRows.map((r) => [String(r.day).slice(0, 10), r]));
  const byDay = summaryDays(days, now).map((date) => {
    const r = byDate.get(date);
    return { date, revenue: Number(r?.revenue ?? 0), orders: Number(r?.orders ?? 0) };
  });
  const inWindow = new Set(byDay.map((d) => d.date));
  const counted = dayRows.filter((r) => inWindow.has(String(r.day).slice(0, 10)));
  return {
    revenue: byDay.reduce((sum, d) => sum + d.revenue, 0),
    orders: byDay.reduce((sum, d) => sum + d.orders, 0),
    unitsSold: counted.reduce((sum, r) => sum + Number(r.units ?? 0), 0),
    byDay,
    topProducts: productRows.map((r) => ({
      productId: String(r.productId),
      name: String(r.name),
      units: Number(r.units),
      revenue: Number(r.revenue),
    })),
  };
}

/**
 * The merchant's sales over `days` days ending `now` (by paidAt, UTC days): the units of its
 * lines in paid orders that were not refunded, grouped by day and by product in SQL. An order
 * counts on a day when some of its units are still sold.
 */
export async function salesSummary(
  sequelize: Sequelize,
  merchantId: string,
  days: number,
  now: Date = new Date(),
): Promise<SalesSummary> {
  const statuses = SALE_STATUSES.map(() => "?").join(", ");
  // The date part of paidAt: SQLite stores 'YYYY-MM-DD HH:MM:SS.sss +00:00', MariaDB a DATETIME.
  const day =
    sequelize.getDialect() === "sqlite"
      ? "substr(o.paidAt, 1, 10)"
      : "DATE_FORMAT(o.paidAt, '%Y-%m-%d')";
  const from =
    "FROM order_items i JOIN orders o ON o.id = i.orderId " +
    `WHERE i.merchantId = ? AND o.status IN (${statuses}) AND o.paidAt >= ? AND o.paidAt <= ? ` +
    "AND i.quantity > i.refundedQuantity";
  const values = [merchantId, ...SALE_STATUSES, summaryStart(days, now), now];
  const [dayRows, productRows] = await Promise.all([
    selectRows<DayRow>(
      sequelize,
      `SELECT ${day} AS day, SUM(i.price * ${SOLD}) AS revenue, ` +
        `COUNT(DISTINCT o.id) AS orders, SUM(${SOLD}) AS units ${from} GROUP BY ${day}`,
      values,
    ),
    selectRows<ProductRow>(
      sequelize,
      `SELECT i.productId AS productId, MAX(i.name) AS name, SUM(${SOLD}) AS units, ` +
        `SUM(i.price * ${SOLD}) AS revenue ${from} GROUP BY i.productId ` +
        `ORDER BY revenue DESC, units DESC, i.productId ASC LIMIT ${TOP_PRODUCTS}`,
      values,
    ),
  ]);
  return summarize(days, now, dayRows, productRows);
}
