/** The tabs of an order list (待付款/待发货/待收货/已完成/售后), as the API's `status` takes them. */
import type { OrderStatus, OrderTab } from "../api/types.ts";

/** The tabs in the order they are shown; "" is every order. */
export const ORDER_TABS: ReadonlyArray<OrderTab | ""> = [
  "",
  "to_pay",
  "to_ship",
  "to_receive",
  "done",
  "after_sale",
];

/** The tab a `status` query value names ("" for none or one the app does not know). */
export function tabOf(value: string | null): OrderTab | "" {
  const tab = value ?? "";
  return (ORDER_TABS as readonly string[]).includes(tab) ? (tab as OrderTab | "") : "";
}

/** The picture of an ordered product (the shop draws one for every product, deleted ones too). */
export function linePicture(productId: string): string {
  return `/api/pictures/${encodeURIComponent(productId)}.svg`;
}

/** Whether a merchant can ship an order (the API answers 409 otherwise). */
export function canShip(status: OrderStatus): boolean {
  return status === "paid";
}

/** The title of an empty order list: nothing found for `q`, nothing in the tab, or none at all. */
export function emptyListTitle(
  t: (key: string, values?: Record<string, string>) => string,
  q: string,
  tab: OrderTab | "",
  none: string,
): string {
  if (q) return t("orders.noneFound", { q });
  if (tab) return t("orders.noneWith", { status: t(`orderTabs.${tab}`) });
  return none;
}
