import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ApiValidator, hasControlCharacter, isPlainDecimal } from "../../lib/validator.ts";

/** Validates params against a schema as a broker would: true, or the error types by field. */
function validate(schema: Record<string, unknown>, params: Record<string, unknown>) {
  const check = new ApiValidator().compile({ $$strict: true, ...schema });
  const result = check(params);
  if (result === true) return true;
  return (result as unknown as Array<{ field: string; type: string }>).map(
    (e) => `${e.field}:${e.type}`,
  );
}

describe("the broker's validator (API.md input conventions)", () => {
  it("refuses null for a typed field, optional or not, unless the rule is nullable", () => {
    const schema = {
      password: { type: "string", min: 8, optional: true },
      card: { type: "object", optional: true, props: { name: { type: "string", optional: true } } },
      picture: { type: "string", optional: true, nullable: true },
    };
    assert.deepEqual(validate(schema, { password: null }), ["password:notNull"]);
    assert.deepEqual(validate(schema, { card: null }), ["card:notNull"]);
    assert.deepEqual(validate(schema, { card: { name: null } }), ["card.name:notNull"]);
    assert.equal(validate(schema, { picture: null }), true);
    assert.equal(validate(schema, {}), true, "absent is still fine");
  });

  it("refuses control characters in text, emails and URLs; long text keeps tab and newline", () => {
    const schema = {
      email: { type: "email", optional: true },
      category: { type: "string", trim: true, optional: true },
      description: { type: "string", multiline: true, optional: true },
      tags: { type: "array", optional: true, items: { type: "string" } },
    };
    assert.deepEqual(validate(schema, { email: "admin@shop.test\u0000" }), ["email:stringControl"]);
    assert.deepEqual(validate(schema, { category: "phones\u0000" }), ["category:stringControl"]);
    assert.deepEqual(validate(schema, { category: "a\nb" }), ["category:stringControl"]);
    assert.deepEqual(validate(schema, { tags: ["ok", "x\u001f"] }), ["tags[1]:stringControl"]);
    assert.equal(validate(schema, { description: "line 1\n\tline 2" }), true);
    assert.deepEqual(validate(schema, { description: "a\u0000" }), ["description:stringControl"]);
    assert.deepEqual(validate(schema, { description: "a\rb" }), ["description:stringControl"]);
    assert.equal(validate(schema, { category: "手机 📱", email: "ada@example.com" }), true);
  });

  it("takes numbers from query strings as plain decimals only", () => {
    const schema = { page: { type: "number", integer: true, convert: true, optional: true } };
    for (const bad of ["0x10", "1e3", "", " 5", "Infinity", "+5", "0b11", "5 "]) {
      assert.deepEqual(validate(schema, { page: bad }), ["page:numberDecimal"], bad);
    }
    for (const bad of [["5"], true, { a: 1 }]) {
      assert.deepEqual(validate(schema, { page: bad }), ["page:numberDecimal"]);
    }
    const params: Record<string, unknown> = { page: "16" };
    assert.equal(validate(schema, params), true);
    assert.equal(validate(schema, { page: 16 }), true, "a JSON number stays a number");
    assert.equal(validate(schema, { page: "-2" }), true);
  });

  it("says why in plain functions too", () => {
    assert.equal(hasControlCharacter("a\tb"), true);
    assert.equal(hasControlCharacter("a\tb", true), false);
    assert.equal(hasControlCharacter("a\u0000b", true), true);
    assert.equal(hasControlCharacter("无线蓝牙耳机 🎧"), false);
    assert.equal(isPlainDecimal("10"), true);
    assert.equal(isPlainDecimal("10.5"), true);
    assert.equal(isPlainDecimal("0x10"), false);
    assert.equal(isPlainDecimal(""), false);
  });
});
