/**
 * fastest-validator rules → JSON Schema (OpenAPI 3.1). An action's `params` is the one definition
 * of what a route takes; the OpenAPI document's parameters and request body are derived from it
 * here, so the two cannot disagree. Only the rule features this codebase uses are known; any
 * other rule type throws when the document is built (a test builds it), never silently widens.
 */

/** A fastest-validator rule object (the object form; the codebase does not use shorthands). */
export type Rule = Readonly<Record<string, unknown>> & { readonly type?: string };
/** An action's `params`: field name → rule, plus `$$`-prefixed options. */
export type Params = Readonly<Record<string, unknown>>;
export type JsonSchema = Record<string, unknown>;

/** Rule keys that carry documentation straight into the schema. */
const DOC_KEYS = ["description", "example", "examples", "deprecated"] as const;

/** The schema of one rule. */
export function ruleSchema(rule: unknown): JsonSchema {
  if (Array.isArray(rule)) return { anyOf: rule.map(ruleSchema) };
  if (typeof rule !== "object" || rule === null) {
    throw new TypeError(`params: a rule must be an object, got ${JSON.stringify(rule)}`);
  }
  const r = rule as Rule;
  const schema = typeSchema(r);
  for (const key of DOC_KEYS) if (r[key] !== undefined) schema[key] = r[key];
  if (r.default !== undefined && typeof r.default !== "function") schema.default = r.default;
  if (r.nullable === true) return nullable(schema);
  return schema;
}

function typeSchema(r: Rule): JsonSchema {
  switch (r.type) {
    case "string":
      return stringSchema(r);
    case "email":
      return { type: "string", format: "email", ...lengths(r) };
    case "url":
      return { type: "string", format: "uri", ...lengths(r) };
    case "uuid":
      return { type: "string", format: "uuid" };
    case "date":
      return { type: "string", format: "date-time" };
    case "number":
      return numberSchema(r);
    case "boolean":
      return { type: "boolean" };
    case "enum":
      return { enum: [...(r.values as readonly unknown[])] };
    case "equal":
      return { const: r.value };
    case "array":
      return arraySchema(r);
    case "object":
      return objectSchema(
        (r.props ?? r.properties) as Params | undefined,
        r.strict === true || r.strict === "remove",
      );
    case "any":
      return {};
    default:
      throw new TypeError(`params: rule type "${String(r.type)}" has no JSON Schema mapping`);
  }
}

function lengths(r: Rule): JsonSchema {
  const out: JsonSchema = {};
  if (typeof r.length === "number") {
    out.minLength = r.length;
    out.maxLength = r.length;
    return out;
  }
  if (typeof r.min === "number") out.minLength = r.min;
  else if (r.empty === false) out.minLength = 1;
  if (typeof r.max === "number") out.maxLength = r.max;
  return out;
}

function stringSchema(r: Rule): JsonSchema {
  const out: JsonSchema = { type: "string", ...lengths(r) };
  if (r.pattern instanceof RegExp) out.pattern = r.pattern.source;
  else if (typeof r.pattern === "string") out.pattern = r.pattern;
  else if (r.numeric === true)
    out.pattern = "^-?[0-9]\\d*(\\.\\d+)?$"; // fastest-validator's
  else if (r.alpha === true) out.pattern = "^[A-Za-z]+$";
  if (Array.isArray(r.enum)) out.enum = [...r.enum];
  return out;
}

function numberSchema(r: Rule): JsonSchema {
  const out: JsonSchema = { type: r.integer === true ? "integer" : "number" };
  if (typeof r.min === "number") out.minimum = r.min;
  if (typeof r.max === "number") out.maximum = r.max;
  if (r.positive === true && out.minimum === undefined) out.exclusiveMinimum = 0;
  return out;
}

function arraySchema(r: Rule): JsonSchema {
  const out: JsonSchema = { type: "array" };
  if (r.items !== undefined) out.items = ruleSchema(r.items);
  else if (Array.isArray(r.enum)) out.items = { enum: [...r.enum] };
  if (typeof r.min === "number") out.minItems = r.min;
  else if (r.empty === false) out.minItems = 1;
  if (typeof r.max === "number") out.maxItems = r.max;
  if (r.unique === true) out.uniqueItems = true;
  return out;
}

/** The schema of an object of rules (an action's params, or an object rule's props). */
export function objectSchema(props: Params | undefined, strict: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, rule] of Object.entries(props ?? {})) {
    if (name.startsWith("$$")) continue;
    properties[name] = ruleSchema(rule);
    if (!isOptional(rule)) required.push(name);
  }
  return {
    type: "object",
    ...(strict ? { additionalProperties: false } : {}),
    properties,
    ...(required.length ? { required } : {}),
  };
}

/** Whether a field may be left out (optional, or it has a default). */
export function isOptional(rule: unknown): boolean {
  if (Array.isArray(rule)) return rule.some(isOptional);
  const r = rule as Rule;
  return r.optional === true || r.default !== undefined;
}

/** A schema that also takes null. */
export function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === "string") return { ...schema, type: [schema.type, "null"] };
  if (Array.isArray(schema.type)) return { ...schema, type: [...schema.type, "null"] };
  return { anyOf: [schema, { type: "null" }] };
}
