import { BrowserRouter, Route, Routes } from "react-router";
import { Layout } from "./components/Layout.tsx";
import { RequireAuth } from "./components/RequireAuth.tsx";
import { AdminAccess } from "./pages/admin/Access.tsx";
import { Monitoring } from "./pages/admin/Monitoring.tsx";
import { AdminOrders } from "./pages/admin/Orders.tsx";
import { AdminUsers } from "./pages/admin/Users.tsx";
import { Login, NotFound, Register } from "./pages/Auth.tsx";
import { CartPage } from "./pages/Cart.tsx";
import { Checkout } from "./pages/Checkout.tsx";
import { Home } from "./pages/Home.tsx";
import { ProductForm } from "./pages/merchant/ProductForm.tsx";
import { MerchantProducts } from "./pages/merchant/Products.tsx";
import { OrderDetail } from "./pages/OrderDetail.tsx";
import { Orders } from "./pages/Orders.tsx";
import { ProductPage } from "./pages/Product.tsx";
import { Search } from "./pages/Search.tsx";
import { AuthProvider } from "./state/auth.tsx";
import { CartProvider } from "./state/cart.tsx";
import { ToastProvider } from "./state/toast.tsx";

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
  return (
    <BrowserRouter>
      <AuthProvider>
        <CartProvider>
          <ToastProvider>
            <AppRoutes />
          </ToastProvider>
        </CartProvider>
      </AuthProvider>
    </BrowserRouter>
  );
}
