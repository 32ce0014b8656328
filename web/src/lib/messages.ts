/** What to tell a person when a call fails: one clear sentence per error type of the API. */
import { ApiError } from "../api/errors.ts";
import { i18n } from "../i18n/index.ts";

export type ErrorTone = "error" | "warning";

export interface Explained {
  message: string;
  tone: ErrorTone;
  /** Field messages of a VALIDATION_ERROR, keyed as the server names them. */
  fields: Record<string, string>;
}

const t = (key: string, options?: Record<string, unknown>): string => i18n.t(key, options);

const BY_TYPE: Record<string, (e: ApiError) => string> = {
  OUT_OF_STOCK: (e) => {
    const data = (e.data ?? {}) as { available?: unknown; name?: unknown };
    const available = Number(data.available);
    const what =
      typeof data.name === "string" && data.name
        ? t("errors.quotedName", { name: data.name })
        : t("errors.thisItem");
    if (Number.isFinite(available) && available > 0) {
      return t("errors.OUT_OF_STOCK_some", { count: available, what });
    }
    if (Number.isFinite(available) && available <= 0) {
      return t("errors.OUT_OF_STOCK_none", { what });
    }
    return t("errors.OUT_OF_STOCK");
  },
  PAYMENT_DECLINED: () => t("errors.PAYMENT_DECLINED"),
  INSUFFICIENT_FUNDS: () => t("errors.INSUFFICIENT_FUNDS"),
  ORDER_NOT_PENDING: () => t("errors.ORDER_NOT_PENDING"),
  ORDER_NOT_PAID: () => t("errors.ORDER_NOT_PAID"),
  ORDER_HAS_OTHER_MERCHANTS: () => t("errors.ORDER_HAS_OTHER_MERCHANTS"),
  ORDER_NOT_COMPLETED: () => t("errors.ORDER_NOT_COMPLETED"),
  ALREADY_REVIEWED: () => t("errors.ALREADY_REVIEWED"),
  ALREADY_REPLIED: () => t("errors.ALREADY_REPLIED"),
  RATE_LIMITED: (e) =>
    e.retryAfter !== undefined
      ? t("errors.RATE_LIMITED_wait", { count: e.retryAfter })
      : t("errors.RATE_LIMITED"),
  USER_BANNED: () => t("errors.USER_BANNED"),
  IP_BLOCKED: () => t("errors.IP_BLOCKED"),
  CART_EMPTY: () => t("errors.CART_EMPTY"),
  EMAIL_TAKEN: () => t("errors.EMAIL_TAKEN"),
  INVALID_CREDENTIALS: () => t("errors.INVALID_CREDENTIALS"),
  VALIDATION_ERROR: (e) =>
    Object.keys(e.fields).length > 0
      ? t("errors.VALIDATION_ERROR_fields")
      : e.message || t("errors.VALIDATION_ERROR"),
  INVALID_PHONE: () => t("errors.INVALID_PHONE"),
  ADDRESS_INCOMPLETE: () => t("errors.ADDRESS_INCOMPLETE"),
  INVALID_COUNTRY: () => t("errors.INVALID_COUNTRY"),
  ADDRESS_BOOK_FULL: () => t("errors.ADDRESS_BOOK_FULL"),
  FAVORITES_FULL: () => t("errors.FAVORITES_FULL"),
  INVALID_CURRENT_PASSWORD: () => t("errors.INVALID_CURRENT_PASSWORD"),
  PASSWORD_TOO_COMMON: () => t("errors.PASSWORD_TOO_COMMON"),
  PAYMENT_UNAVAILABLE: () => t("errors.PAYMENT_UNAVAILABLE"),
  IDEMPOTENCY_KEY_IN_PROGRESS: () => t("errors.IDEMPOTENCY_KEY_IN_PROGRESS"),
  IDEMPOTENCY_KEY_REUSED: () => t("errors.IDEMPOTENCY_KEY_REUSED"),
  NETWORK_ERROR: () => t("errors.NETWORK_ERROR"),
  ABORTED: () => t("errors.ABORTED"),
  UNAUTHORIZED: () => t("errors.UNAUTHORIZED"),
  FORBIDDEN: () => t("errors.FORBIDDEN"),
  NOT_FOUND: () => t("errors.NOT_FOUND"),
  PAYLOAD_TOO_LARGE: () => t("errors.PAYLOAD_TOO_LARGE"),
  SERVICE_UNAVAILABLE: () => t("errors.SERVICE_UNAVAILABLE"),
};

/** The address errors name their fields; the message beside each is ours, in the app's language. */
const FIELD_MESSAGE: Record<string, string> = {
  INVALID_PHONE: "checkout.badMobile",
  ADDRESS_INCOMPLETE: "checkout.choose",
  INVALID_COUNTRY: "checkout.badCountry",
  INVALID_CURRENT_PASSWORD: "errors.INVALID_CURRENT_PASSWORD",
  PASSWORD_TOO_COMMON: "errors.PASSWORD_TOO_COMMON",
};

const WARNINGS = new Set([
  "RATE_LIMITED",
  "PAYMENT_UNAVAILABLE",
  "SERVICE_UNAVAILABLE",
  "NETWORK_ERROR",
  "IDEMPOTENCY_KEY_IN_PROGRESS",
]);

function fieldsOf(err: ApiError): Record<string, string> {
  if (err.type === "VALIDATION_ERROR") return err.fields;
  const key = FIELD_MESSAGE[err.type];
  if (!key) return {};
  return Object.fromEntries(Object.keys(err.fields).map((field) => [field, t(key)]));
}

/** The sentence, tone and field messages for any thrown value. */
export function explain(err: unknown): Explained {
  if (!(err instanceof ApiError)) {
    return { message: t("errors.UNKNOWN"), tone: "error", fields: {} };
  }
  const describe = BY_TYPE[err.type];
  let message: string;
  if (describe) message = describe(err);
  else if (err.status >= 500) message = t("errors.SERVER");
  else if (err.status === 401) message = BY_TYPE.UNAUTHORIZED(err);
  else if (err.status === 403) message = BY_TYPE.FORBIDDEN(err);
  else message = err.message || t("errors.UNKNOWN");
  return {
    message,
    tone: WARNINGS.has(err.type) || err.status >= 500 ? "warning" : "error",
    fields: fieldsOf(err),
  };
}

/** Just the sentence. */
export function errorMessage(err: unknown): string {
  return explain(err).message;
}
