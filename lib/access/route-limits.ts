/**
 * The stricter per-route limits (API.md "Rate limits"): which counters a request spends, and
 * against which limit. Login is counted per (account, address) and per address over all
 * accounts (five times that limit), registration per address, checkout and pay per user. Pure:
 * the gateway checks them. The looser per-account limit, with its growing waits, is the users
 * service's (lib/users/login-backoff.ts): it must know which attempts failed.
 */
import type { Config } from "../config.ts";
import type { Limit } from "./rate-limit.ts";
import { normaliseEmail } from "../users/email.ts";

export type RouteLimitName = "login" | "register" | "checkout";

const ROUTE_LIMITS: Record<string, RouteLimitName> = {
  "POST /auth/login": "login",
  "POST /auth/register": "register",
  "POST /checkout": "checkout",
  "POST /orders/:id/pay": "checkout",
};

export interface RouteLimitRequest {
  /** The route table's method and path of the matched route. */
  method: string;
  path: string;
  clientIp: string;
  userId?: string;
  /** The login body's email (the account a login attempt counts against). */
  email?: unknown;
}

/** The counters the request spends (key and limit), or none for a route without its own limit. */
export function routeLimitChecks(
  limits: Pick<Config["rateLimits"], "login" | "register" | "checkout">,
  req: RouteLimitRequest,
): { name: RouteLimitName; checks: Array<{ key: string; limit: Limit }> } | undefined {
  const name = ROUTE_LIMITS[`${req.method} ${req.path}`];
  if (!name) return undefined;
  const checks: Array<{ key: string; limit: Limit | undefined }> = [];
  if (name === "login") {
    // The account as users.login finds it: " E", "E\n" and "e" spend one counter.
    const email = normaliseEmail(req.email).slice(0, 254);
    checks.push({ key: `login:acct:${email}:ip:${req.clientIp}`, limit: limits.login });
    const perIp = limits.login && { ...limits.login, count: limits.login.count * 5 };
    checks.push({ key: `login:ip:${req.clientIp}`, limit: perIp });
  } else if (name === "register") {
    checks.push({ key: `register:ip:${req.clientIp}`, limit: limits.register });
  } else {
    checks.push({ key: `checkout:user:${req.userId ?? req.clientIp}`, limit: limits.checkout });
  }
  return {
    name,
    checks: checks.filter((c): c is { key: string; limit: Limit } => c.limit !== undefined),
  };
}
