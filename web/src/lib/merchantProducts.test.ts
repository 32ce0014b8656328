import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/errors.ts";
import type { Page, Product, ProductQuery } from "../api/types.ts";
import { listOwnProducts } from "./merchantProducts.ts";

const product = (id: string, merchantId: string) => ({ id, merchantId }) as Product;
const pageOf = (rows: Product[], page = 1, totalPages = 1): Page<Product> => ({
  rows,
  total: rows.length,
  page,
  pageSize: 100,
  totalPages,
});

describe("listOwnProducts", () => {
  it("uses the server's merchantId filter when it works", async () => {
    const list = vi.fn(async () => pageOf([product("a", "m1")]));
    const page = await listOwnProducts(list, "m1", { page: 1, pageSize: 20 });
    expect(page.rows.map((p) => p.id)).toEqual(["a"]);
    expect(list).toHaveBeenCalledTimes(1);
    expect((list.mock.calls[0] as unknown as [ProductQuery])[0]).toMatchObject({
      merchantId: "m1",
    });
  });

  it("scans and filters the catalog when the server ignores the filter", async () => {
    const list = vi.fn(async (q: ProductQuery) =>
      q.page === 1
        ? pageOf([product("a", "m1"), product("b", "m2")], 1, 2)
        : pageOf([product("c", "m1")], 2, 2),
    );
    const page = await listOwnProducts(list, "m1", { page: 1, pageSize: 20 });
    expect(page.rows.map((p) => p.id)).toEqual(["a", "c"]);
    expect(page.total).toBe(2);
  });

  it("scans when the server refuses the parameter, and rethrows other errors", async () => {
    const refusing = vi.fn(async (q: ProductQuery) => {
      if (q.merchantId) throw new ApiError(422, "VALIDATION_ERROR", "unknown field");
      return pageOf([product("a", "m1"), product("b", "m2")]);
    });
    expect((await listOwnProducts(refusing, "m1", { page: 1, pageSize: 20 })).rows).toHaveLength(1);
    const down = vi.fn(async () => {
      throw new ApiError(503, "SERVICE_UNAVAILABLE", "down");
    });
    await expect(listOwnProducts(down, "m1", { page: 1, pageSize: 20 })).rejects.toMatchObject({
      status: 503,
    });
  });
});
