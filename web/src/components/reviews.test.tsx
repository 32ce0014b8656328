import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Review, User } from "../api/types.ts";
import { fakeShop, json, renderAt } from "../test/render.tsx";
import { OrderReviews } from "./OrderReviews.tsx";
import { ProductReviews } from "./ProductReviews.tsx";
import { ProductStats } from "./ProductStats.tsx";

const merchant: User = {
  id: "m1",
  email: "shop@example.com",
  name: "Tea shop",
  role: "merchant",
  createdAt: "2026-01-01T00:00:00.000Z",
};

const review = (id: string, rating: number, extra: Partial<Review> = {}): Review => ({
  id,
  productId: "p1",
  orderId: `o${id}`,
  rating,
  text: "",
  author: { name: "Ann" },
  reply: null,
  createdAt: "2026-01-02T00:00:00.000Z",
  ...extra,
});

const pageOf = (rows: Review[]) => ({
  rows,
  total: rows.length,
  page: 1,
  pageSize: 10,
  totalPages: 1,
});

describe("ProductStats", () => {
  it("reads the rating out as a sentence and shows the units sold", () => {
    fakeShop({});
    renderAt(
      "/",
      "/",
      <ProductStats product={{ rating: { average: 4.3, count: 12 }, soldCount: 250 }} />,
    );
    expect(screen.getByRole("img").getAttribute("aria-label")).toBe("4.3 out of 5, 12 reviews");
    expect(screen.getByTestId("sold-count").textContent).toBe("250 sold");
  });

  it("says when there is no rating yet", () => {
    fakeShop({});
    renderAt(
      "/",
      "/",
      <ProductStats product={{ rating: { average: 0, count: 0 }, soldCount: 0 }} />,
    );
    expect(screen.getByTestId("product-rating").textContent).toBe("No ratings yet");
  });
});

describe("ProductReviews", () => {
  it("shows review texts as written, escaped, with the merchant's reply", async () => {
    fakeShop({
      "GET /api/products/p1/reviews": () =>
        json(
          200,
          pageOf([
            review("2", 5, { text: '<img src=x onerror="alert(1)">\nline 2' }),
            review("1", 2, { reply: { text: "Sorry!", createdAt: "2026-01-03T00:00:00.000Z" } }),
          ]),
        ),
    });
    const { container } = renderAt(
      "/",
      "/",
      <ProductReviews product={{ id: "p1", merchantId: "m1" }} />,
    );
    const items = await screen.findAllByTestId("review");
    expect(items).toHaveLength(2);
    expect(within(items[0]).getByTestId("review-text").textContent).toBe(
      '<img src=x onerror="alert(1)">\nline 2',
    );
    expect(container.querySelector("img")).toBeNull();
    expect(within(items[1]).getByTestId("review-reply").textContent).toContain("Sorry!");
    expect(screen.queryByTestId("reply-form")).toBeNull();
  });

  it("filters by stars", async () => {
    const { seen } = fakeShop({
      "GET /api/products/p1/reviews": () => json(200, pageOf([review("1", 5)])),
    });
    renderAt("/", "/", <ProductReviews product={{ id: "p1", merchantId: "m1" }} />);
    await screen.findAllByTestId("review");
    fireEvent.click(screen.getByTestId("reviews-filter-5"));
    await waitFor(() => expect(seen.at(-1)?.path).toMatch(/rating=5/));
    expect(screen.getByTestId("reviews-filter-5").getAttribute("aria-pressed")).toBe("true");
  });

  it("lets the product's merchant answer a review once", async () => {
    const { seen } = fakeShop({
      "GET /api/products/p1/reviews": () => json(200, pageOf([review("1", 3)])),
      "POST /api/products/p1/reviews/1/reply": (req) =>
        json(
          200,
          review("1", 3, {
            reply: {
              text: (req.body as { text: string }).text,
              createdAt: "2026-01-03T00:00:00.000Z",
            },
          }),
        ),
    });
    renderAt("/", "/", <ProductReviews product={{ id: "p1", merchantId: "m1" }} />, {
      user: merchant,
    });
    fireEvent.change(await screen.findByTestId("reply-text"), { target: { value: "Thanks" } });
    fireEvent.submit(screen.getByTestId("reply-form"));
    expect((await screen.findByTestId("review-reply")).textContent).toContain("Thanks");
    expect(seen.find((r) => r.method === "POST")?.body).toEqual({ text: "Thanks" });
    expect(screen.queryByTestId("reply-form")).toBeNull();
  });

  it("offers no reply to another merchant", async () => {
    fakeShop({ "GET /api/products/p1/reviews": () => json(200, pageOf([review("1", 3)])) });
    renderAt("/", "/", <ProductReviews product={{ id: "p1", merchantId: "m2" }} />, {
      user: merchant,
    });
    await screen.findAllByTestId("review");
    expect(screen.queryByTestId("reply-form")).toBeNull();
  });
});

describe("OrderReviews", () => {
  const order = {
    id: "o1",
    status: "completed" as const,
    items: [
      {
        productId: "p1",
        name: "Green tea",
        price: 1999,
        quantity: 1,
        lineTotal: 1999,
        refundedQuantity: 0,
        merchantId: null,
      },
    ],
  };

  it("shows nothing for an order that is not completed", () => {
    fakeShop({});
    const { container } = renderAt(
      "/",
      "/",
      <OrderReviews order={{ ...order, status: "shipped" }} />,
    );
    expect(container.textContent).toBe("");
  });

  it("asks for stars, then posts the review of the line", async () => {
    const { seen } = fakeShop({
      "POST /api/orders/o1/reviews": () => json(201, review("9", 4, { text: "Nice" })),
    });
    renderAt("/", "/", <OrderReviews order={order} />);
    fireEvent.click(screen.getByRole("button", { name: "Write a review" }));
    fireEvent.submit(screen.getByTestId("review-form"));
    expect(screen.getByRole("alert").textContent).toBe("Choose 1 to 5 stars.");
    fireEvent.click(screen.getByLabelText("4 stars"));
    fireEvent.change(screen.getByTestId("review-text-input"), { target: { value: "Nice" } });
    fireEvent.submit(screen.getByTestId("review-form"));
    expect((await screen.findByTestId("review-posted")).textContent).toContain("Green tea");
    expect(seen.find((r) => r.method === "POST")?.body).toEqual({
      productId: "p1",
      rating: 4,
      text: "Nice",
    });
  });

  it("says so when the line was reviewed already", async () => {
    fakeShop({
      "POST /api/orders/o1/reviews": () =>
        json(409, { name: "ConflictError", message: "x", code: 409, type: "ALREADY_REVIEWED" }),
    });
    renderAt("/", "/", <OrderReviews order={order} />);
    fireEvent.click(screen.getByRole("button", { name: "Write a review" }));
    fireEvent.click(screen.getByLabelText("5 stars"));
    fireEvent.submit(screen.getByTestId("review-form"));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "You have already reviewed this item.",
    );
  });
});
