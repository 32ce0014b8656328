import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeShop, json, renderAt } from "../test/render.tsx";
import { Search } from "./Search.tsx";

const product = {
  id: "p1",
  name: "Green tea",
  description: "",
  price: 1999,
  currency: "CNY",
  stock: 9,
  categories: ["Tea"],
  picture: null,
  merchantId: "m",
  createdAt: "",
  updatedAt: "",
};

describe("Search", () => {
  it("sends the text, category, price range in minor units, sort and page from the URL", async () => {
    const shop = fakeShop({
      "GET /api/categories": () =>
        json(200, [{ id: "1", name: "Tea", slug: "tea", productCount: 1 }]),
      "GET /api/products": () =>
        json(200, { rows: [product], total: 41, page: 2, pageSize: 20, totalPages: 3 }),
    });
    renderAt("/search?q=tea&category=tea&min=10&max=25.5&page=2", "/search", <Search />, {
      user: null,
    });
    expect(await screen.findAllByTestId("product-card")).toHaveLength(1);
    const call = shop.seen.find((r) => r.path.startsWith("/api/products"))!;
    const params = new URLSearchParams(call.path.split("?")[1]);
    expect(Object.fromEntries(params)).toEqual({
      q: "tea",
      category: "tea",
      minPrice: "1000",
      maxPrice: "2550",
      sort: "relevance",
      page: "2",
      pageSize: "20",
    });
    expect(screen.getByTestId("result-count").textContent).toBe("41 products");
    expect(screen.getByRole("button", { name: "Page 2" }).getAttribute("aria-current")).toBe(
      "page",
    );
  });

  it("changes the sort and starts again at page one", async () => {
    const shop = fakeShop({
      "GET /api/categories": () => json(200, []),
      "GET /api/products": () =>
        json(200, { rows: [product], total: 41, page: 2, pageSize: 20, totalPages: 3 }),
    });
    renderAt("/search?page=2", "/search", <Search />, { user: null });
    await screen.findAllByTestId("product-card");
    fireEvent.change(screen.getByTestId("sort"), { target: { value: "-price" } });
    await waitFor(() =>
      expect(
        shop.seen.some((r) => r.path.includes("sort=-price") && r.path.includes("page=1")),
      ).toBe(true),
    );
  });

  it("refuses a malformed price before asking", async () => {
    fakeShop({
      "GET /api/categories": () => json(200, []),
      "GET /api/products": () =>
        json(200, { rows: [], total: 0, page: 1, pageSize: 20, totalPages: 0 }),
    });
    renderAt("/search", "/search", <Search />, { user: null });
    expect(await screen.findByTestId("no-results")).toBeTruthy();
    fireEvent.change(screen.getByTestId("filter-min-price"), { target: { value: "1.234" } });
    expect(screen.getByText("Enter an amount like 19.99")).toBeTruthy();
  });
});
