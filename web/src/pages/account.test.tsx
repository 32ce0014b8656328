import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Cart, Favorite, Order, Page, SavedAddress } from "../api/types.ts";
import { fakeShop, json, renderAt, signIn } from "../test/render.tsx";
import { Account } from "./Account.tsx";
import { Checkout } from "./Checkout.tsx";
import { ProductPage } from "./Product.tsx";

const home: SavedAddress = {
  id: "a1",
  isDefault: true,
  name: "张伟",
  phone: "13800138000",
  province: "浙江省",
  city: "杭州市",
  district: "西湖区",
  line1: "文三路 90 号",
  country: "CN",
};
const office: SavedAddress = { ...home, id: "a2", isDefault: false, line1: "文一西路 969 号" };

const tea: Favorite = {
  id: "p1",
  name: "Green tea",
  price: 1999,
  currency: "CNY",
  stock: 5,
  picture: "/api/pictures/p1.svg",
  merchantId: "m1",
};
const pageOf = <T,>(rows: T[]): Page<T> => ({
  rows,
  total: rows.length,
  page: 1,
  pageSize: 12,
  totalPages: rows.length ? 1 : 0,
});

const cart: Cart = {
  items: [
    {
      productId: "p1",
      quantity: 1,
      product: { ...tea, picture: null, available: true },
      lineTotal: 1999,
    },
  ],
  subtotal: 1999,
  currency: "CNY",
  itemCount: 1,
};

const order = {
  id: "order-1",
  userId: "u1",
  status: "pending",
  items: [],
  total: 1999,
  currency: "CNY",
  address: home,
  email: null,
  payment: null,
  expiresAt: null,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
} as unknown as Order;

describe("My account", () => {
  it("lists the address book, makes another the default and removes one", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/users/me/addresses": () => json(200, [home, office]),
      "PATCH /api/users/me/addresses/a2": () => json(200, { ...office, isDefault: true }),
      "DELETE /api/users/me/addresses/a1": () => new Response(null, { status: 204 }),
      "GET /api/users/me/favorites": () => json(200, pageOf([])),
    });
    renderAt("/account", "/account", <Account />);
    const entries = await screen.findAllByTestId("address-entry");
    expect(entries).toHaveLength(2);
    expect(within(entries[0]).getByTestId("default-address")).toBeTruthy();
    expect(within(entries[1]).queryByTestId("default-address")).toBeNull();
    fireEvent.click(within(entries[1]).getByTestId("make-default"));
    await waitFor(() =>
      expect(shop.seen.find((r) => r.method === "PATCH")?.body).toEqual({ isDefault: true }),
    );
    fireEvent.click(within(entries[0]).getByTestId("remove-address"));
    await waitFor(() =>
      expect(shop.seen.some((r) => r.method === "DELETE" && r.path.endsWith("/a1"))).toBe(true),
    );
    expect(await screen.findByTestId("no-favorites")).toBeTruthy();
  });

  it("adds an address with the region picker, checked before it is sent", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/users/me/addresses": () => json(200, []),
      "POST /api/users/me/addresses": () => json(201, home),
      "GET /api/users/me/favorites": () => json(200, pageOf([])),
    });
    renderAt("/account", "/account", <Account />);
    fireEvent.click(await screen.findByTestId("add-address"));
    const fill = (id: string, value: string) =>
      fireEvent.change(screen.getByTestId(id), { target: { value } });
    fill("book-name", "张伟");
    fill("book-phone", "12345");
    fireEvent.click(screen.getByTestId("save-address"));
    expect(await screen.findByText(/11-digit mobile number/)).toBeTruthy();
    expect(shop.seen.some((r) => r.method === "POST")).toBe(false);
    fill("book-phone", "13800138000");
    await waitFor(() =>
      expect(screen.getByTestId("address-province").textContent).toMatch(/北京市/),
    );
    fill("address-province", "11");
    fill("address-city", "1101");
    fill("address-district", "110105");
    fill("book-line1", "1 Road");
    fireEvent.click(screen.getByTestId("address-default"));
    fireEvent.click(screen.getByTestId("save-address"));
    await waitFor(() => expect(shop.seen.some((r) => r.method === "POST")).toBe(true));
    expect(shop.seen.find((r) => r.method === "POST")!.body).toEqual({
      name: "张伟",
      phone: "13800138000",
      province: "北京市",
      city: "北京市",
      district: "朝阳区",
      line1: "1 Road",
      country: "CN",
      isDefault: true,
    });
  });

  it("lists favourites with links and takes one out", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/users/me/addresses": () => json(200, []),
      "GET /api/users/me/favorites": () => json(200, pageOf([tea])),
      "DELETE /api/users/me/favorites/p1": () => new Response(null, { status: 204 }),
    });
    renderAt("/account", "/account", <Account />);
    const favorite = await screen.findByTestId("favorite");
    expect(within(favorite).getByRole("link").getAttribute("href")).toBe("/products/p1");
    fireEvent.click(within(favorite).getByTestId("unfavorite"));
    await waitFor(() =>
      expect(shop.seen.some((r) => r.method === "DELETE" && r.path.endsWith("/p1"))).toBe(true),
    );
  });

  it("deletes the account only after a confirmation", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/users/me/addresses": () => json(200, []),
      "GET /api/users/me/favorites": () => json(200, pageOf([])),
      "DELETE /api/users/me": () => new Response(null, { status: 204 }),
    });
    renderAt("/account", "/account", <Account />, {
      routes: [["/", <p data-testid="home">home</p>]],
    });
    fireEvent.click(await screen.findByTestId("delete-account"));
    expect(shop.seen.some((r) => r.method === "DELETE" && r.path === "/api/users/me")).toBe(false);
    fireEvent.click(screen.getByTestId("confirm-delete"));
    await screen.findByTestId("home");
    expect(shop.seen.some((r) => r.method === "DELETE" && r.path === "/api/users/me")).toBe(true);
  });

  it("marks the current password when the server says it is wrong", async () => {
    signIn();
    fakeShop({
      "GET /api/users/me/addresses": () => json(200, []),
      "GET /api/users/me/favorites": () => json(200, pageOf([])),
      "PATCH /api/users/me": () =>
        json(422, {
          name: "ValidationError",
          message: "The current password is wrong",
          code: 422,
          type: "INVALID_CURRENT_PASSWORD",
          data: [{ field: "currentPassword", message: "The current password is wrong" }],
        }),
    });
    renderAt("/account", "/account", <Account />);
    fireEvent.change(await screen.findByTestId("current-password"), {
      target: { value: "not-it" },
    });
    fireEvent.change(screen.getByTestId("new-password"), { target: { value: "a-new-secret" } });
    fireEvent.submit(screen.getByTestId("password-form"));
    await waitFor(() =>
      expect(screen.getByTestId("current-password").getAttribute("aria-invalid")).toBe("true"),
    );
  });
});

