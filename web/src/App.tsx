import { useTranslation } from "react-i18next";
import { lazy, Suspense, type ReactNode } from "react";
import { BrowserRouter, Route, Routes } from "react-router";
import { Spinner } from "./components/Feedback.tsx";
import { Layout } from "./components/Layout.tsx";
import { RequireAuth } from "./components/RequireAuth.tsx";
import { Account } from "./pages/Account.tsx";
import { Login, NotFound, Register } from "./pages/Auth.tsx";
import { CartPage } from "./pages/Cart.tsx";
import { Checkout } from "./pages/Checkout.tsx";
import { Home } from "./pages/Home.tsx";
import { OrderDetail } from "./pages/OrderDetail.tsx";
import { Orders } from "./pages/Orders.tsx";
import { ProductPage } from "./pages/Product.tsx";
import { Search } from "./pages/Search.tsx";
import { AuthProvider } from "./state/auth.tsx";
import { CartProvider } from "./state/cart.tsx";
import { ToastProvider } from "./state/toast.tsx";

// Merchant and admin pages load on demand: shoppers never download them.
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

function Staff({ roles, children }: { roles: ("merchant" | "admin")[]; children: ReactNode }) {
  return (
    <RequireAuth roles={roles}>
      <Suspense fallback={<Spinner />}>{children}</Suspense>
    </RequireAuth>
  );
}

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
            <Staff roles={["merchant", "admin"]}>
              <MerchantProducts />
            </Staff>
          }
        />
        <Route
          path="merchant/orders"
          element={
            <Staff roles={["merchant", "admin"]}>
              <MerchantOrders />
            </Staff>
          }
        />
        <Route
          path="merchant/sales"
          element={
            <Staff roles={["merchant", "admin"]}>
              <MerchantSales />
            </Staff>
          }
        />
        <Route
          path="merchant/products/new"
          element={
            <Staff roles={["merchant", "admin"]}>
              <ProductForm />
            </Staff>
          }
        />
        <Route
          path="merchant/products/:id/edit"
          element={
            <Staff roles={["merchant", "admin"]}>
              <ProductForm />
            </Staff>
          }
        />
        <Route
          path="admin"
          element={
            <Staff roles={["admin"]}>
              <AdminOrders />
            </Staff>
          }
        />
        <Route
          path="admin/orders"
          element={
            <Staff roles={["admin"]}>
              <AdminOrders />
            </Staff>
          }
        />
        <Route
          path="admin/users"
          element={
            <Staff roles={["admin"]}>
              <AdminUsers />
            </Staff>
          }
        />
        <Route
          path="admin/access"
          element={
            <Staff roles={["admin"]}>
              <AdminAccess />
            </Staff>
          }
        />
        <Route
          path="admin/policy"
          element={
            <Staff roles={["admin"]}>
              <AdminPolicy />
            </Staff>
          }
        />
        <Route
          path="admin/monitoring"
          element={
            <Staff roles={["admin"]}>
              <Monitoring />
            </Staff>
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
        <CartProvider>
          <ToastProvider>
            <AppRoutes key={i18n.language} />
          </ToastProvider>
        </CartProvider>
      </AuthProvider>
    </BrowserRouter>
  );
}
