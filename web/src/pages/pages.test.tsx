import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { describe, expect, it } from "vitest";
import type { Cart, Order } from "../api/types.ts";
import { switchLanguage } from "../i18n/index.ts";
import { AuthProvider } from "../state/auth.tsx";
import { fakeShop, json, renderAt, signIn } from "../test/render.tsx";
import { Login, Register } from "./Auth.tsx";
import { CartPage } from "./Cart.tsx";
import { Checkout } from "./Checkout.tsx";
import { OrderDetail } from "./OrderDetail.tsx";
import { ProductPage } from "./Product.tsx";

const tea = {
  id: "p1",
  name: "Green tea",
  price: 1999,
  currency: "CNY",
  stock: 5,
  picture: null,
  merchantId: null,
  available: true,
};

function cartOf(quantity: number): Cart {
  return {
    items: quantity
      ? [{ productId: "p1", quantity, product: tea, lineTotal: 1999 * quantity }]
      : [],
    subtotal: 1999 * quantity,
    currency: "CNY",
    itemCount: quantity,
  };
}

const pendingOrder: Order = {
  id: "order-0001",
  userId: "u1",
  status: "pending",
  items: [
    {
      productId: "p1",
      name: "Green tea",
      price: 1999,
      quantity: 2,
      lineTotal: 3998,
      refundedQuantity: 0,
      merchantId: null,
    },
  ],
  total: 3998,
  currency: "CNY",
  address: { name: "Ann", phone: "13800000000", line1: "1 Road", city: "Beijing", country: "CN" },
  email: "ann@example.com",
  payment: null,
  returnRequest: null,
  shipment: null,
  expiresAt: new Date(Date.now() + 600_000).toISOString(),
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
};

describe("Login", () => {
  function renderLogin() {
    return render(
      <MemoryRouter initialEntries={[{ pathname: "/login", state: { from: "/orders" } }]}>
        <AuthProvider>
          <Routes>
            <Route path="/login" element={<Login />} />
            <Route path="/orders" element={<p>orders page</p>} />
          </Routes>
        </AuthProvider>
      </MemoryRouter>,
    );
  }
  const fillAndSubmit = () => {
    fireEvent.change(screen.getByTestId("login-email"), { target: { value: "ann@example.com" } });
    fireEvent.change(screen.getByTestId("login-password"), {
      target: { value: "secret-password" },
    });
    fireEvent.click(screen.getByTestId("login-submit"));
  };

  it("says wrong email or password on a 401", async () => {
    fakeShop({
      "POST /api/auth/login": () =>
        json(401, {
          name: "UnauthorizedError",
          message: "Invalid credentials",
          code: 401,
          type: "UNAUTHORIZED",
        }),
    });
    renderLogin();
    fillAndSubmit();
    expect((await screen.findByTestId("login-error")).textContent).toBe("Wrong email or password.");
    expect(localStorage.getItem("shop.tokens")).toBeNull();
  });

  it("keeps the tokens and returns to the page that asked", async () => {
    const shop = fakeShop({
      "POST /api/auth/login": () =>
        json(200, {
          user: {
            id: "u1",
            email: "ann@example.com",
            name: "Ann",
            role: "customer",
            createdAt: "",
          },
          accessToken: "a1",
          refreshToken: "r1",
          expiresIn: 900,
        }),
    });
    renderLogin();
    fillAndSubmit();
    expect(await screen.findByText("orders page")).toBeTruthy();
    expect(JSON.parse(localStorage.getItem("shop.tokens")!)).toMatchObject({
      accessToken: "a1",
      refreshToken: "r1",
    });
    expect(shop.seen[0].headers.has("Authorization")).toBe(false);
  });

  it("explains a rate limit with the wait", async () => {
    fakeShop({
      "POST /api/auth/login": () =>
        json(
          429,
          { name: "RateLimitedError", message: "Too many", code: 429, type: "RATE_LIMITED" },
          { "Retry-After": "20" },
        ),
    });
    renderLogin();
    fillAndSubmit();
    expect((await screen.findByTestId("login-error")).textContent).toBe(
      "Too many requests. Please wait 20 seconds and try again.",
    );
  });
});