describe("Checkout with the address book", () => {
  it("preselects the default address and sends its id", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/cart": () => json(200, cart),
      "GET /api/users/me/addresses": () => json(200, [home, office]),
      "POST /api/checkout": () => json(201, order),
    });
    renderAt("/checkout", "/checkout", <Checkout />, {
      routes: [["/orders/:id", <p data-testid="order-page">order</p>]],
    });
    await screen.findByTestId("checkout-form");
    const choices = await screen.findAllByTestId("saved-address");
    expect((within(choices[0]).getByRole("radio") as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByTestId("address-name")).toBeNull();
    fireEvent.click(screen.getByTestId("pay-later"));
    await screen.findByTestId("order-page");
    const body = shop.seen.find((r) => r.path === "/api/checkout")!.body as Record<string, unknown>;
    expect(body.addressId).toBe("a1");
    expect(body.address).toBeUndefined();
  });

  it("takes a new address and offers to save it", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/cart": () => json(200, cart),
      "GET /api/users/me/addresses": () => json(200, [home]),
      "POST /api/checkout": () => json(201, order),
    });
    renderAt("/checkout", "/checkout", <Checkout />, {
      routes: [["/orders/:id", <p data-testid="order-page">order</p>]],
    });
    fireEvent.click(await screen.findByTestId("new-address"));
    const fill = (id: string, value: string) =>
      fireEvent.change(screen.getByTestId(id), { target: { value } });
    fill("address-country", "us");
    fill("address-phone", "+1 555 010 9999");
    fill("address-city", "Boston");
    fill("address-line1", "1 Main St");
    expect((screen.getByTestId("save-address") as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByTestId("pay-later"));
    await screen.findByTestId("order-page");
    const body = shop.seen.find((r) => r.path === "/api/checkout")!.body as Record<string, unknown>;
    expect(body).toMatchObject({ address: { city: "Boston" }, saveAddress: true });
    expect(body.addressId).toBeUndefined();
  });
});

describe("Favourite toggle on the product page", () => {
  it("shows whether the product is a favourite and toggles it", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/products/p1": () =>
        json(200, {
          ...tea,
          description: "Tea",
          categories: [],
          createdAt: "2026-01-01T00:00:00.000Z",
          updatedAt: "2026-01-01T00:00:00.000Z",
        }),
      "GET /api/categories": () => json(200, []),
      "GET /api/cart": () => json(200, { ...cart, items: [], subtotal: 0, itemCount: 0 }),
      "GET /api/users/me/favorites": () => json(200, pageOf([])),
      "PUT /api/users/me/favorites/p1": () => new Response(null, { status: 204 }),
    });
    renderAt("/products/p1", "/products/:id", <ProductPage />);
    const toggle = await screen.findByTestId("favorite-toggle");
    await waitFor(() => expect(toggle.hasAttribute("disabled")).toBe(false));
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute("aria-pressed")).toBe("true"));
    expect(shop.seen.some((r) => r.method === "PUT")).toBe(true);
  });
});
