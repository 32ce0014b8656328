/**
 * The shop's business metrics, in one place: their names, labels and the helpers services call.
 * They live in each node's Moleculer metric registry next to Moleculer's own metrics, so they
 * are exported by the same Prometheus endpoint (see prometheus.ts) and read by the monitor.
 *
 * Every helper is safe to call on a broker without metrics (it does nothing).
 */
import type { ServiceBroker } from "moleculer";

export const SHOP_METRICS = {
  logins: "shop.logins.total",
  orderTransitions: "shop.orders.transitions.total",
  payments: "shop.payments.total",
  stockOuts: "shop.stockouts.total",
  rateLimited: "shop.gateway.rate_limited.total",
  banned: "shop.gateway.banned.total",
  cache: "shop.cache.requests.total",
  httpRequests: "shop.http.requests.total",
} as const;

export type LoginOutcome = "success" | "failure";
export type PaymentOutcome =
  "succeeded" | "declined" | "insufficient_funds" | "invalid_card" | "unavailable" | "refunded";
/** "rejected": a request was refused for lack of stock; "depleted": a product's stock hit 0. */
export type StockOutKind = "rejected" | "depleted";
export type BanKind = "user" | "ip";
export type CacheResult = "hit" | "miss";

const DEFINITIONS = [
  {
    name: SHOP_METRICS.logins,
    labelNames: ["outcome"],
    description: "Password logins by outcome (success, failure)",
  },
  {
    name: SHOP_METRICS.orderTransitions,
    labelNames: ["from", "to"],
    description: "Order status changes (from -> to; from is 'none' for a new order)",
  },
  {
    name: SHOP_METRICS.payments,
    labelNames: ["outcome"],
    description: "Payment attempts and refunds by outcome",
  },
  {
    name: SHOP_METRICS.stockOuts,
    labelNames: ["kind"],
    description: "Stock-outs: requests refused for lack of stock, products sold out",
  },
  {
    name: SHOP_METRICS.rateLimited,
    labelNames: ["rule"],
    description: "Requests refused by a gateway rate limit (429), by rule",
  },
  {
    name: SHOP_METRICS.banned,
    labelNames: ["kind"],
    description: "Requests refused because the user or address is blacklisted",
  },
  {
    name: SHOP_METRICS.cache,
    labelNames: ["cache", "result"],
    description: "Cache lookups by cache and result (hit, miss)",
  },
  {
    name: SHOP_METRICS.httpRequests,
    labelNames: ["method", "route", "status"],
    description: "HTTP requests answered by this gateway node",
  },
] as const;

/** Registers the shop's metrics on a broker (idempotent; called by the middleware). */
export function registerShopMetrics(broker: ServiceBroker): void {
  if (!broker.isMetricsEnabled()) return;
  for (const def of DEFINITIONS) {
    if (broker.metrics.getMetric(def.name)) continue;
    broker.metrics.register({
      name: def.name,
      type: "counter",
      labelNames: [...def.labelNames],
      description: def.description,
    });
  }
}

function count(broker: ServiceBroker, name: string, labels: Record<string, string>): void {
  if (!broker.isMetricsEnabled()) return;
  broker.metrics.increment(name, labels);
}

/** users.login: one per login attempt. */
export function countLogin(broker: ServiceBroker, outcome: LoginOutcome): void {
  count(broker, SHOP_METRICS.logins, { outcome });
}

/** orders: one per status change; `from` is "none" when the order is created. */
export function countOrderTransition(broker: ServiceBroker, from: string, to: string): void {
  count(broker, SHOP_METRICS.orderTransitions, { from, to });
}

/** payments: one per charge attempt (and per refund). */
export function countPayment(broker: ServiceBroker, outcome: PaymentOutcome): void {
  count(broker, SHOP_METRICS.payments, { outcome });
}

/** products: a reservation refused for lack of stock ("rejected") or stock reaching 0. */
export function countStockOut(broker: ServiceBroker, kind: StockOutKind): void {
  count(broker, SHOP_METRICS.stockOuts, { kind });
}

/** gateway: a request answered 429 by the rate limit `rule` (e.g. "global", "login"). */
export function countRateLimited(broker: ServiceBroker, rule: string): void {
  count(broker, SHOP_METRICS.rateLimited, { rule });
}

/** gateway: a request refused because the user or the address is blacklisted. */
export function countBanned(broker: ServiceBroker, kind: BanKind): void {
  count(broker, SHOP_METRICS.banned, { kind });
}

/** Any cache: one per lookup. The action cacher is counted as cache "actions" by itself. */
export function countCache(broker: ServiceBroker, cache: string, result: CacheResult): void {
  count(broker, SHOP_METRICS.cache, { cache, result });
}

/** Counts the hits and misses of the broker's action cacher (Memory or Redis). */
export function instrumentCacher(broker: ServiceBroker): void {
  const cacher = broker.cacher as { get?: (key: string) => Promise<unknown> } | undefined;
  if (!cacher?.get || !broker.isMetricsEnabled()) return;
  const get = cacher.get.bind(cacher);
  cacher.get = async (key: string) => {
    const value = await get(key);
    countCache(broker, "actions", value === null || value === undefined ? "miss" : "hit");
    return value;
  };
}
