/** The API's error shape `{name, message, code, type, data}` as a thrown value. */

export interface FieldError {
  field: string;
  message: string;
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly data: unknown;
  /** Seconds to wait before trying again (429 Retry-After), when the server says. */
  readonly retryAfter?: number;

  constructor(status: number, type: string, message: string, data?: unknown, retryAfter?: number) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.type = type;
    this.data = data;
    this.retryAfter = retryAfter;
  }

  /** Validation messages by field name (`address.city` style names are kept as sent). */
  get fields(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.data)) {
      for (const item of this.data as Partial<FieldError>[]) {
        if (item && typeof item.field === "string" && typeof item.message === "string") {
          out[item.field] ??= item.message;
        }
      }
    }
    return out;
  }

  /** Worth retrying the same request later: no answer, a 5xx, or a key still in progress. */
  get transient(): boolean {
    return this.status === 0 || this.status >= 500 || this.type === "IDEMPOTENCY_KEY_IN_PROGRESS";
  }
}

const STATUS_TYPES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  422: "VALIDATION_ERROR",
  429: "RATE_LIMITED",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

/** Seconds from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Builds the ApiError of a non-2xx response, whatever its body looks like. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let body: Record<string, unknown> | null = null;
  try {
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (parsed && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    body = null;
  }
  const type =
    typeof body?.type === "string" && body.type
      ? body.type
      : (STATUS_TYPES[res.status] ?? (res.status >= 500 ? "SERVER_ERROR" : "HTTP_ERROR"));
  const message =
    typeof body?.message === "string" && body.message ? body.message : res.statusText || type;
  const data = body?.data;
  let retryAfter = parseRetryAfter(res.headers.get("Retry-After"));
  if (retryAfter === undefined && data && typeof data === "object" && "retryAfter" in data) {
    const n = Number((data as { retryAfter: unknown }).retryAfter);
    if (Number.isFinite(n)) retryAfter = n;
  }
  return new ApiError(res.status, type, message, data, retryAfter);
}

/** The error of a request that got no answer at all. */
export function networkError(cause: unknown): ApiError {
  const aborted = cause instanceof DOMException && cause.name === "AbortError";
  return new ApiError(
    0,
    aborted ? "ABORTED" : "NETWORK_ERROR",
    aborted ? "The request was cancelled" : "The shop could not be reached",
  );
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