describe("Register", () => {
  it("checks the password length before sending", async () => {
    const shop = fakeShop({});
    renderAt("/register", "/register", <Register />, { user: null });
    fireEvent.change(screen.getByTestId("register-email"), {
      target: { value: "ann@example.com" },
    });
    fireEvent.change(screen.getByTestId("register-password"), { target: { value: "short" } });
    fireEvent.click(screen.getByTestId("register-submit"));
    expect(await screen.findByText("Use at least 8 characters.")).toBeTruthy();
    expect(shop.fetch).not.toHaveBeenCalled();
  });
});

describe("Product page", () => {
  it("explains an out-of-stock refusal", async () => {
    signIn();
    fakeShop({
      "GET /api/products/p1": () =>
        json(200, {
          ...tea,
          description: "",
          categories: [],
          merchantId: "m",
          createdAt: "",
          updatedAt: "",
        }),
      "GET /api/products/p1/reviews": () =>
        json(200, { rows: [], total: 0, page: 1, pageSize: 10, totalPages: 0 }),
      "GET /api/cart": () => json(200, cartOf(0)),
      "POST /api/cart/items": () =>
        json(409, {
          name: "ConflictError",
          message: "Not enough stock",
          code: 409,
          type: "OUT_OF_STOCK",
          data: { productId: "p1", available: 1 },
        }),
    });
    renderAt("/products/p1", "/products/:id", <ProductPage />);
    fireEvent.click(await screen.findByTestId("add-to-cart"));
    expect((await screen.findByRole("alert")).textContent).toMatch(
      /only 1 of this item left in stock/i,
    );
  });
});

describe("Product page: merchant and buy now", () => {
  it("names the merchant, and buy now adds the quantity and goes to checkout", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/products/p1": () =>
        json(200, {
          ...tea,
          description: "",
          categories: [],
          merchantId: "m",
          merchantName: "Hangzhou Tea House",
          createdAt: "",
          updatedAt: "",
        }),
      "GET /api/cart": () => json(200, cartOf(0)),
      "POST /api/cart/items": () => json(200, cartOf(2)),
    });
    renderAt("/products/p1", "/products/:id", <ProductPage />, {
      routes: [["/checkout", <h1 key="c">Checkout here</h1>]],
    });
    expect((await screen.findByTestId("product-merchant")).textContent).toBe(
      "Sold by Hangzhou Tea House",
    );
    fireEvent.click(screen.getByRole("button", { name: "Increase quantity" }));
    fireEvent.click(screen.getByTestId("buy-now"));
    await screen.findByText("Checkout here");
    expect(shop.seen.find((r) => r.method === "POST")?.body).toEqual({
      productId: "p1",
      quantity: 2,
    });
  });

  it("says the shop sells its own products (no merchant)", async () => {
    fakeShop({
      "GET /api/products/p1": () =>
        json(200, {
          ...tea,
          description: "",
          categories: [],
          merchantId: null,
          merchantName: null,
          createdAt: "",
          updatedAt: "",
        }),
    });
    renderAt("/products/p1", "/products/:id", <ProductPage />, { user: null });
    expect((await screen.findByTestId("product-merchant")).textContent).toBe("Sold by Douyin mall");
  });
});

describe("Product page categories", () => {
  it("links each category by its slug, as the search filter expects", async () => {
    fakeShop({
      "GET /api/products/p1": () =>
        json(200, {
          ...tea,
          description: "",
          categories: ["Tea & Coffee"],
          merchantId: "m",
          createdAt: "",
          updatedAt: "",
        }),
      "GET /api/categories": () =>
        json(200, [{ id: "c1", name: "Tea & Coffee", slug: "tea-coffee", productCount: 1 }]),
      "GET /api/cart": () => json(200, cartOf(0)),
    });
    renderAt("/products/p1", "/products/:id", <ProductPage />, { user: null });
    await screen.findByTestId("product-title");
    await waitFor(() => {
      const links = screen.getAllByRole("link", { name: "Tea & Coffee" });
      expect(links.length).toBe(2);
      for (const link of links) {
        expect(link.getAttribute("href")).toBe("/search?category=tea-coffee");
      }
    });
  });
});

