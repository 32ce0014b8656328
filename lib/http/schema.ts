/**
 * Small builders for the response schemas of the route table (JSON Schema, OpenAPI 3.1). An
 * object lists every property as `required` unless named optional, and takes no others, so a
 * field the API starts to send without documenting it fails the contract check of the tests.
 */
import { nullable, type JsonSchema } from "./params-schema.ts";

export { nullable };

/** An object with exactly these properties; all required but `optional`. */
export function object(
  properties: Record<string, JsonSchema>,
  optional: readonly string[] = [],
  extra: JsonSchema = {},
): JsonSchema {
  const required = Object.keys(properties).filter((name) => !optional.includes(name));
  return {
    type: "object",
    additionalProperties: false,
    properties,
    ...(required.length ? { required } : {}),
    ...extra,
  };
}

/** A page of a list (API.md: `{rows, total, page, pageSize, totalPages}`). */
export function page(row: JsonSchema, extra: Record<string, JsonSchema> = {}): JsonSchema {
  return object(
    {
      rows: { type: "array", items: row },
      total: { type: "integer", minimum: 0 },
      page: { type: "integer", minimum: 1 },
      pageSize: { type: "integer", minimum: 1 },
      totalPages: { type: "integer", minimum: 0 },
      ...extra,
    },
    Object.keys(extra),
  );
}

export const id: JsonSchema = { type: "string", description: "opaque id" };
export const money: JsonSchema = { type: "integer", description: "minor units (fen/cents)" };
export const currency: JsonSchema = {
  type: "string",
  pattern: "^[A-Z]{3}$",
  description: "ISO 4217",
};
export const timestamp: JsonSchema = { type: "string", format: "date-time" };
export const text: JsonSchema = { type: "string" };
export const count: JsonSchema = { type: "integer", minimum: 0 };
