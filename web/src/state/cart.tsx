/** The signed-in user's cart, shared by the header badge and the pages that change it. */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";
import { cart as cartApi } from "../api/shop.ts";
import type { Cart } from "../api/types.ts";
import { useAuth } from "./auth.tsx";

export interface CartState {
  cart: Cart | null;
  count: number;
  /** Re-reads the cart from the server. */
  refresh(): Promise<void>;
  /** Takes the cart a cart call answered with. */
  set(cart: Cart | null): void;
}

const CartContext = createContext<CartState | null>(null);

export function CartProvider({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const [cart, setCart] = useState<Cart | null>(null);

  const refresh = useCallback(async () => {
    try {
      setCart(await cartApi.get());
    } catch {
      // The badge is a convenience: the cart page shows the real error.
    }
  }, []);

  useEffect(() => {
    if (user) void refresh();
    else setCart(null);
  }, [user, refresh]);

  const value = useMemo<CartState>(
    () => ({
      cart,
      count: cart?.itemCount ?? cart?.items.reduce((n, l) => n + l.quantity, 0) ?? 0,
      refresh,
      set: setCart,
    }),
    [cart, refresh],
  );
  return <CartContext.Provider value={value}>{children}</CartContext.Provider>;
}

export function useCart(): CartState {
  const ctx = useContext(CartContext);
  if (!ctx) throw new Error("useCart outside CartProvider");
  return ctx;
}

export function CartTestProvider({
  value,
  children,
}: {
  value: Partial<CartState>;
  children: ReactNode;
}) {
  const full: CartState = {
    cart: null,
    count: 0,
    refresh: async () => {},
    set: () => {},
    ...value,
  };
  return <CartContext.Provider value={full}>{children}</CartContext.Provider>;
}
