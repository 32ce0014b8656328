/**
 * The tabs of an order list (GET /api/orders and GET /api/merchant/orders `status`): each groups
 * statuses of lib/orders/state.ts as a shopper sees them. Adding a status to a tab is one line.
 */
import { PUBLIC_STATUSES, type PublicStatus } from "./state.ts";

export const ORDER_TABS = {
  /** 待付款 */
  to_pay: ["pending"],
  /** 待发货 */
  to_ship: ["paid"],
  /** 待收货 */
  to_receive: ["shipped"],
  /** 已完成 */
  done: ["completed"],
  /** 售后 */
  after_sale: ["return_requested", "refunded"],
} as const satisfies Record<string, readonly PublicStatus[]>;
export type OrderTab = keyof typeof ORDER_TABS;
export const ORDER_TAB_NAMES = Object.keys(ORDER_TABS) as OrderTab[];

/** What a list's `status` filter accepts: a public status or a tab. */
export const STATUS_FILTERS = [...PUBLIC_STATUSES, ...ORDER_TAB_NAMES] as const;
export type StatusFilter = PublicStatus | OrderTab;

/** The statuses a `status` filter selects (every public status when there is none). */
export function statusesOf(filter: StatusFilter | undefined): PublicStatus[] {
  if (filter === undefined) return [...PUBLIC_STATUSES];
  if (filter in ORDER_TABS) return [...ORDER_TABS[filter as OrderTab]];
  return [filter as PublicStatus];
}

/** A LIKE pattern matching `text` anywhere, its wildcards escaped with `!` (`ESCAPE '!'`). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
