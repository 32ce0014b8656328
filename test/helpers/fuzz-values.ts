/**
 * fast-check arbitraries for the schema-driven fuzz suite: for a field of an OpenAPI schema, a
 * value that fits it, one on its boundaries, or one that is wrong in the ways clients are wrong
 * (wrong types, null, huge and tiny numbers, long, control-character, CJK and emoji text).
 */
import fc from "fast-check";

/** The parts of an OpenAPI schema object that the fuzzers read. */
export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}

/** Text the shop must take or refuse cleanly (never a 5xx). */
const NASTY_TEXT = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "admin@shop.test\u0000",
  "\t\n\r",
  "\u001b[31m",
  "\u007f\u0085\u2028\u2029",
  "\ufeff",
  "\ud800",
  "无线蓝牙耳机",
  "华为手机 4K电视",
  "😀👩‍👩‍👧🏳️‍🌈",
  "0x10",
  "1e3",
  "-0",
  "NaN",
  "Infinity",
  "99999999999999999999999999",
  "-1",
  "1.5",
  "true",
  "null",
  "%00",
  "%",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  "\\",
  "*",
  "%_%",
  "a".repeat(300),
  "耳".repeat(3000),
  "x".repeat(20_000),
  "1.2.3",
  "127.1",
  "::1",
  "0.0.0.0/0",
];

const NASTY_NUMBERS = [
  0,
  -1,
  1,
  0.5,
  -0.000001,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  1e21,
  1e308,
  -1e308,
  5e-324,
];

/** Control characters (U+0000–U+001F), which text never carries. */
const CONTROL = ["\u0000", "\u0001", "\u0007", "\b", "\t", "\n", "\r", "\u001b", "\u001f"];

/** Text with a control character somewhere in it. */
export function controlText(): fc.Arbitrary<string> {
  const around = fc.string({ unit: "grapheme-ascii", maxLength: 8 });
  return fc.oneof(
    fc.tuple(around, fc.constantFrom(...CONTROL), around).map((parts) => parts.join("")),
    fc.constantFrom("admin@shop.test\u0000", "\u0000", "phone\u0000"),
  );
}

/** Numbers as a query string may (wrongly) write them. */
export function numberText(): fc.Arbitrary<string> {
  return fc.constantFrom(
    "0x10",
    "1e3",
    "",
    " 5",
    "5 ",
    "Infinity",
    "-0",
    "1.5",
    "+1",
    "0b11",
    "0o7",
    "1_000",
    "\uff19",
    "\u0663",
    "99999999999999999999999",
  );
}

/** A value that is wrong for a field of this schema, as clients get it wrong. */
export function wrongValue(schema: Schema): fc.Arbitrary<unknown> {
  const arbs: Array<fc.WeightedArbitrary<unknown>> = [
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 3, arbitrary: controlText() },
    { weight: 2, arbitrary: numberText() },
    { weight: 2, arbitrary: boundaryValue(schema) },
    { weight: 3, arbitrary: nastyValue() },
  ];
  if (schema.properties) arbs.push({ weight: 4, arbitrary: mutatedObject(schema) });
  return fc.oneof(...arbs);
}

/** A valid object for the schema: required fields always, optional ones often. */
export function validObject(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const props: Record<string, Schema> = schema.properties ?? {};
  const required: string[] = schema.required ?? [];
  return fc.record(
    Object.fromEntries(Object.entries(props).map(([key, s]) => [key, validValue(s)])),
    { requiredKeys: required.filter((k) => k in props) },
  ) as fc.Arbitrary<Record<string, unknown>>;
}

/** A valid object with exactly one field wrong (or missing, or one key too many). */
export function mutatedObject(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const props: Record<string, Schema> = schema.properties ?? {};
  const keys = Object.keys(props);
  const target = fc.oneof(
    { weight: keys.length ? 6 : 0, arbitrary: fc.constantFrom(...(keys.length ? keys : ["x"])) },
    { weight: 1, arbitrary: fc.constantFrom(...EXTRA_KEYS) },
  );
  return fc.tuple(validObject(schema), target, fc.boolean()).chain(([base, key, drop]) => {
    if (drop && (schema.required ?? []).includes(key)) {
      const { [key]: _dropped, ...rest } = base;
      return fc.constant(rest);
    }
    return wrongValue(props[key] ?? {}).map((value) => {
      const out = { ...base };
      own(out, key, value);
      return out;
    });
  });
}

/** Values of the wrong kind, whatever the field expects. */
export function nastyValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<unknown>(...NASTY_TEXT) },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(...NASTY_NUMBERS) },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [1, "a"]) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>({ $gt: "" }, { toString: "x" }, nested(40), {
        a: { b: { c: { d: "e" } } },
      }),
    },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type ? [schema.type] : [];
}

/** A value that fits the schema (or comes close: formats and patterns are approximated). */
export function validValue(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.properties) return validObject(schema);
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  const types = typesOf(schema);
  const type = types.find((t) => t !== "null") ?? "string";
  switch (type) {
    case "integer":
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 100_000 });
    case "number":
      return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(validValue(schema.items ?? {}), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case "object":
      return fc.constant({});
    default:
      if (schema.format === "email") return fc.emailAddress();
      if (schema.pattern === "^[A-Z]{3}$") return fc.constantFrom("CNY", "USD", "EUR", "XYZ");
      return fc.string({
        unit: "grapheme",
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 30, 30),
      });
  }
}

