/**
 * Pure helpers of the Idempotency-Key semantics: how a key is scoped, how a request is
 * fingerprinted (same key + different body → 422), and which outcomes are remembered.
 */
import { createHash } from "node:crypto";

/** The key's identity: scoped to the user and the route, stored only as a hash. */
export function scopeOf(userId: string, route: string, key: string): string {
  return sha256(`${userId}\n${route}\n${key}`);
}

/** JSON with object keys sorted at every level, so equal requests hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * The fingerprint of a request. A card is reduced to its last four digits and expiry first: the
 * stored hash must not let anyone recover a card number or CVV by brute force.
 */
export function requestHash(request: Record<string, unknown>): string {
  const { card, ...rest } = request;
  const safe = card === undefined ? rest : { ...rest, card: cardFingerprint(card) };
  return sha256(canonicalJson(safe));
}

function cardFingerprint(card: unknown): unknown {
  if (typeof card !== "object" || card === null) return card;
  const c = card as { number?: unknown; expMonth?: unknown; expYear?: unknown };
  const digits = typeof c.number === "string" ? c.number.replace(/\D/g, "") : "";
  return { last4: digits.slice(-4), expMonth: c.expMonth, expYear: c.expYear };
}

/** The payment attempt id for a request: the same key always retries the same attempt. */
export function attemptIdOf(scope: string, orderId: string): string {
  return sha256(`attempt\n${scope}\n${orderId}`);
}

/**
 * Whether an outcome is remembered and replayed. Client errors (4xx) and successes are; server
 * errors (5xx, timeouts, a dependency down) are not: the key is released so that a retry with the
 * same key runs again — safe because every step resumes instead of repeating.
 */
export function isRemembered(status: number): boolean {
  return status < 500;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