describe("Cart page", () => {
  it("changes a quantity through PUT and shows the new totals and count", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/cart": () => json(200, cartOf(1)),
      "PUT /api/cart/items/p1": (req) =>
        json(200, cartOf((req.body as { quantity: number }).quantity)),
    });
    renderAt("/cart", "/cart", <CartPage />);
    const line = await screen.findByTestId("cart-line");
    expect(within(line).getByTestId("line-total").textContent).toBe("¥19.99");
    fireEvent.click(within(line).getByRole("button", { name: "Increase quantity" }));
    await waitFor(() => expect(within(line).getByTestId("line-total").textContent).toBe("¥39.98"));
    expect(screen.getByTestId("cart-subtotal").textContent).toBe("¥39.98");
    expect(shop.seen.find((r) => r.method === "PUT")?.body).toEqual({ quantity: 2 });
  });

  it("says so when the catalog is unreachable (a degraded cart), and refreshes on request", async () => {
    signIn();
    let calls = 0;
    fakeShop({
      "GET /api/cart": () =>
        json(200, ++calls === 1 ? { ...cartOf(1), degraded: true } : cartOf(1)),
    });
    renderAt("/cart", "/cart", <CartPage />);
    const notice = await screen.findByTestId("cart-degraded");
    expect(notice.textContent).toMatch(/cannot be shown right now/);
    fireEvent.click(within(notice).getByRole("button", { name: "Refresh" }));
    await waitFor(() => expect(screen.queryByTestId("cart-degraded")).toBeNull());
  });

  it("shows a designed empty state", async () => {
    signIn();
    fakeShop({ "GET /api/cart": () => json(200, cartOf(0)) });
    renderAt("/cart", "/cart", <CartPage />);
    expect(await screen.findByTestId("cart-empty")).toBeTruthy();
  });
});

/** A mobile number, 北京市 → 北京市 (市辖区) → 朝阳区 in the picker, and a street. */
async function fillChineseAddress(phone = "13800000000") {
  const fill = (id: string, value: string) =>
    fireEvent.change(screen.getByTestId(id), { target: { value } });
  fill("address-phone", phone);
  await waitFor(() => expect(screen.getByTestId("address-province").textContent).toMatch(/北京市/));
  fill("address-province", "11");
  fill("address-city", "1101");
  fill("address-district", "110105");
  fill("address-line1", "1 Road");
}

describe("Checkout", () => {
  it("places the order, and on a declined card lands on the order with the reason and the pay form", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/cart": () => json(200, cartOf(2)),
      "POST /api/checkout": () => json(201, pendingOrder),
      "POST /api/orders/order-0001/pay": () =>
        json(402, {
          name: "PaymentDeclinedError",
          message: "Card declined",
          code: 402,
          type: "PAYMENT_DECLINED",
        }),
      "GET /api/orders/order-0001": () => json(200, pendingOrder),
    });
    renderAt("/checkout", "/checkout", <Checkout />, {
      routes: [["/orders/:id", <OrderDetail />]],
    });
    await screen.findByTestId("checkout-form");
    await fillChineseAddress();
    fireEvent.click(screen.getByRole("button", { name: /Use test card 4000 0000 0000 0002/ }));
    fireEvent.click(screen.getByTestId("pay-button"));

    const payError = await screen.findByTestId("pay-error");
    expect(payError.textContent).toMatch(/card was declined/i);
    expect(screen.getByTestId("order-status").dataset.status).toBe("pending");
    expect(screen.getByTestId("pay-form")).toBeTruthy();

    const checkout = shop.seen.find((r) => r.path === "/api/checkout")!;
    const pay = shop.seen.find((r) => r.path === "/api/orders/order-0001/pay")!;
    expect(checkout.body).toMatchObject({
      address: {
        name: "Ann",
        phone: "13800000000",
        province: "北京市",
        city: "北京市",
        district: "朝阳区",
        line1: "1 Road",
        country: "CN",
      },
      email: "ann@example.com",
    });
    expect(checkout.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(pay.body).toEqual({
      card: { number: "4000000000000002", expMonth: 12, expYear: expect.any(Number), cvv: "123" },
    });
    expect(pay.headers.get("Idempotency-Key")).not.toBe(checkout.headers.get("Idempotency-Key"));
  });

  it("keeps the form and marks the fields a validation error names", async () => {
    signIn();
    fakeShop({
      "GET /api/cart": () => json(200, cartOf(1)),
      "POST /api/checkout": () =>
        json(422, {
          name: "ValidationError",
          message: "Parameters validation error!",
          code: 422,
          type: "VALIDATION_ERROR",
          data: [{ field: "address.country", message: "Use a two-letter country code." }],
        }),
    });
    renderAt("/checkout", "/checkout", <Checkout />);
    await screen.findByTestId("checkout-form");
    await fillChineseAddress();
    fireEvent.click(screen.getByTestId("pay-later"));
    expect(await screen.findByText("Use a two-letter country code.")).toBeTruthy();
    expect(screen.getByTestId("address-country").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("checkout-error").textContent).toBe(
      "Please correct the highlighted fields.",
    );
  });

  it("explains an empty cart refusal", async () => {
    signIn();
    fakeShop({
      "GET /api/cart": () => json(200, cartOf(1)),
      "POST /api/checkout": () =>
        json(422, {
          name: "ValidationError",
          message: "Cart is empty",
          code: 422,
          type: "CART_EMPTY",
        }),
    });
    renderAt("/checkout", "/checkout", <Checkout />);
    await screen.findByTestId("checkout-form");
    await fillChineseAddress();
    fireEvent.click(screen.getByTestId("pay-later"));
    expect((await screen.findByTestId("checkout-error")).textContent).toMatch(/cart is empty/i);
  });
});

