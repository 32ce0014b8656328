/**
 * One row of the gateway's route table: the one definition of a public route. From it come the
 * moleculer-web alias, the access check, the action's fastest-validator `params` (the service
 * takes them from here: `params: paramsOf("carts.addItem")`), the body limit, and the OpenAPI
 * operation — parameters, request body, every status with its error types, headers, media types,
 * tags and security (lib/http/openapi.ts). A route cannot exist without being documented, and
 * the document cannot say what the action does not check.
 */
import type { Role } from "../auth/tokens.ts";
import type { ErrorType } from "../errors.ts";
import type { JsonSchema, Params } from "./params-schema.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type OpenApiSchema = JsonSchema;

export interface RouteDef {
  method: HttpMethod;
  /** Path under /api, with `:param` placeholders. */
  path: string;
  /** The action called (ignored for gateway-handled routes that name an `api.*` action). */
  action: string;
  /** Who may call: "public" (no login), "user" (any logged-in user), or a list of roles. */
  access: "public" | "user" | readonly Role[];
  /** Success status (default 200). 204 sends no body. */
  status?: 200 | 201 | 204;
  summary: string;
  /** Longer text for the document (Markdown). */
  description?: string;
  tag: string;
  /**
   * What the action takes (fastest-validator rules, `$$strict` is added): path placeholders are
   * path parameters; the other fields are the query of a GET or DELETE, the JSON body otherwise.
   */
  params: Params;
  /**
   * The error types the action itself can answer (closed union, lib/errors.ts). The ones every
   * route of its kind can answer — validation, auth, body, idempotency, rate limits, a dependency
   * down — are added by the document builder (lib/http/openapi.ts `commonErrors`).
   */
  errors?: readonly ErrorType[];
  /** The Location header of a 201 response, from its body. */
  location?: (body: unknown) => string | undefined;
  /** Requires an Idempotency-Key header. */
  idempotent?: boolean;
  /**
   * The most bytes of JSON body the route reads (413 past it); default 16 KiB with body fields,
   * 1 KiB without, never more than 1 MiB (lib/http/body.ts).
   */
  bodyLimit?: number;
  /** Shape of the success body (JSON Schema); objects should list `required`. */
  response?: OpenApiSchema;
  /**
   * Answers other than the success and the errors, e.g. ready's 503 with its checks. A status
   * that is also an error status is documented as either shape.
   */
  otherResponses?: Readonly<Record<number, { description: string; schema: OpenApiSchema }>>;
  /** Media type of the success body (default application/json). */
  produces?: "application/json" | "image/svg+xml" | "text/event-stream";
  /** The action answers its body as JSON text: sent as it is, not serialised again. */
  jsonText?: boolean;
}

/** The path placeholders of a route, in order. */
export function pathParamsOf(def: Pick<RouteDef, "path">): string[] {
  return [...def.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
}

/** Whether the route's non-path params travel in the JSON body (else in the query string). */
export function takesBody(def: Pick<RouteDef, "method">): boolean {
  return def.method === "POST" || def.method === "PUT" || def.method === "PATCH";
}

/** The params that are neither `$$` options nor path placeholders: the query or the body. */
export function fieldsOf(def: Pick<RouteDef, "path" | "params">): Params {
  const inPath = new Set(pathParamsOf(def));
  return Object.fromEntries(
    Object.entries(def.params ?? {}).filter(
      ([name]) => !name.startsWith("$$") && !inPath.has(name),
    ),
  );
}

/** The body fields of a route (none for GET/DELETE). */
export function bodyFieldsOf(def: Pick<RouteDef, "method" | "path" | "params">): Params {
  return takesBody(def) ? fieldsOf(def) : {};
}

/** The query fields of a route (none for POST/PUT/PATCH). */
export function queryFieldsOf(def: Pick<RouteDef, "method" | "path" | "params">): Params {
  return takesBody(def) ? {} : fieldsOf(def);
}
