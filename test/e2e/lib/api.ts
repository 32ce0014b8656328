/** Test setup through the public REST API: accounts, roles, products, carts. */
import { SHOP_URL } from "./browser.ts";

export const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? "admin@shop.test";
export const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? "admin-password";
export const RUN = Date.now().toString(36);

export interface Account {
  id: string;
  email: string;
  password: string;
  name: string;
  accessToken: string;
}

let counter = 0;
export function uniqueEmail(label: string): string {
  counter += 1;
  return `e2e-${label}-${RUN}-${counter}@example.com`;
}

export async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(`${SHOP_URL}/api${path}`, {
    method,
    headers: {
      Accept: "application/json",
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** True when the shop answers; the suite skips otherwise. */
export async function shopIsUp(): Promise<boolean> {
  try {
    const res = await fetch(`${SHOP_URL}/api/health`, { signal: AbortSignal.timeout(3000) });
    return res.ok;
  } catch {
    return false;
  }
}

interface SessionAnswer {
  user: { id: string; email: string; name: string };
  accessToken: string;
}

export async function register(label: string, name = `E2E ${label}`): Promise<Account> {
  const email = uniqueEmail(label);
  const password = "e2e-password-123";
  const s = await call<SessionAnswer>("POST", "/auth/register", { email, password, name });
  return { id: s.user.id, email, password, name, accessToken: s.accessToken };
}

export async function login(email: string, password: string): Promise<Account> {
  const s = await call<SessionAnswer>("POST", "/auth/login", { email, password });
  return { id: s.user.id, email, password, name: s.user.name, accessToken: s.accessToken };
}

export const admin = () => login(ADMIN_EMAIL, ADMIN_PASSWORD);

export async function setRole(
  adminToken: string,
  userId: string,
  role: "customer" | "merchant" | "admin",
): Promise<void> {
  await call("PATCH", `/admin/users/${encodeURIComponent(userId)}`, { role }, adminToken);
}

export interface Product {
  id: string;
  name: string;
  price: number;
}

export async function createProduct(
  token: string,
  name: string,
  price: number,
  stock = 50,
): Promise<Product> {
  return call<Product>(
    "POST",
    "/products",
    { name, description: `Made for the end-to-end run ${RUN}.`, price, stock, categories: [] },
    token,
  );
}

export async function addToCart(token: string, productId: string, quantity = 1): Promise<void> {
  await call("POST", "/cart/items", { productId, quantity }, token);
}

/** Turns the cart into a pending order (not paid), with the older address shape. */
export async function checkout(token: string): Promise<{ id: string }> {
  return call<{ id: string }>(
    "POST",
    "/checkout",
    {
      address: {
        name: "E2E Shopper",
        phone: "+86 138 0000 0000",
        line1: "1 Test Road",
        city: "Hangzhou",
        country: "CN",
      },
    },
    token,
    { "Idempotency-Key": `e2e-${RUN}-${Math.random().toString(36).slice(2)}` },
  );
}
