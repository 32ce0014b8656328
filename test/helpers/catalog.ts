/** Catalog helpers for the integration tests: products made through the API, unique words. */
import { randomBytes } from "node:crypto";
import type { ProductView } from "../../lib/products/present.ts";
import { client } from "./http.ts";

/** A made-up word no seeded product contains (letters only, so both search engines index it). */
export function uniqueWord(prefix = "zq"): string {
  const letters = [...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join("");
  return `${prefix}${letters}`;
}

/** A product as the API returns it. */
export type ProductBody = ProductView;

/** Creates a product as the given merchant (or admin); fails the test on anything but 201. */
export async function createProduct(
  url: string,
  token: string,
  fields: Record<string, unknown> = {},
): Promise<ProductBody> {
  const res = await client(url, token).post("/api/products", {
    name: `Test product ${uniqueWord("")}`,
    description: "A product made by a test",
    price: 1999,
    stock: 10,
    ...fields,
  });
  if (res.status !== 201) {
    throw new Error(`create product failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body as ProductBody;
}
