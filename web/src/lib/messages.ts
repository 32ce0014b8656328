/** What to tell a person when a call fails: one clear sentence per error type of the API. */
import { ApiError } from "../api/errors.ts";

export type ErrorTone = "error" | "warning";

export interface Explained {
  message: string;
  tone: ErrorTone;
  /** Field messages of a VALIDATION_ERROR, keyed as the server names them. */
  fields: Record<string, string>;
}

function seconds(n: number): string {
  return n === 1 ? "1 second" : `${n} seconds`;
}

const BY_TYPE: Record<string, (e: ApiError) => string> = {
  OUT_OF_STOCK: (e) => {
    const data = (e.data ?? {}) as { available?: unknown; name?: unknown };
    const available = Number(data.available);
    const what = typeof data.name === "string" && data.name ? `“${data.name}”` : "this item";
    if (Number.isFinite(available) && available > 0) {
      return `Sorry, only ${available} of ${what} left in stock. Lower the quantity and try again.`;
    }
    if (Number.isFinite(available) && available <= 0) {
      return `Sorry, ${what} is out of stock.`;
    }
    return "Sorry, there isn't enough stock for that. Lower the quantity or choose something else.";
  },
  PAYMENT_DECLINED: () =>
    "Your card was declined. Nothing was charged and your order is still waiting: try another card.",
  INSUFFICIENT_FUNDS: () =>
    "Your card was declined for insufficient funds. Nothing was charged: try another card.",
  ORDER_NOT_PENDING: () =>
    "This order can no longer be paid: it has expired or was cancelled, and its items went back to stock.",
  RATE_LIMITED: (e) =>
    e.retryAfter !== undefined
      ? `Too many requests. Please wait ${seconds(e.retryAfter)} and try again.`
      : "Too many requests. Please wait a moment and try again.",
  USER_BANNED: () =>
    "Your account has been suspended, so you can't do this. Contact support if you think this is a mistake.",
  IP_BLOCKED: () => "Access from your network address has been blocked.",
  CART_EMPTY: () => "Your cart is empty. Add something before checking out.",
  EMAIL_TAKEN: () => "An account with this email already exists. Log in instead?",
  INVALID_CREDENTIALS: () => "Wrong email or password.",
  VALIDATION_ERROR: (e) =>
    Object.keys(e.fields).length > 0
      ? "Please correct the highlighted fields."
      : e.message || "Some of the details aren't valid.",
  PAYMENT_UNAVAILABLE: () =>
    "Payments are unavailable right now. Your order is saved: you can pay it later from Your orders.",
  IDEMPOTENCY_KEY_IN_PROGRESS: () =>
    "Your previous attempt is still being processed. Please wait a moment before trying again.",
  IDEMPOTENCY_KEY_REUSED: () =>
    "These details changed since the last attempt. Please submit again.",
  NETWORK_ERROR: () => "Can't reach the shop. Check your connection and try again.",
  ABORTED: () => "The request was cancelled.",
  UNAUTHORIZED: () => "Your session has ended. Please log in again.",
  FORBIDDEN: () => "You don't have permission to do that.",
  NOT_FOUND: () => "We couldn't find that. It may have been removed.",
  PAYLOAD_TOO_LARGE: () => "That is too large to send.",
  SERVICE_UNAVAILABLE: () =>
    "This part of the shop is temporarily unavailable. Please try again shortly.",
};

const WARNINGS = new Set([
  "RATE_LIMITED",
  "PAYMENT_UNAVAILABLE",
  "SERVICE_UNAVAILABLE",
  "NETWORK_ERROR",
  "IDEMPOTENCY_KEY_IN_PROGRESS",
]);

/** The sentence, tone and field messages for any thrown value. */
export function explain(err: unknown): Explained {
  if (!(err instanceof ApiError)) {
    return { message: "Something went wrong. Please try again.", tone: "error", fields: {} };
  }
  const describe = BY_TYPE[err.type];
  let message: string;
  if (describe) message = describe(err);
  else if (err.status >= 500)
    message = "Something went wrong on our side. Please try again in a moment.";
  else if (err.status === 401) message = BY_TYPE.UNAUTHORIZED(err);
  else if (err.status === 403) message = BY_TYPE.FORBIDDEN(err);
  else message = err.message || "Something went wrong. Please try again.";
  return {
    message,
    tone: WARNINGS.has(err.type) || err.status >= 500 ? "warning" : "error",
    fields: err.type === "VALIDATION_ERROR" ? err.fields : {},
  };
}

/** Just the sentence. */
export function errorMessage(err: unknown): string {
  return explain(err).message;
}
