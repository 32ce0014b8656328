/**
 * The domain's errors, on top of Moleculer's. Every error carries an HTTP-like numeric `code`,
 * a stable SCREAMING_SNAKE `type` and optional `data`. Errors crossing the transporter are rebuilt
 * by name, so callers handle them by `type`/`code`, never by `instanceof`.
 */
import { Errors } from "./moleculer.ts";

const { MoleculerClientError, MoleculerRetryableError } = Errors;

/** 400: the request itself is malformed (a missing header, unreadable JSON). */
export class BadRequestError extends MoleculerClientError {
  constructor(message: string, type = "BAD_REQUEST", data?: unknown) {
    super(message, 400, type, data);
    this.name = "BadRequestError";
  }
}

/** 401: no valid credentials. */
export class UnauthorizedError extends MoleculerClientError {
  constructor(message = "Authentication required", type = "UNAUTHORIZED", data?: unknown) {
    super(message, 401, type, data);
    this.name = "UnauthorizedError";
  }
}

/** 402: the payment was refused by the processor. */
export class PaymentDeclinedError extends MoleculerClientError {
  constructor(message: string, type = "PAYMENT_DECLINED", data?: unknown) {
    super(message, 402, type, data);
    this.name = "PaymentDeclinedError";
  }
}

/** 403: authenticated, but not allowed. */
export class ForbiddenError extends MoleculerClientError {
  constructor(message = "You are not allowed to do this", type = "FORBIDDEN", data?: unknown) {
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
  constructor(message: string, type = "CONFLICT", data?: unknown) {
    super(message, 409, type, data);
    this.name = "ConflictError";
  }
}

/** 413: the request body is larger than the route accepts. */
export class PayloadTooLargeError extends MoleculerClientError {
  constructor(message: string, type = "PAYLOAD_TOO_LARGE", data?: unknown) {
    super(message, 413, type, data);
    this.name = "PayloadTooLargeError";
  }
}

/** 415: a body in a media type, charset or content encoding the route does not take. */
export class UnsupportedMediaTypeError extends MoleculerClientError {
  constructor(message: string, type = "UNSUPPORTED_MEDIA_TYPE", data?: unknown) {
    super(message, 415, type, data);
    this.name = "UnsupportedMediaTypeError";
  }
}

/** 422: well-formed, but semantically invalid. */
export class UnprocessableError extends MoleculerClientError {
  constructor(message: string, type = "VALIDATION_ERROR", data?: unknown) {
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
  constructor(message: string, type = "SERVICE_UNAVAILABLE", data?: unknown) {
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
