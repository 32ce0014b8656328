/** Every call the app makes, one typed function per route of API.md. */
import { currentLanguage } from "../i18n/index.ts";
import { ApiClient } from "./client.ts";
import { localTokenStore } from "./tokens.ts";
import type {
  AccessLists,
  Address,
  Card,
  Cart,
  Category,
  Favorite,
  MerchantOrder,
  Order,
  OrderStatus,
  OrderTab,
  Page,
  Product,
  ProductInput,
  ProductQuery,
  Review,
  Role,
  SalesSummary,
  SavedAddress,
  Session,
  User,
} from "./types.ts";

export const client = new ApiClient({
  store: localTokenStore(),
  locks: typeof navigator !== "undefined" && navigator.locks ? navigator.locks : null,
  language: currentLanguage,
});

const enc = encodeURIComponent;

export const auth = {
  async register(body: { email: string; password: string; name?: string }): Promise<User> {
    const session = await client.post<Session>("/auth/register", body, { auth: false });
    client.startSession(session);
    return session.user;
  },
  async login(body: { email: string; password: string }): Promise<User> {
    const session = await client.post<Session>("/auth/login", body, { auth: false });
    client.startSession(session);
    return session.user;
  },
  async logout(): Promise<void> {
    try {
      if (client.hasSession) await client.post<void>("/auth/logout");
    } catch {
      // The session ends here whatever the server answered.
    } finally {
      client.endSession("loggedOut");
    }
  },
  me: (signal?: AbortSignal) => client.get<User>("/users/me", undefined, signal),
  updateMe: (body: { name?: string; password?: string; currentPassword?: string }) =>
    client.patch<User>("/users/me", body),
  async deleteMe(): Promise<void> {
    await client.delete<void>("/users/me");
    client.endSession("loggedOut");
  },
};

/** The caller's address book and favourites. */
export const account = {
  addresses: (signal?: AbortSignal) =>
    client.get<SavedAddress[]>("/users/me/addresses", undefined, signal),
  addAddress: (body: Address & { isDefault?: boolean }) =>
    client.post<SavedAddress>("/users/me/addresses", body),
  updateAddress: (id: string, body: Partial<Address> & { isDefault?: boolean }) =>
    client.patch<SavedAddress>(`/users/me/addresses/${enc(id)}`, body),
  removeAddress: (id: string) => client.delete<void>(`/users/me/addresses/${enc(id)}`),
  favorites: (query: { page?: number; pageSize?: number }, signal?: AbortSignal) =>
    client.get<Page<Favorite>>("/users/me/favorites", query, signal),
  addFavorite: (productId: string) => client.put<void>(`/users/me/favorites/${enc(productId)}`),
  removeFavorite: (productId: string) =>
    client.delete<void>(`/users/me/favorites/${enc(productId)}`),
};

export const catalog = {
  products: (query: ProductQuery = {}, signal?: AbortSignal) =>
    client.getPublic<Page<Product>>("/products", { ...query }, signal),
  product: (id: string, signal?: AbortSignal) =>
    client.getPublic<Product>(`/products/${enc(id)}`, undefined, signal),
  categories: (signal?: AbortSignal) =>
    client.getPublic<Category[]>("/categories", undefined, signal),
  create: (body: ProductInput) => client.post<Product>("/products", body),
  update: (id: string, body: Partial<ProductInput>) =>
    client.patch<Product>(`/products/${enc(id)}`, body),
  remove: (id: string) => client.delete<void>(`/products/${enc(id)}`),
};

export const reviews = {
  list: (
    productId: string,
    query: { page?: number; pageSize?: number; rating?: number },
    signal?: AbortSignal,
  ) => client.getPublic<Page<Review>>(`/products/${enc(productId)}/reviews`, query, signal),
  create: (orderId: string, body: { productId: string; rating: number; text?: string }) =>
    client.post<Review>(`/orders/${enc(orderId)}/reviews`, body),
  reply: (productId: string, reviewId: string, text: string) =>
    client.post<Review>(`/products/${enc(productId)}/reviews/${enc(reviewId)}/reply`, { text }),
};

export const cart = {
  get: (signal?: AbortSignal) => client.get<Cart>("/cart", undefined, signal),
  add: (productId: string, quantity: number) =>
    client.post<Cart>("/cart/items", { productId, quantity }),
  setQuantity: (productId: string, quantity: number) =>
    client.put<Cart>(`/cart/items/${enc(productId)}`, { quantity }),
  remove: (productId: string) => client.delete<Cart>(`/cart/items/${enc(productId)}`),
  clear: () => client.delete<void>("/cart"),
};

