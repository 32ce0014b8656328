/**
 * Builds the OpenAPI 3.1 document from the route table (one source of truth): parameters and
 * request bodies from each route's fastest-validator `params`, the success body from its
 * `response`, and every status it can answer with its error `type`s — the route's own `errors`
 * plus the ones its kind can always answer (`commonErrors`). Headers, media types, tags and
 * security follow from the same row.
 */
import { ERROR_TYPES, type ErrorType } from "../errors.ts";
import { bodyLimitOf } from "./body.ts";
import { objectSchema, ruleSchema, type JsonSchema } from "./params-schema.ts";
import { bodyFieldsOf, pathParamsOf, queryFieldsOf, takesBody, type RouteDef } from "./route.ts";

/** What each tag groups, for the document's `tags`. */
export const TAGS: Record<string, string> = {
  Operations: "Liveness, readiness and this document",
  Identity: "Accounts, sessions and the caller's profile",
  Catalog: "Products, categories and search (public reads; merchants write their own products)",
  Cart: "The caller's cart",
  Orders: "Checkout, payment and the caller's orders",
  Merchants: "A merchant's orders and sales",
  Administration: "Users, access lists, policy and fulfilment (admin)",
  Monitoring: "The live cluster view (admin)",
};

/** Why a status is answered, for the responses' descriptions. */
const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "Missing, invalid, expired or revoked token",
  402: "Payment refused by the processor",
  403: "Not allowed",
  404: "Not found (or not the caller's)",
  408: "The request did not arrive in time",
  409: "Conflicts with the current state",
  413: "Body too large",
  415: "Body not plain UTF-8 JSON",
  422: "Invalid input",
  429: "Too many requests",
  431: "Request headers too large",
  500: "Server error",
  503: "A dependency is down; retry after Retry-After seconds",
  504: "Took too long; safe reads may be retried",
};

/** Answered by any route: the connection guard, blocked addresses, rate limits, a dependency down. */
const EVERY_ROUTE: readonly ErrorType[] = [
  "MALFORMED_REQUEST",
  "REQUEST_TIMEOUT",
  "HEADERS_TOO_LARGE",
  "IP_BLOCKED",
  // A banned user's still-valid token is refused on any route, public ones too.
  "USER_BANNED",
  "RATE_LIMITED",
  "TOO_MANY_CONNECTIONS",
  "SERVICE_UNAVAILABLE",
  "BUSY",
  "TIMEOUT",
];
/** A body is read (and refused) on any route that gets one, after the access checks. */
const BODY: readonly ErrorType[] = [
  "INVALID_JSON",
  "REQUEST_ABORTED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "UNSUPPORTED_CHARSET",
  "UNSUPPORTED_ENCODING",
  "BODY_TOO_DEEP",
  "TOO_MANY_KEYS",
  "VALIDATION_ERROR",
];
const AUTHENTICATED: readonly ErrorType[] = ["UNAUTHORIZED", "FORBIDDEN"];
const IDEMPOTENT: readonly ErrorType[] = [
  "IDEMPOTENCY_KEY_REQUIRED",
  "IDEMPOTENCY_KEY_IN_PROGRESS",
  "IDEMPOTENCY_KEY_REUSED",
];

/** Every error type a route can answer: its own and those of its kind. */
export function errorsOf(r: RouteDef): ErrorType[] {
  const all = new Set<ErrorType>([...EVERY_ROUTE, ...BODY]);
  if (r.access !== "public") for (const t of AUTHENTICATED) all.add(t);
  if (r.idempotent) for (const t of IDEMPOTENT) all.add(t);
  for (const t of r.errors ?? []) all.add(t);
  return [...all].sort();
}

/** The same, grouped by status. */
export function errorsByStatus(r: RouteDef): Map<number, ErrorType[]> {
  const by = new Map<number, ErrorType[]>();
  for (const t of errorsOf(r)) {
    const status = ERROR_TYPES[t];
    by.set(status, [...(by.get(status) ?? []), t]);
  }
  return new Map([...by].sort(([a], [b]) => a - b));
}

const HEADERS = {
  requestId: {
    description: "The request's id (the client's X-Request-Id if it was 1–64 safe characters)",
    schema: { type: "string", maxLength: 64 },
  },
  limit: {
    description: "Requests allowed in the current window",
    schema: { type: "integer", minimum: 0 },
  },
  remaining: {
    description: "Requests left in the current window",
    schema: { type: "integer", minimum: 0 },
  },
  retryAfter: {
    description: "Seconds to wait before retrying",
    schema: { type: "integer", minimum: 0 },
  },
  location: { description: "Where the created resource is", schema: { type: "string" } },
  replayed: {
    description: "`true` when the answer is the stored first answer for this Idempotency-Key",
    schema: { type: "string", enum: ["true"] },
  },
};

export function buildOpenApi(
  routes: readonly RouteDef[],
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = "/api" + r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = operation(r);
  }
  const used = new Set(routes.map((r) => r.tag));
  const named: Record<string, JsonSchema> = { Error: errorSchema() };
  const document = hoistNamed(structuredClone(paths), named);
  return {
    openapi: "3.1.0",
    info: {
      title: "Douyin mall shop API",
      version,
      description:
        "Money is an integer in minor units; errors are `{ name, message, code, type, data }`, " +
        "and every status an operation can answer is listed with its error `type`s.",
      license: { name: "UNLICENSED", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    tags: Object.entries(TAGS)
      .filter(([name]) => used.has(name))
      .map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: named,
    },
    paths: document,
  };
}