describe("Checkout with a Chinese address", () => {
  it("checks the mobile number and the region before sending anything", async () => {
    signIn();
    const shop = fakeShop({ "GET /api/cart": () => json(200, cartOf(1)) });
    renderAt("/checkout", "/checkout", <Checkout />);
    await screen.findByTestId("checkout-form");
    fireEvent.change(screen.getByTestId("address-phone"), { target: { value: "12345" } });
    fireEvent.click(screen.getByTestId("pay-later"));
    expect(await screen.findByText(/11-digit mobile number/)).toBeTruthy();
    expect(screen.getByTestId("address-phone").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("address-province").getAttribute("aria-invalid")).toBe("true");
    expect(shop.seen.some((r) => r.path === "/api/checkout")).toBe(false);
  });

  it("marks the phone when the server answers INVALID_PHONE", async () => {
    signIn();
    fakeShop({
      "GET /api/cart": () => json(200, cartOf(1)),
      "POST /api/checkout": () =>
        json(422, {
          name: "ValidationError",
          message: "The phone number is not valid",
          code: 422,
          type: "INVALID_PHONE",
          data: [{ field: "address.phone", message: "Use an 11-digit mobile number" }],
        }),
    });
    renderAt("/checkout", "/checkout", <Checkout />);
    await screen.findByTestId("checkout-form");
    await fillChineseAddress("+86 139 0000 0000");
    fireEvent.click(screen.getByTestId("pay-later"));
    expect((await screen.findByTestId("checkout-error")).textContent).toMatch(/mobile number/);
    expect(screen.getByTestId("address-phone").getAttribute("aria-invalid")).toBe("true");
  });

  it("sends the older shape outside China, with the city typed", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/cart": () => json(200, cartOf(1)),
      "POST /api/checkout": () => json(201, pendingOrder),
      "GET /api/orders/order-0001": () => json(200, pendingOrder),
    });
    renderAt("/checkout", "/checkout", <Checkout />, {
      routes: [["/orders/:id", <OrderDetail />]],
    });
    await screen.findByTestId("checkout-form");
    const fill = (id: string, value: string) =>
      fireEvent.change(screen.getByTestId(id), { target: { value } });
    fill("address-country", "us");
    expect(screen.queryByTestId("address-province")).toBeNull();
    fill("address-phone", "+1 555 010 9999");
    fill("address-city", "Boston");
    fill("address-line1", "1 Main St");
    fireEvent.click(screen.getByTestId("pay-later"));
    await screen.findByTestId("order-page");
    expect(shop.seen.find((r) => r.path === "/api/checkout")!.body).toMatchObject({
      address: { city: "Boston", country: "US", phone: "+1 555 010 9999" },
    });
  });
});

