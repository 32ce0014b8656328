/**
 * The catalog's params, now in its route rows (lib/http/routes/catalog.ts), still check what the
 * actions checked: the cached reads drop unknown parameters (the cacher answers before the
 * validator, so a hit and a miss must not differ), the merchants' writes refuse them.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { paramsOf } from "../../lib/http/routes/index.ts";
import { ApiValidator } from "../../lib/validator.ts";

/** Validates a copy of params as the broker would: the params after it, or the errors by field. */
function validate(action: string, input: Record<string, unknown>) {
  const check = new ApiValidator().compile(paramsOf(action));
  const params = { ...input };
  const result = check(params);
  // As JSON: a field a rule set to undefined is not sent.
  if (result === true) return JSON.parse(JSON.stringify(params)) as Record<string, unknown>;
  return (result as unknown as Array<{ field?: string; type: string }>).map(
    (e) => `${e.field ?? ""}:${e.type}`,
  );
}

describe("the catalog's params (route rows)", () => {
  it("the cached reads drop unknown parameters instead of refusing them", () => {
    assert.deepEqual(validate("products.listText", { page: "2", utm_source: "x" }), { page: 2 });
    assert.deepEqual(validate("products.get", { id: " 7 ", fbclid: "x" }), { id: "7" });
    assert.deepEqual(validate("products.categories", { lang: "en", x: 1 }), { lang: "en" });
    assert.deepEqual(validate("products.picture", { id: "7", v: "2" }), { id: "7" });
  });

  it("the internal products.list takes the very params of GET /api/products", async () => {
    const { catalogActions } = await import("../../services/products/catalog.actions.ts");
    assert.equal(catalogActions.list.params, paramsOf("products.listText"));
  });

  it("the list checks its filters as before", () => {
    assert.deepEqual(validate("products.listText", { minPrice: "100", sort: "-price" }), {
      minPrice: 100,
      sort: "-price",
    });
    assert.deepEqual(validate("products.listText", { sort: "cheapest" }), ["sort:enumValue"]);
    assert.deepEqual(validate("products.listText", { lang: "fr" }), ["lang:enumValue"]);
    assert.deepEqual(validate("products.listText", { merchantId: "12a" }), [
      "merchantId:stringNumeric",
    ]);
    assert.deepEqual(validate("products.listText", { pageSize: "101" }), ["pageSize:numberMax"]);
    assert.deepEqual(validate("products.listText", { q: "tea\u0000" }), ["q:stringControl"]);
  });

  it("the merchants' writes refuse unknown fields and check the picture URL", () => {
    const product = { name: "Tea", description: "Green", price: 100, stock: 1 };
    assert.deepEqual(validate("products.create", product), product);
    assert.deepEqual(validate("products.create", { ...product, sku: "x" }), [":objectStrict"]);
    assert.deepEqual(validate("products.create", { name: "Tea" }), [
      "description:required",
      "price:required",
      "stock:required",
    ]);
    assert.deepEqual(validate("products.update", { id: "7", price: 5 }), { id: "7", price: 5 });
    assert.deepEqual(validate("products.update", { id: "7", merchantId: "9" }), [":objectStrict"]);
    assert.deepEqual(validate("products.update", { id: "7", picture: "//evil.example/x.png" }), [
      "picture:pictureUrl",
    ]);
    assert.deepEqual(validate("products.update", { id: "7", picture: null }), {
      id: "7",
      picture: null,
    });
    assert.deepEqual(validate("products.remove", { id: "7", force: true }), [":objectStrict"]);
  });
});