/**
 * Schemas with a `title` (Product, Order, Cart…) become components and are referenced by `$ref`,
 * so clients (the web app's generated types) get them by name. One title, one schema.
 */
function hoistNamed(node: unknown, named: Record<string, JsonSchema>): unknown {
  if (Array.isArray(node)) return node.map((item) => hoistNamed(item, named));
  if (typeof node !== "object" || node === null) return node;
  const obj = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(obj)) obj[key] = hoistNamed(value, named);
  const title = obj.title;
  if (typeof title !== "string" || !/^[A-Z][A-Za-z0-9]*$/.test(title) || obj.$ref) return obj;
  const schema = { ...obj };
  delete schema.title;
  const known = named[title];
  if (known && JSON.stringify(known) !== JSON.stringify(schema)) {
    throw new Error(`OpenAPI: two different schemas are titled ${title}`);
  }
  named[title] = schema;
  return { $ref: `#/components/schemas/${title}` };
}

/** The error shape of API.md. */
function errorSchema(): JsonSchema {
  return {
    type: "object",
    additionalProperties: false,
    required: ["name", "message", "code", "type"],
    properties: {
      name: { type: "string" },
      message: { type: "string" },
      code: { type: "integer" },
      type: { type: "string", description: "stable SCREAMING_SNAKE machine code" },
      data: { description: "details: offending fields, limits, ids" },
    },
  };
}

/** The error shape with the status and the types one response can carry. */
function errorsOfStatus(types: readonly ErrorType[], status: number): JsonSchema {
  return {
    allOf: [
      { $ref: "#/components/schemas/Error" },
      {
        type: "object",
        properties: { code: { const: status }, type: { enum: [...types] } },
      },
    ],
  };
}

function operation(r: RouteDef): Record<string, unknown> {
  const parameters: unknown[] = [];
  for (const name of pathParamsOf(r)) {
    const rule = r.params?.[name];
    parameters.push({
      name,
      in: "path",
      required: true,
      schema: rule ? ruleSchema(rule) : { type: "string" },
    });
  }
  const query = objectSchema(queryFieldsOf(r), true);
  for (const [name, schema] of Object.entries(query.properties as Record<string, JsonSchema>)) {
    const required = ((query.required as string[] | undefined) ?? []).includes(name);
    parameters.push({ name, in: "query", required, schema });
  }
  if (r.idempotent) {
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: true,
      description:
        "Scoped to the caller; the first answer is replayed for a retry with the same body",
      schema: { type: "string", minLength: 1, maxLength: 255 },
    });
  }
  const common = {
    "X-Request-Id": HEADERS.requestId,
    "X-RateLimit-Limit": HEADERS.limit,
    "X-RateLimit-Remaining": HEADERS.remaining,
    ...(r.idempotent ? { "Idempotent-Replayed": HEADERS.replayed } : {}),
  };
  const status = String(r.status ?? 200);
  const responses: Record<string, unknown> = { [status]: success(r, status, common) };
  for (const [code, types] of errorsByStatus(r)) {
    const retry = code === 429 || code === 503;
    const other = r.otherResponses?.[code];
    const schema = errorsOfStatus(types, code);
    responses[String(code)] = {
      description:
        (other ? other.description + "; or " : "") +
        `${STATUS_TEXT[code] ?? "Error"}: ${types.map((t) => "`" + t + "`").join(", ")}`,
      headers: retry ? { ...common, "Retry-After": HEADERS.retryAfter } : common,
      content: {
        "application/json": { schema: other ? { anyOf: [other.schema, schema] } : schema },
      },
    };
  }
  for (const [code, other] of Object.entries(r.otherResponses ?? {})) {
    responses[code] ??= {
      description: other.description,
      headers: common,
      content: { "application/json": { schema: other.schema } },
    };
  }
  const op: Record<string, unknown> = {
    operationId: r.action.replace(/\./g, "_") + "_" + r.method.toLowerCase(),
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    tags: [r.tag],
    parameters,
    responses,
    security: r.access === "public" ? [] : [{ bearer: [] }],
    "x-access": r.access,
    "x-action": r.action,
    "x-body-limit": bodyLimitOf(r),
  };
  if (takesBody(r)) {
    const body = objectSchema(bodyFieldsOf(r), true);
    const fields = Object.keys(body.properties as object);
    if (fields.length > 0) {
      op.requestBody = {
        required: Array.isArray(body.required) && body.required.length > 0,
        content: { "application/json": { schema: body } },
      };
    }
  }
  return op;
}

function success(r: RouteDef, status: string, headers: Record<string, unknown>): unknown {
  if (status === "204") return { description: "No content", headers };
  const withLocation = r.location ? { ...headers, Location: HEADERS.location } : headers;
  const media = r.produces ?? "application/json";
  const schema =
    media === "application/json" ? (r.response ?? { type: "object" }) : { type: "string" };
  return {
    description: status === "201" ? "Created" : "Success",
    headers: withLocation,
    content: { [media]: { schema } },
  };
}