describe("Order page", () => {
  it("pays a pending order later and shows it paid", async () => {
    signIn();
    const paid: Order = {
      ...pendingOrder,
      status: "paid",
      payment: {
        id: "pay1",
        status: "captured",
        amount: 3998,
        cardLast4: "4242",
        cardBrand: "visa",
        transactionId: "tx1",
        refundedAmount: null,
        createdAt: "",
      },
    };
    fakeShop({
      "GET /api/cart": () => json(200, cartOf(0)),
      "GET /api/orders/order-0001": () => json(200, pendingOrder),
      "POST /api/orders/order-0001/pay": () => json(200, paid),
    });
    renderAt("/orders/order-0001", "/orders/:id", <OrderDetail />);
    await screen.findByTestId("pay-form");
    fireEvent.click(screen.getByRole("button", { name: /Use test card 4242/ }));
    fireEvent.click(screen.getByTestId("pay-button"));
    await waitFor(() => expect(screen.getByTestId("order-status").dataset.status).toBe("paid"));
    expect(screen.queryByTestId("pay-form")).toBeNull();
    expect(screen.getByTestId("order-payment").textContent).toMatch(/4242/);
  });

  it("explains an order that can no longer be paid", async () => {
    signIn();
    let status: Order["status"] = "pending";
    fakeShop({
      "GET /api/cart": () => json(200, cartOf(0)),
      "GET /api/orders/order-0001": () => json(200, { ...pendingOrder, status }),
      "POST /api/orders/order-0001/pay": () => {
        status = "cancelled";
        return json(409, {
          name: "ConflictError",
          message: "Order is not pending",
          code: 409,
          type: "ORDER_NOT_PENDING",
        });
      },
    });
    renderAt("/orders/order-0001", "/orders/:id", <OrderDetail />);
    await screen.findByTestId("pay-form");
    fireEvent.click(screen.getByRole("button", { name: /Use test card 4242/ }));
    fireEvent.click(screen.getByTestId("pay-button"));
    expect((await screen.findByTestId("pay-error")).textContent).toMatch(/can no longer be paid/);
    await waitFor(() =>
      expect(screen.getByTestId("order-status").dataset.status).toBe("cancelled"),
    );
  });

  it("cancels after confirmation", async () => {
    signIn();
    fakeShop({
      "GET /api/cart": () => json(200, cartOf(0)),
      "GET /api/orders/order-0001": () => json(200, pendingOrder),
      "POST /api/orders/order-0001/cancel": () =>
        json(200, { ...pendingOrder, status: "cancelled" }),
    });
    renderAt("/orders/order-0001", "/orders/:id", <OrderDetail />);
    fireEvent.click(await screen.findByTestId("cancel-order"));
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    await waitFor(() =>
      expect(screen.getByTestId("order-status").dataset.status).toBe("cancelled"),
    );
    expect(screen.getByTestId("order-notice").textContent).toBe("Order cancelled.");
  });
});

describe("In Chinese", () => {
  it("shows the cart in Chinese with ¥ prices, and asks the API in Chinese", async () => {
    await switchLanguage("zh-CN");
    signIn();
    const shop = fakeShop({ "GET /api/cart": () => json(200, cartOf(2)) });
    renderAt("/cart", "/cart", <CartPage />);
    expect((await screen.findByRole("heading", { level: 1 })).textContent).toBe("我的购物车");
    expect(screen.getByTestId("cart-subtotal").textContent).toBe("¥39.98");
    expect(screen.getByText("单价 ¥19.99")).toBeTruthy();
    expect(document.documentElement.lang).toBe("zh-CN");
    expect(shop.seen[0].headers.get("Accept-Language")).toBe("zh-CN");
  });

  it("shows an order's date, status and Chinese address the Chinese way", async () => {
    await switchLanguage("zh-CN");
    signIn();
    const order = {
      ...pendingOrder,
      createdAt: "2026-12-07T04:45:00.000Z",
      address: {
        name: "张伟",
        phone: "13800138000",
        province: "广东省",
        city: "深圳市",
        district: "南山区",
        line1: "科苑路 15 号",
        country: "CN",
      },
    };
    fakeShop({ "GET /api/orders/order-0001": () => json(200, order) });
    renderAt("/orders/order-0001", "/orders/:id", <OrderDetail />);
    expect((await screen.findByTestId("order-status")).textContent).toBe("待付款");
    expect(screen.getByText(/下单时间：2026年12月7日/)).toBeTruthy();
    expect(screen.getByTestId("order-address").textContent).toContain("广东省 深圳市 南山区");
  });
});
