/**
 * The per-account login limit (OWASP Authentication Cheat Sheet): failed logins of an account are
 * counted from every address; past a free allowance each further failure doubles a wait, capped.
 * The wait never applies to an address that has logged in to the account before, so an attacker
 * who guesses from anywhere cannot lock the owner out; the tight per-(account, address) limit is
 * the gateway's (lib/access/route-limits.ts).
 */
import type { KeyValueStore } from "../store/kv.ts";
import type { Limit } from "../access/rate-limit.ts";

export interface LoginBackoffSettings {
  /** Failures per account allowed in the window before the wait starts; undefined: no backoff. */
  free: Limit | undefined;
  maxDelayMs: number;
}

/** How long an address that logged in to an account stays exempt from the account's wait. */
export const KNOWN_ADDRESS_TTL_MS = 30 * 86_400_000;

const failures = (email: string) => `login:fail:${email}`;
const waitUntil = (email: string) => `login:wait:${email}`;
const known = (email: string, address: string) => `login:known:${email}:${address}`;

/** The wait after the given number of failures: 0 within the allowance, then 1 s, 2 s, 4 s… */
export function backoffDelayMs(failureCount: number, settings: LoginBackoffSettings): number {
  if (!settings.free || failureCount <= settings.free.count) return 0;
  const doublings = Math.min(40, failureCount - settings.free.count - 1);
  return Math.min(settings.maxDelayMs, 1000 * 2 ** doublings);
}

/** Milliseconds the address must still wait before trying this account again (0: go ahead). */
export async function loginWaitMs(
  store: KeyValueStore,
  email: string,
  address: string | undefined,
): Promise<number> {
  const keys = address ? [waitUntil(email), known(email, address)] : [waitUntil(email)];
  const [until, isKnown] = await store.mget(keys);
  if (!until || isKnown) return 0;
  return Math.max(0, Number(until) - Date.now());
}

/** Counts a failed login of the account and starts (or lengthens) its wait past the allowance. */
export async function recordLoginFailure(
  store: KeyValueStore,
  settings: LoginBackoffSettings,
  email: string,
): Promise<void> {
  if (!settings.free) return;
  const { count } = await store.hit(failures(email), settings.free.windowMs);
  const delay = backoffDelayMs(count, settings);
  if (delay > 0) await store.set(waitUntil(email), String(Date.now() + delay), delay);
}

/** Remembers the address the owner logged in from: the account's wait does not apply to it. */
export async function recordLoginSuccess(
  store: KeyValueStore,
  email: string,
  address: string | undefined,
): Promise<void> {
  if (address) await store.set(known(email, address), "1", KNOWN_ADDRESS_TTL_MS);
}
