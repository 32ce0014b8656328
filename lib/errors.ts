/**
 * The domain's errors, on top of Moleculer's. Every error carries an HTTP-like numeric `code`,
 * a stable SCREAMING_SNAKE `type` and optional `data`. Errors crossing the transporter are rebuilt
 * by name, so callers handle them by `type`/`code`, never by `instanceof`.
 */
import { Errors } from "./moleculer.ts";

const { MoleculerClientError, MoleculerRetryableError } = Errors;

/**
 * Every public error `type`, with the one HTTP status it is answered with. The union is closed:
 * an error class takes only the types of its own status (tsc refuses any other), the route table
 * lists the types each route can answer (lib/http/routes/), and the OpenAPI document says them.
 */
export const ERROR_TYPES = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  REQUEST_ABORTED: 400,
  MALFORMED_REQUEST: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  ACCOUNT_DELETED: 401,
  PAYMENT_DECLINED: 402,
  INSUFFICIENT_FUNDS: 402,
  FORBIDDEN: 403,
  USER_BANNED: 403,
  IP_BLOCKED: 403,
  NOT_PRODUCT_OWNER: 403,
  NOT_ORDER_MERCHANT: 403,
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  OUT_OF_STOCK: 409,
  STOCK_RESERVED: 409,
  CART_CHANGED: 409,
  ORDER_NOT_PENDING: 409,
  ORDER_NOT_CANCELLABLE: 409,
  INVALID_STATUS_TRANSITION: 409,
  ORDER_NOT_SHIPPED: 409,
  ORDER_NOT_RETURNABLE: 409,
  RETURN_WINDOW_CLOSED: 409,
  RETURN_NOT_REQUESTED: 409,
  ORDER_NOT_PAID: 409,
  ORDER_HAS_OTHER_MERCHANTS: 409,
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  TOO_MANY_PENDING_ORDERS: 409,
  PAYMENT_IN_PROGRESS: 409,
  PAYMENT_NOT_REFUNDABLE: 409,
  PAYMENT_ATTEMPT_MISMATCH: 409,
  RESERVATION_RELEASED: 409,
  RESERVATION_REFUSED: 409,
  CURRENCY_MISMATCH: 409,
  ORDER_NOT_COMPLETED: 409,
  ALREADY_REVIEWED: 409,
  ALREADY_REPLIED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED_CHARSET: 415,
  UNSUPPORTED_ENCODING: 415,
  VALIDATION_ERROR: 422,
  CART_EMPTY: 422,
  QUANTITY_LIMIT: 422,
  INVALID_CARD_NUMBER: 422,
  INVALID_EXPIRY: 422,
  INVALID_CVV: 422,
  CARD_EXPIRED: 422,
  INVALID_PHONE: 422,
  INVALID_COUNTRY: 422,
  ADDRESS_INCOMPLETE: 422,
  INVALID_CURRENCY: 422,
  INVALID_CURRENT_PASSWORD: 422,
  PASSWORD_TOO_COMMON: 422,
  UNKNOWN_CATEGORY: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  ORDER_TOTAL_TOO_LARGE: 422,
  MIXED_CURRENCY: 422,
  INVALID_RULE: 422,
  PRODUCT_UNAVAILABLE: 422,
  CART_FULL: 422,
  BODY_TOO_DEEP: 422,
  TOO_MANY_KEYS: 422,
  CANNOT_BAN_SELF: 422,
  CHECKOUT_MISMATCH: 422,
  INVALID_RETURN_ITEMS: 422,
  ADDRESS_BOOK_FULL: 422,
  FAVORITES_FULL: 422,
  RATE_LIMITED: 429,
  TOO_MANY_CONNECTIONS: 429,
  TOO_MANY_STREAMS: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  BUSY: 503,
  PAYMENT_UNAVAILABLE: 503,
  CART_UNAVAILABLE: 503,
  STOCK_UNAVAILABLE: 503,
  CHECKOUT_INTERRUPTED: 503,
  TIMEOUT: 504,
} as const;

