import { fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it, vi } from "vitest";
import type { Product } from "../api/types.ts";
import { CardForm, EMPTY_CARD } from "./CardForm.tsx";
import { ErrorAlert } from "./Feedback.tsx";
import { Gallery } from "./Gallery.tsx";
import { Pagination, pageWindow } from "./Pagination.tsx";
import { ProductCard } from "./ProductCard.tsx";
import { QuantityStepper } from "./QuantityStepper.tsx";
import { ApiError } from "../api/errors.ts";

const product: Product = {
  id: "p 1",
  name: "Jasmine green tea",
  description: "Fragrant",
  price: 1999,
  currency: "CNY",
  stock: 3,
  categories: ["Tea"],
  picture: "/images/tea.jpg",
  merchantId: "m1",
  rating: { average: 4.5, count: 2 },
  soldCount: 7,
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
};

describe("ProductCard", () => {
  it("shows the picture with the product name as alt text, the price and low stock", () => {
    render(
      <MemoryRouter>
        <ProductCard product={product} />
      </MemoryRouter>,
    );
    const card = screen.getByTestId("product-card");
    expect(within(card).getByRole("img", { name: "Jasmine green tea" }).getAttribute("src")).toBe(
      "/images/tea.jpg",
    );
    expect(within(card).getByTestId("product-price").textContent).toBe("¥19.99");
    expect(within(card).getByText("Only 3 left")).toBeTruthy();
    expect(within(card).getByRole("link").getAttribute("href")).toBe("/products/p%201");
  });

  it("shows a neutral placeholder, still named, when there is no picture, and marks sold out", () => {
    render(
      <MemoryRouter>
        <ProductCard product={{ ...product, picture: "", stock: 0 }} />
      </MemoryRouter>,
    );
    const placeholder = screen.getByRole("img", { name: "Jasmine green tea" });
    expect(placeholder.tagName).toBe("DIV");
    expect(screen.getByText("Sold out")).toBeTruthy();
  });

  it("falls back to the placeholder when the picture fails to load", () => {
    render(
      <MemoryRouter>
        <ProductCard product={product} />
      </MemoryRouter>,
    );
    fireEvent.error(screen.getByRole("img", { name: "Jasmine green tea" }));
    expect(screen.getByRole("img", { name: "Jasmine green tea" }).tagName).toBe("DIV");
  });
});

describe("Pagination", () => {
  it("marks the current page and moves with the buttons", () => {
    const onPage = vi.fn();
    render(<Pagination page={1} totalPages={3} onPage={onPage} />);
    expect(screen.getByRole("button", { name: "Page 1" }).getAttribute("aria-current")).toBe(
      "page",
    );
    expect((screen.getByRole("button", { name: "← Previous" }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    fireEvent.click(screen.getByRole("button", { name: "Next →" }));
    fireEvent.click(screen.getByRole("button", { name: "Page 3" }));
    expect(onPage.mock.calls).toEqual([[2], [3]]);
  });

  it("renders nothing for a single page", () => {
    const { container } = render(<Pagination page={1} totalPages={1} onPage={() => {}} />);
    expect(container.innerHTML).toBe("");
  });

  it("elides far pages", () => {
    expect(pageWindow(6, 20)).toEqual([1, null, 4, 5, 6, 7, 8, null, 20]);
    expect(pageWindow(1, 4)).toEqual([1, 2, 3, 4]);
  });
});

describe("CardForm", () => {
  it("shows the test cards and fills one in with a future expiry and a CVV", () => {
    const onChange = vi.fn();
    render(<CardForm value={EMPTY_CARD} onChange={onChange} />);
    const cards = screen.getByTestId("test-cards");
    expect(cards.textContent).toContain("4242 4242 4242 4242");
    expect(cards.textContent).toContain("4000 0000 0000 0002");
    expect(cards.textContent).toContain("4000 0000 0000 9995");
    fireEvent.click(screen.getByRole("button", { name: /Use test card 4000 0000 0000 0002/ }));
    const next = onChange.mock.calls[0][0];
    expect(next.number).toBe("4000 0000 0000 0002");
    expect(next.expiry).toMatch(/^12\/\d\d$/);
    expect(next.cvv).toBe("123");
  });

  it("shows field messages beside the fields", () => {
    render(
      <CardForm
        value={EMPTY_CARD}
        onChange={() => {}}
        errors={{ "card.number": "Enter a valid card number." }}
      />,
    );
    const input = screen.getByLabelText("Card number");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const describedBy = input.getAttribute("aria-describedby")!;
    expect(document.getElementById(describedBy)?.textContent).toBe("Enter a valid card number.");
  });
});

describe("QuantityStepper", () => {
  it("steps within its bounds and commits typed values on Enter", () => {
    const onChange = vi.fn();
    render(<QuantityStepper value={2} max={3} onChange={onChange} label="Qty" />);
    fireEvent.click(screen.getByRole("button", { name: "Increase quantity" }));
    fireEvent.click(screen.getByRole("button", { name: "Decrease quantity" }));
    const input = screen.getByLabelText("Quantity");
    fireEvent.change(input, { target: { value: "9" } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(onChange.mock.calls).toEqual([[3], [1], [3]]);
  });
});

describe("ErrorAlert", () => {
  it("announces the explained error", () => {
    render(<ErrorAlert error={new ApiError(402, "PAYMENT_DECLINED", "declined")} />);
    expect(screen.getByRole("alert").textContent).toMatch(/card was declined/);
  });
});

describe("Gallery", () => {
  it("shows one picture large, and moves between the thumbnails with the arrow keys", () => {
    render(<Gallery pictures={["/a.png", "/b.png", "/c.png", "/a.png"]} name="Tea" />);
    const main = () => screen.getByRole("img", { name: /^Tea, picture/ });
    expect(main().getAttribute("src")).toBe("/a.png");
    expect(main().getAttribute("alt")).toBe("Tea, picture 1 of 3");
    const thumbs = screen.getAllByTestId("gallery-thumb");
    expect(thumbs).toHaveLength(3);
    // One tab stop: the chosen thumbnail.
    expect(thumbs.map((t) => t.tabIndex)).toEqual([0, -1, -1]);
    expect(thumbs[0].getAttribute("aria-pressed")).toBe("true");

    fireEvent.keyDown(thumbs[0], { key: "ArrowRight" });
    expect(main().getAttribute("src")).toBe("/b.png");
    expect(document.activeElement).toBe(thumbs[1]);
    expect(thumbs[1].getAttribute("aria-pressed")).toBe("true");
    fireEvent.keyDown(thumbs[1], { key: "End" });
    expect(main().getAttribute("src")).toBe("/c.png");
    fireEvent.keyDown(thumbs[2], { key: "ArrowRight" });
    expect(main().getAttribute("src")).toBe("/a.png");
    fireEvent.click(screen.getByRole("button", { name: "Show picture 2 of 3" }));
    expect(main().getAttribute("src")).toBe("/b.png");
  });

  it("is just the picture, named after the product, when there is one", () => {
    render(<Gallery pictures={["/a.png"]} name="Tea" />);
    expect(screen.getByRole("img", { name: "Tea" }).getAttribute("src")).toBe("/a.png");
    expect(screen.queryAllByTestId("gallery-thumb")).toHaveLength(0);
  });
});