/** A value on the schema's boundaries: at and just past its limits. */
export function boundaryValue(schema: Schema): fc.Arbitrary<unknown> {
  const types = typesOf(schema);
  if (types.includes("integer") || types.includes("number")) {
    const edges = [0, -1, 1, 0.5, 2 ** 53, -(2 ** 53)];
    if (schema.minimum !== undefined) edges.push(schema.minimum, schema.minimum - 1);
    if (schema.maximum !== undefined) edges.push(schema.maximum, schema.maximum + 1);
    return fc.constantFrom(...edges);
  }
  if (types.includes("array")) {
    const max = schema.maxItems ?? 10;
    return fc.oneof(
      fc.constant([]),
      fc.array(validValue(schema.items ?? {}), { minLength: max + 1, maxLength: max + 2 }),
      fc.array(nastyValue(), { maxLength: 4 }),
    );
  }
  if (types.includes("object")) return objectValue(schema, nastyValue);
  const max = schema.maxLength ?? 255;
  return fc.constantFrom(
    "",
    "a".repeat(schema.minLength ?? 1),
    "a".repeat(max),
    "a".repeat(max + 1),
    "耳".repeat(max + 1),
    "😀".repeat(max + 1),
    " padded ",
  );
}

/** A field's value: mostly valid or on a boundary, often wrong. */
export function fieldValue(schema: Schema): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: validValue(schema) },
    { weight: 3, arbitrary: boundaryValue(schema) },
    { weight: 3, arbitrary: nastyValue() },
  );
}

/** Keys clients must never set, and keys that trip naive code. */
const EXTRA_KEYS = ["userId", "role", "price", "status", "total", "id", "__proto__", "constructor"];

/**
 * An object for a schema with `properties`: each field absent, valid, on a boundary or wrong
 * (`wrong` decides how wrong), sometimes with extra keys.
 */
export function objectValue(
  schema: Schema,
  wrong: () => fc.Arbitrary<unknown>,
): fc.Arbitrary<Record<string, unknown>> {
  const props: Record<string, Schema> = schema.properties ?? {};
  const required: string[] = schema.required ?? [];
  const fields = Object.fromEntries(
    Object.entries(props).map(([key, s]) => [
      key,
      fc.oneof(
        { weight: required.includes(key) ? 1 : 3, arbitrary: fc.constant(undefined) },
        { weight: 5, arbitrary: validValue(s) },
        { weight: 2, arbitrary: boundaryValue(s) },
        { weight: 2, arbitrary: wrong() },
      ),
    ]),
  );
  const extras = fc.oneof(
    { weight: 4, arbitrary: fc.constant([] as Array<[string, unknown]>) },
    {
      weight: 1,
      arbitrary: fc.array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 12 })),
          nastyValue(),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    },
  );
  return fc.tuple(fc.record(fields), extras).map(([record, more]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) if (v !== undefined) own(out, k, v);
    for (const [k, v] of more) own(out, k, v);
    return out;
  });
}

/** Sets an own enumerable key, `__proto__` included (JSON.stringify then sends it). */
function own(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** A JSON body for an operation's body schema (or none): mostly an object, sometimes not. */
export function bodyValue(schema: Schema | undefined): fc.Arbitrary<unknown> {
  if (!schema) {
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: objectValue({}, nastyValue) },
      { weight: 1, arbitrary: nastyValue() },
    );
  }
  return fc.oneof(
    { weight: 8, arbitrary: objectValue(schema, () => fieldValue({})) },
    { weight: 2, arbitrary: objectValue(schema, nastyValue) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: nastyValue() },
  );
}

/** Query strings carry text: what a number, a word or something wrong looks like there. */
export function queryValue(schema: Schema): fc.Arbitrary<string | string[]> {
  const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  return fc.oneof(
    { weight: 5, arbitrary: validValue(schema).map(asText) },
    { weight: 3, arbitrary: boundaryValue(schema).map(asText) },
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_TEXT.filter((t) => t.length < 5000)) },
    {
      weight: 1,
      arbitrary: fc.array(validValue(schema).map(asText), { minLength: 2, maxLength: 3 }),
    },
  );
}

/** A query value that is wrong as text: control characters, numbers written oddly, arrays. */
export function wrongQueryValue(schema: Schema): fc.Arbitrary<string | string[]> {
  const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  return fc.oneof(
    { weight: 3, arbitrary: controlText() },
    { weight: 3, arbitrary: numberText() },
    { weight: 2, arbitrary: boundaryValue(schema).map(asText) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_TEXT.filter((t) => t.length < 5000)) },
    {
      weight: 1,
      arbitrary: fc.array(validValue(schema).map(asText), { minLength: 2, maxLength: 3 }),
    },
  );
}

/** A path segment that is not a real id. */
export function wrongPathValue(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: pathValue([]) },
    { weight: 2, arbitrary: controlText() },
    { weight: 1, arbitrary: numberText().filter((t) => t.trim() !== "") },
  );
}

/** A path segment: a real id of the fixtures, or something that is not one. */
export function pathValue(valid: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: valid.length ? 5 : 0, arbitrary: fc.constantFrom(...(valid.length ? valid : ["1"])) },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        "0",
        "-1",
        "999999999",
        "99999999999999999999999999",
        "1.5",
        "1e3",
        "0x10",
        "abc",
        " ",
        "\u0000",
        "a\u0001",
        "无线蓝牙耳机",
        "😀",
        "x".repeat(1_000),
        "%",
        "1;DROP TABLE users",
        "1.2.3",
        "127.1",
        "::1",
        "10.0.0.0/8",
        "2001:db8::/32",
        "1.2.3.4/33",
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 20 }) },
  );
}