export interface CheckoutBody {
  /** A new address, or `addressId`: one of the caller's saved ones. */
  address?: Address;
  addressId?: string;
  /** With `address`: also keep it in the address book. */
  saveAddress?: boolean;
  email?: string;
  card?: Card;
}

export const orders = {
  checkout: (body: CheckoutBody, idempotencyKey: string) =>
    client.post<Order>("/checkout", body, { headers: { "Idempotency-Key": idempotencyKey } }),
  list: (
    query: { page?: number; pageSize?: number; status?: OrderStatus | OrderTab | ""; q?: string },
    signal?: AbortSignal,
  ) => client.get<Page<Order>>("/orders", query, signal),
  get: (id: string, signal?: AbortSignal) =>
    client.get<Order>(`/orders/${enc(id)}`, undefined, signal),
  updateAddress: (id: string, address: Address) =>
    client.patch<Order>(`/orders/${enc(id)}`, { address }),
  pay: (id: string, card: Card, idempotencyKey: string) =>
    client.post<Order>(
      `/orders/${enc(id)}/pay`,
      { card },
      { headers: { "Idempotency-Key": idempotencyKey } },
    ),
  cancel: (id: string) => client.post<Order>(`/orders/${enc(id)}/cancel`),
  receive: (id: string) => client.post<Order>(`/orders/${enc(id)}/receive`),
  requestReturn: (
    id: string,
    body: { reason: string; items?: Array<{ productId: string; quantity: number }> },
  ) => client.post<Order>(`/orders/${enc(id)}/return`, body),
  /** The merchant of every line, or an admin: approve or reject the order's return. */
  decideReturn: (id: string, body: { approve: boolean; reason?: string }) =>
    client.post<Order>(`/merchant/orders/${enc(id)}/return/decide`, body),
};

export const merchant = {
  orders: (
    query: { page?: number; pageSize?: number; status?: OrderStatus | OrderTab | ""; q?: string },
    signal?: AbortSignal,
  ) => client.get<Page<MerchantOrder>>("/merchant/orders", query, signal),
  ship: (id: string, body: { carrier: string; trackingNumber: string }) =>
    client.post<MerchantOrder>(`/merchant/orders/${enc(id)}/ship`, body),
  summary: (days: number, signal?: AbortSignal) =>
    client.get<SalesSummary>("/merchant/summary", { days }, signal),
};

export interface AdminUser extends User {
  banned?: boolean;
}

export const admin = {
  orders: (
    query: { page?: number; pageSize?: number; status?: OrderStatus | ""; q?: string },
    signal?: AbortSignal,
  ) => client.get<Page<Order>>("/admin/orders", query, signal),
  setOrderStatus: (id: string, status: "shipped" | "completed") =>
    client.patch<Order>(`/admin/orders/${enc(id)}`, { status }),
  users: (
    query: { page?: number; pageSize?: number; q?: string; role?: Role | "" },
    signal?: AbortSignal,
  ) => client.get<Page<AdminUser>>("/admin/users", query, signal),
  setRole: (id: string, role: Role) => client.patch<User>(`/admin/users/${enc(id)}`, { role }),
  access: (signal?: AbortSignal) => client.get<AccessLists>("/admin/access", undefined, signal),
  banUser: (id: string) => client.put<unknown>(`/admin/access/blacklist/users/${enc(id)}`),
  unbanUser: (id: string) => client.delete<unknown>(`/admin/access/blacklist/users/${enc(id)}`),
  blockIp: (ipOrCidr: string) =>
    client.put<unknown>(`/admin/access/blacklist/ips/${enc(ipOrCidr)}`),
  unblockIp: (ipOrCidr: string) =>
    client.delete<unknown>(`/admin/access/blacklist/ips/${enc(ipOrCidr)}`),
  cluster: (signal?: AbortSignal) => client.get<unknown>("/admin/cluster", undefined, signal),
  policy: (signal?: AbortSignal) =>
    client.get<{ rules: PolicyRule[] }>("/admin/access/policy", undefined, signal),
  addRule: (rule: PolicyRule) =>
    client.post<{ rules: PolicyRule[] }>("/admin/access/policy", { rule }),
  removeRule: (rule: PolicyRule) =>
    client.post<{ rules: PolicyRule[] }>("/admin/access/policy/remove", { rule }),
};

/** A Casbin rule as the API sends it: ["p", role, path, method] or ["g", role, parentRole]. */
export type PolicyRule = string[];
