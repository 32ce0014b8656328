/** The cart's totals, computed server-side from the catalog (lib/carts/cart.ts). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { cartView, withLine } from "../../lib/carts/cart.ts";
import type { ProductSummary } from "../../lib/products/present.ts";

const product = (id: string, price: number, available = true): ProductSummary => ({
  id,
  name: `Product ${id}`,
  price,
  currency: "CNY",
  stock: 10,
  picture: `/api/pictures/${id}.svg`,
  merchantId: null,
  available,
});

describe("cartView", () => {
  it("computes line totals, subtotal and item count from current prices", () => {
    const cart = cartView(
      [
        { productId: "1", quantity: 2 },
        { productId: "2", quantity: 3 },
      ],
      [product("1", 1999), product("2", 500)],
    );
    assert.deepEqual(
      cart.items.map((i) => i.lineTotal),
      [3998, 1500],
    );
    assert.equal(cart.subtotal, 5498);
    assert.equal(cart.itemCount, 5);
    assert.equal(cart.currency, "CNY");
    assert.deepEqual(Object.keys(cart.items[0].product).sort(), [
      "available",
      "currency",
      "id",
      "merchantId",
      "name",
      "picture",
      "price",
      "stock",
    ]);
  });

  it("keeps a deleted product's line, unavailable and out of the totals", () => {
    const cart = cartView(
      [
        { productId: "1", quantity: 2 },
        { productId: "2", quantity: 1 },
      ],
      [product("1", 1000), product("2", 700, false)],
    );
    assert.equal(cart.items.length, 2);
    assert.equal(cart.items[1].product.available, false);
    assert.equal(cart.items[1].lineTotal, 0);
    assert.equal(cart.subtotal, 2000);
    assert.equal(cart.itemCount, 2);
  });

  it("shows a product the catalog no longer knows as unavailable", () => {
    const cart = cartView([{ productId: "9", quantity: 1 }], []);
    assert.equal(cart.items[0].product.available, false);
    assert.equal(cart.subtotal, 0);
    assert.equal(cart.itemCount, 0);
  });

  it("is empty and in the default currency without lines", () => {
    assert.deepEqual(cartView([], []), { items: [], subtotal: 0, currency: "CNY", itemCount: 0 });
  });
});

describe("withLine", () => {
  const lines = [
    { productId: "1", quantity: 2 },
    { productId: "2", quantity: 3 },
  ];

  it("changes a line's quantity in its place", () => {
    assert.deepEqual(withLine(lines, "1", 5), [
      { productId: "1", quantity: 5 },
      { productId: "2", quantity: 3 },
    ]);
  });

  it("puts a new line last, as the cart lists lines oldest first", () => {
    assert.deepEqual(withLine(lines, "9", 1), [...lines, { productId: "9", quantity: 1 }]);
  });

  it("drops a line whose quantity is 0", () => {
    assert.deepEqual(withLine(lines, "1", 0), [{ productId: "2", quantity: 3 }]);
    assert.deepEqual(lines.length, 2, "the lines read are left as they were");
  });
});
