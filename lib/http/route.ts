/**
 * One row of the gateway's route table. The same table builds the moleculer-web aliases, the
 * access checks and the OpenAPI document, so a route cannot exist without being documented.
 */
import type { Role } from "../auth/tokens.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

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
  tag: string;
  /** The Location header of a 201 response, from its body. */
  location?: (body: any) => string | undefined;
  /** Requires an Idempotency-Key header. */
  idempotent?: boolean;
  /** Names of fields the JSON body carries, for the OpenAPI document. */
  body?: Record<string, OpenApiSchema>;
  requiredBody?: readonly string[];
  /**
   * The most bytes of JSON body the route reads (413 past it); default 16 KiB with `body`
   * fields, 1 KiB without, never more than 1 MiB (lib/http/body.ts).
   */
  bodyLimit?: number;
  /** Query parameters, for the OpenAPI document. */
  query?: Record<string, OpenApiSchema>;
  /** Shape of the success response, for the OpenAPI document. */
  response?: OpenApiSchema;
  /** The action answers its body as JSON text: sent as it is, not serialised again. */
  jsonText?: boolean;
}

export type OpenApiSchema = Record<string, unknown>;
