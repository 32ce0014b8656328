/**
 * A banned shopper: the catalog still shows (public reads go without the refused token), and
 * a signed-in page says the account is suspended instead of a login page without a word.
 */
import { render, screen } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../components/RequireAuth.tsx";
import { AuthProvider } from "../state/auth.tsx";
import { CartProvider } from "../state/cart.tsx";
import { ToastProvider } from "../state/toast.tsx";
import { fakeShop, json, signIn, type SeenRequest } from "../test/render.tsx";
import { Home } from "./Home.tsx";

const tea = { id: "p1", name: "Green tea", price: 1999, currency: "CNY", stock: 5, picture: null };
const banned = () =>
  json(403, {
    name: "ForbiddenError",
    message: "Your account has been suspended",
    code: 403,
    type: "USER_BANNED",
  });
/** The gateway refuses a banned user's token on every route, public ones too. */
const refusingToken = (answer: () => Response) => (req: SeenRequest) =>
  req.headers.get("Authorization") ? banned() : answer();

function renderApp(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AuthProvider>
        <CartProvider>
          <ToastProvider>
            <Routes>
              <Route path="/" element={<Home />} />
              <Route
                path="/orders"
                element={
                  <RequireAuth>
                    <p>orders page</p>
                  </RequireAuth>
                }
              />
              <Route path="/login" element={<p>login page</p>} />
            </Routes>
          </ToastProvider>
        </CartProvider>
      </AuthProvider>
    </MemoryRouter>,
  );
}

describe("a banned shopper", () => {
  it("still sees the products and categories on the home page", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/users/me": banned,
      "GET /api/cart": banned,
      "GET /api/products": refusingToken(() =>
        json(200, { rows: [tea], total: 1, page: 1, pageSize: 12 }),
      ),
      "GET /api/categories": refusingToken(() =>
        json(200, [{ id: "c1", name: "Tea", slug: "tea", productCount: 1 }]),
      ),
    });
    renderApp("/");
    expect(await screen.findByText("Green tea")).toBeTruthy();
    expect(await screen.findByTestId("category-list")).toBeTruthy();
    expect(screen.queryByText(/suspended/)).toBeNull();
    // Once banned, public reads no longer carry the token.
    const last = shop.seen.filter((r) => r.path.startsWith("/api/products")).at(-1)!;
    expect(last.headers.get("Authorization")).toBeNull();
  });

  it("is told on /orders that the account is suspended, not sent to the login page", async () => {
    signIn();
    fakeShop({ "GET /api/users/me": banned, "GET /api/cart": banned });
    renderApp("/orders");
    expect((await screen.findByTestId("account-suspended")).textContent).toMatch(/suspended/);
    expect(screen.queryByText("login page")).toBeNull();
  });

  it("is told so on a signed-in page when banned during the visit", async () => {
    signIn();
    fakeShop({
      "GET /api/users/me": () =>
        json(200, { id: "u1", email: "a@b.c", name: "Ann", role: "customer", createdAt: "" }),
      "GET /api/cart": banned,
    });
    renderApp("/orders");
    expect((await screen.findByTestId("account-suspended")).textContent).toMatch(/suspended/);
    expect(screen.queryByText("orders page")).toBeNull();
  });
});
