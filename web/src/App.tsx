import { useTranslation } from "react-i18next";
import { lazy, useEffect } from "react";
import { BrowserRouter, Route, Routes } from "react-router";
import { Layout } from "./components/Layout.tsx";
import { RequireAuth } from "./components/RequireAuth.tsx";
import { Login, NotFound, Register } from "./pages/Auth.tsx";
import { Home } from "./pages/Home.tsx";
import { ProductPage } from "./pages/Product.tsx";
import { Search } from "./pages/Search.tsx";
import { AuthProvider, useAuth } from "./state/auth.tsx";
import { CartProvider } from "./state/cart.tsx";
import { ToastProvider } from "./state/toast.tsx";

// The pages a visitor lands on (home, search, product, sign in) come with the app; the rest load
// on demand (Layout shows a spinner meanwhile): the first screen does not wait for the checkout,
// and shoppers never download the merchant and admin pages.
const SHOPPER_PAGES = {
  cart: () => import("./pages/Cart.tsx"),
  checkout: () => import("./pages/Checkout.tsx"),
  account: () => import("./pages/Account.tsx"),
  orders: () => import("./pages/Orders.tsx"),
  order: () => import("./pages/OrderDetail.tsx"),
};
const CartPage = lazy(() => SHOPPER_PAGES.cart().then((m) => ({ default: m.CartPage })));
const Checkout = lazy(() => SHOPPER_PAGES.checkout().then((m) => ({ default: m.Checkout })));
const Account = lazy(() => SHOPPER_PAGES.account().then((m) => ({ default: m.Account })));
const Orders = lazy(() => SHOPPER_PAGES.orders().then((m) => ({ default: m.Orders })));
const OrderDetail = lazy(() => SHOPPER_PAGES.order().then((m) => ({ default: m.OrderDetail })));

/**
 * A signed-in shopper is a click away from the cart, checkout and orders: once the browser is
 * idle, their pages are fetched, so the click does not wait for them on a slow network. A visitor
 * who has not signed in fetches nothing more.
 */
function PrefetchShopperPages() {
  const { user } = useAuth();
  useEffect(() => {
    if (!user) return;
    const fetchAll = () => {
      for (const load of Object.values(SHOPPER_PAGES)) void load().catch(() => undefined);
    };
    if (typeof window.requestIdleCallback === "function") {
      const id = window.requestIdleCallback(fetchAll, { timeout: 5_000 });
      return () => window.cancelIdleCallback(id);
    }
    const timer = window.setTimeout(fetchAll, 2_000);
    return () => window.clearTimeout(timer);
  }, [user]);
  return null;
}

const AdminAccess = lazy(() =>
  import("./pages/admin/Access.tsx").then((m) => ({ default: m.AdminAccess })),
);
const AdminPolicy = lazy(() =>
  import("./pages/admin/Policy.tsx").then((m) => ({ default: m.AdminPolicy })),
);
const Monitoring = lazy(() =>
  import("./pages/admin/Monitoring.tsx").then((m) => ({ default: m.Monitoring })),
);
const AdminOrders = lazy(() =>
  import("./pages/admin/Orders.tsx").then((m) => ({ default: m.AdminOrders })),
);
const AdminUsers = lazy(() =>
  import("./pages/admin/Users.tsx").then((m) => ({ default: m.AdminUsers })),
);
const ProductForm = lazy(() =>
  import("./pages/merchant/ProductForm.tsx").then((m) => ({ default: m.ProductForm })),
);
const MerchantProducts = lazy(() =>
  import("./pages/merchant/Products.tsx").then((m) => ({ default: m.MerchantProducts })),
);
const MerchantOrders = lazy(() =>
  import("./pages/merchant/Orders.tsx").then((m) => ({ default: m.MerchantOrders })),
);
const MerchantSales = lazy(() =>
  import("./pages/merchant/Sales.tsx").then((m) => ({ default: m.MerchantSales })),
);

/** The routes of the app; everything outside /api is the app's (the gateway serves index.html). */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="search" element={<Search />} />
        <Route path="products/:id" element={<ProductPage />} />
        <Route path="login" element={<Login />} />
        <Route path="register" element={<Register />} />
        <Route
          path="cart"
          element={
            <RequireAuth>
              <CartPage />
            </RequireAuth>
          }
        />
        <Route
          path="checkout"
          element={
            <RequireAuth>
              <Checkout />
            </RequireAuth>
          }
        />
        <Route
          path="account"
          element={
            <RequireAuth>
              <Account />
            </RequireAuth>
          }
        />
        <Route
          path="orders"
          element={
            <RequireAuth>
              <Orders />
            </RequireAuth>
          }
        />
        <Route
          path="orders/:id"
          element={
            <RequireAuth>
              <OrderDetail />
            </RequireAuth>
          }
        />
        <Route
          path="merchant/products"
          element={
            <RequireAuth roles={["merchant", "admin"]}>
              <MerchantProducts />
            </RequireAuth>
          }
        />
        <Route
          path="merchant/orders"
          element={
            <RequireAuth roles={["merchant", "admin"]}>
              <MerchantOrders />
            </RequireAuth>
          }
        />
        <Route
          path="merchant/sales"
          element={
            <RequireAuth roles={["merchant", "admin"]}>
              <MerchantSales />
            </RequireAuth>
          }
        />
        <Route
          path="merchant/products/new"
          element={
            <RequireAuth roles={["merchant", "admin"]}>
              <ProductForm />
            </RequireAuth>
          }
        />
        <Route
          path="merchant/products/:id/edit"
          element={
            <RequireAuth roles={["merchant", "admin"]}>
              <ProductForm />
            </RequireAuth>
          }
        />
        <Route
          path="admin"
          element={
            <RequireAuth roles={["admin"]}>
              <AdminOrders />
            </RequireAuth>
          }
        />
        <Route
          path="admin/orders"
          element={
            <RequireAuth roles={["admin"]}>
              <AdminOrders />
            </RequireAuth>
          }
        />
        <Route
          path="admin/users"
          element={
            <RequireAuth roles={["admin"]}>
              <AdminUsers />
            </RequireAuth>
          }
        />
        <Route
          path="admin/access"
          element={
            <RequireAuth roles={["admin"]}>
              <AdminAccess />
            </RequireAuth>
          }
        />
        <Route
          path="admin/policy"
          element={
            <RequireAuth roles={["admin"]}>
              <AdminPolicy />
            </RequireAuth>
          }
        />
        <Route
          path="admin/monitoring"
          element={
            <RequireAuth roles={["admin"]}>
              <Monitoring />
            </RequireAuth>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function App() {
  // A new language remounts the pages, so that what they loaded (category names) comes again in it.
  const { i18n } = useTranslation();
  return (
    <BrowserRouter>
      <AuthProvider>
        <PrefetchShopperPages />
        <CartProvider>
          <ToastProvider>
            <AppRoutes key={i18n.language} />
          </ToastProvider>
        </CartProvider>
      </AuthProvider>
    </BrowserRouter>
  );
}
