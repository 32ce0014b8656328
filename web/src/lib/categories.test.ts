import { describe, expect, it } from "vitest";
import { categorySearchHref, findCategory } from "./categories.ts";

const list = [
  { id: "1", name: "耳机", nameEn: "Headphones", slug: "headphones", productCount: 3 },
  {
    id: "2",
    name: "Home & Kitchen",
    nameEn: "Home & Kitchen",
    slug: "home-kitchen",
    productCount: 1,
  },
];

describe("category links", () => {
  it("link a product's category name to its slug", () => {
    expect(categorySearchHref(list, "耳机")).toBe("/search?category=headphones");
    expect(categorySearchHref(list, "home & kitchen")).toBe("/search?category=home-kitchen");
  });
  it("find a category by slug or name, and nothing for an unknown one", () => {
    expect(findCategory(list, "headphones")?.name).toBe("耳机");
    expect(findCategory(list, "Home & Kitchen")?.slug).toBe("home-kitchen");
    expect(findCategory(list, "toys")).toBeUndefined();
    expect(findCategory(undefined, "toys")).toBeUndefined();
  });
  it("fall back to the name while the list is unknown", () => {
    expect(categorySearchHref(undefined, "耳机")).toBe(
      `/search?category=${encodeURIComponent("耳机")}`,
    );
  });
});
