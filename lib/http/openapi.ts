/** Builds the OpenAPI 3.1 document from the route table (one source of truth). */
import { bodyLimitOf } from "./body.ts";
import type { RouteDef } from "./route.ts";

const errorSchema = {
  type: "object",
  required: ["name", "message", "code", "type"],
  properties: {
    name: { type: "string" },
    message: { type: "string" },
    code: { type: "integer" },
    type: { type: "string", description: "stable SCREAMING_SNAKE machine code" },
    data: {},
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
  return {
    openapi: "3.1.0",
    info: {
      title: "Douyin mall shop API",
      version,
      description:
        "Money is an integer in minor units; errors are { name, message, code, type, data }.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}

function operation(r: RouteDef): Record<string, unknown> {
  const parameters: unknown[] = [];
  for (const m of r.path.matchAll(/:([A-Za-z0-9_]+)/g)) {
    parameters.push({ name: m[1], in: "path", required: true, schema: { type: "string" } });
  }
  for (const [name, schema] of Object.entries(r.query ?? {})) {
    parameters.push({ name, in: "query", required: false, schema });
  }
  if (r.idempotent) {
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: true,
      schema: { type: "string", minLength: 1, maxLength: 255 },
    });
  }
  const status = String(r.status ?? 200);
  const success =
    status === "204"
      ? { description: "No content" }
      : {
          description: "Success",
          content: { "application/json": { schema: r.response ?? { type: "object" } } },
        };
  const errorResponse = {
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  };
  const responses: Record<string, unknown> = {
    [status]: success,
    "422": { description: "Invalid input", ...errorResponse },
  };
  if (r.access !== "public") {
    responses["401"] = {
      description: "Missing, invalid, expired or revoked token",
      ...errorResponse,
    };
    responses["403"] = { description: "Not allowed", ...errorResponse };
  }
  const op: Record<string, unknown> = {
    operationId: r.action.replace(/\./g, "_") + "_" + r.method.toLowerCase(),
    summary: r.summary,
    tags: [r.tag],
    parameters,
    responses,
    "x-access": r.access,
  };
  if (r.access !== "public") op.security = [{ bearer: [] }];
  if (r.body) {
    responses["400"] = { description: "`INVALID_JSON`: malformed JSON", ...errorResponse };
    responses["413"] = {
      description: `\`PAYLOAD_TOO_LARGE\`: a body over ${bodyLimitOf(r)} bytes`,
      ...errorResponse,
    };
    responses["415"] = {
      description:
        "`UNSUPPORTED_MEDIA_TYPE`, `UNSUPPORTED_CHARSET`, `UNSUPPORTED_ENCODING`: not plain UTF-8 JSON",
      ...errorResponse,
    };
    op["x-body-limit"] = bodyLimitOf(r);
    op.requestBody = {
      required: (r.requiredBody?.length ?? 0) > 0,
      content: {
        "application/json": {
          schema: {
            type: "object",
            additionalProperties: false,
            properties: r.body,
            ...(r.requiredBody?.length ? { required: [...r.requiredBody] } : {}),
          },
        },
      },
    };
  }
  return op;
}
