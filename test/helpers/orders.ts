/** Shared fixtures of the orders suites: addresses, test cards, checkout and waiting helpers. */
import { randomUUID } from "node:crypto";
import type { Catalog, Shopper } from "./order-catalog.ts";
import { call, registerUser, type Reply } from "./http.ts";

export const ADDRESS = {
  name: "Ada Lovelace",
  phone: "+86 138 0000 0000",
  line1: "1 Test Road",
  city: "Hangzhou",
  country: "CN",
  postalCode: "310000",
};

const nextYear = new Date().getUTCFullYear() + 2;

export const CARDS = {
  ok: { number: "4242424242424242", expMonth: 12, expYear: nextYear, cvv: "123" },
  declined: { number: "4000000000000002", expMonth: 12, expYear: nextYear, cvv: "123" },
  insufficient: { number: "4000000000009995", expMonth: 12, expYear: nextYear, cvv: "123" },
  badLuhn: { number: "4242424242424241", expMonth: 12, expYear: nextYear, cvv: "123" },
  expired: { number: "4242424242424242", expMonth: 1, expYear: 2020, cvv: "123" },
  badCvv: { number: "4242424242424242", expMonth: 12, expYear: nextYear, cvv: "12" },
};

export function newKey(): string {
  return randomUUID();
}

export function checkout(
  url: string,
  shopper: Shopper,
  body: Record<string, unknown> = { address: ADDRESS },
  key: string | null = newKey(),
): Promise<Reply> {
  return call(url, "POST", "/api/checkout", body, {
    token: shopper.accessToken,
    headers: key === null ? {} : { "idempotency-key": key },
  });
}

export function payOrder(
  url: string,
  shopper: Shopper,
  orderId: string,
  card: Record<string, unknown> = CARDS.ok,
  key: string = newKey(),
): Promise<Reply> {
  return call(
    url,
    "POST",
    `/api/orders/${orderId}/pay`,
    { card },
    { token: shopper.accessToken, headers: { "idempotency-key": key } },
  );
}

/** A new customer whose cart holds `quantity` of each product. */
export async function shopperWithCart(
  url: string,
  catalog: Catalog,
  lines: Array<[productId: string, quantity: number]>,
): Promise<Shopper> {
  const shopper = await registerUser(url, "buyer");
  for (const [productId, quantity] of lines) await catalog.addToCart(shopper, productId, quantity);
  return shopper;
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** The lines of an OUT_OF_STOCK error, ids as strings (the catalog's ids are opaque). */
export function shortLines(
  data: unknown,
): Array<{ productId: string; requested: number; available: number }> {
  return (data as Array<{ productId: unknown; requested: number; available: number }>).map((d) => ({
    productId: String(d.productId),
    requested: d.requested,
    available: d.available,
  }));
}