export type ErrorType = keyof typeof ERROR_TYPES;
export type ErrorStatus = (typeof ERROR_TYPES)[ErrorType];
/** The types answered with one status, e.g. `TypeOf<409>`. */
export type TypeOf<S extends ErrorStatus> = {
  [K in ErrorType]: (typeof ERROR_TYPES)[K] extends S ? K : never;
}[ErrorType];

/** Whether a text is one of the public error types. */
export function isErrorType(text: unknown): text is ErrorType {
  return typeof text === "string" && Object.hasOwn(ERROR_TYPES, text);
}

/** 400: the request itself is malformed (a missing header, unreadable JSON). */
export class BadRequestError extends MoleculerClientError {
  constructor(message: string, type: TypeOf<400> = "BAD_REQUEST", data?: unknown) {
    super(message, 400, type, data);
    this.name = "BadRequestError";
  }
}

/** 401: no valid credentials. */
export class UnauthorizedError extends MoleculerClientError {
  constructor(
    message = "Authentication required",
    type: TypeOf<401> = "UNAUTHORIZED",
    data?: unknown,
  ) {
    super(message, 401, type, data);
    this.name = "UnauthorizedError";
  }
}

/** 402: the payment was refused by the processor. */
export class PaymentDeclinedError extends MoleculerClientError {
  constructor(message: string, type: TypeOf<402> = "PAYMENT_DECLINED", data?: unknown) {
    super(message, 402, type, data);
    this.name = "PaymentDeclinedError";
  }
}

/** 403: authenticated, but not allowed. */
export class ForbiddenError extends MoleculerClientError {
  constructor(
    message = "You are not allowed to do this",
    type: TypeOf<403> = "FORBIDDEN",
    data?: unknown,
  ) {
    super(message, 403, type, data);
    this.name = "ForbiddenError";
  }
}

/** 404: the entity does not exist, or the caller may not know it exists. */
export class NotFoundError extends MoleculerClientError {
  constructor(entity: string, id?: string | number) {
    super(
      `${entity} not found`,
      404,
      "NOT_FOUND",
      id === undefined ? undefined : { id: String(id) },
    );
    this.name = "NotFoundError";
  }
}

/** 409: the request conflicts with the current state. */
export class ConflictError extends MoleculerClientError {
  constructor(message: string, type: TypeOf<409> = "CONFLICT", data?: unknown) {
    super(message, 409, type, data);
    this.name = "ConflictError";
  }
}

/** 413: the request body is larger than the route accepts. */
export class PayloadTooLargeError extends MoleculerClientError {
  constructor(message: string, type: TypeOf<413> = "PAYLOAD_TOO_LARGE", data?: unknown) {
    super(message, 413, type, data);
    this.name = "PayloadTooLargeError";
  }
}

/** 415: a body in a media type, charset or content encoding the route does not take. */
export class UnsupportedMediaTypeError extends MoleculerClientError {
  constructor(message: string, type: TypeOf<415> = "UNSUPPORTED_MEDIA_TYPE", data?: unknown) {
    super(message, 415, type, data);
    this.name = "UnsupportedMediaTypeError";
  }
}

/** 422: well-formed, but semantically invalid. */
export class UnprocessableError extends MoleculerClientError {
  constructor(message: string, type: TypeOf<422> = "VALIDATION_ERROR", data?: unknown) {
    super(message, 422, type, data);
    this.name = "ValidationError";
  }
}

/** 429: too many requests. */
export class RateLimitedError extends MoleculerClientError {
  constructor(retryAfterSeconds: number) {
    super("Too many requests, slow down", 429, "RATE_LIMITED", { retryAfter: retryAfterSeconds });
    this.name = "RateLimitedError";
  }
}

/** 503: a dependency is down; safe to retry later. */
export class UnavailableError extends MoleculerRetryableError {
  constructor(message: string, type: TypeOf<503 | 504> = "SERVICE_UNAVAILABLE", data?: unknown) {
    super(message, 503, type, data);
    this.name = "UnavailableError";
  }
}

/** Reads the `type` of any error, local or rebuilt from the transporter. */
export function errorType(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "type" in err
    ? String((err as { type: unknown }).type)
    : undefined;
}
