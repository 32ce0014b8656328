/** The shapes of the public REST API (see shared/API.md). */

export type Role = "customer" | "merchant" | "admin";

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface Session {
  user: User;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number;
  /** Epoch milliseconds from which to renew it ahead of time (a fifth of its life early at most). */
  refreshAt?: number;
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
  /** Search only: no product has every word, these are the closest matches. */
  relaxed?: boolean;
}

export interface Product {
  id: string;
  name: string;
  description: string;
  price: number;
  currency: string;
  stock: number;
  categories: string[];
  picture: string | null;
  merchantId: string;
  /** GET /products/:id only: the merchant's display name, null for the shop's own products. */
  merchantName?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ProductInput {
  name: string;
  description: string;
  price: number;
  currency?: string;
  stock: number;
  categories?: string[];
  picture?: string | null;
}

export interface Category {
  id: string;
  name: string;
  slug: string;
  productCount: number;
}

export type ProductSort = "newest" | "price" | "-price" | "relevance";

export interface ProductQuery {
  page?: number;
  pageSize?: number;
  q?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  sort?: ProductSort;
  /** Only this merchant's products (an extension; see web/README.md). */
  merchantId?: string;
}

export interface CartLine {
  productId: string;
  quantity: number;
  product: Pick<Product, "id" | "name" | "price" | "currency" | "stock" | "picture">;
  lineTotal: number;
}

export interface Cart {
  items: CartLine[];
  subtotal: number;
  currency: string;
  itemCount: number;
  /** true when the catalog could not be reached: the lines come without prices. */
  degraded?: true;
}

/** API.md "Address": for CN an 11-digit mobile number, province and city are required. */
export interface Address {
  name: string;
  phone: string;
  province?: string;
  city: string;
  district?: string;
  line1: string;
  postalCode?: string;
  country: string;
}

/** An entry of the address book (GET /users/me/addresses): the address, its id and default flag. */
export interface SavedAddress extends Address {
  id: string;
  isDefault: boolean;
}

/** A favourite product (GET /users/me/favorites): the product as the cart shows it. */
export interface Favorite {
  id: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
  picture: string;
  merchantId: string | null;
}

export interface Card {
  number: string;
  expMonth: number;
  expYear: number;
  cvv: string;
}

export type OrderStatus = "pending" | "paid" | "shipped" | "completed" | "cancelled" | "refunded";

export interface Payment {
  id: string;
  status: string;
  amount: number;
  cardLast4: string;
  transactionId: string;
  createdAt: string;
}

export interface OrderItem {
  productId: string;
  name: string;
  price: number;
  quantity: number;
  lineTotal: number;
  /** The merchant selling it; null for the shop's own (or old orders). */
  merchantId?: string | null;
}

export interface Shipment {
  carrier: string | null;
  trackingNumber: string | null;
  shippedAt: string;
}

/** The tabs of an order list (the API's `status` also takes these). */
export type OrderTab = "to_pay" | "to_ship" | "to_receive" | "done" | "after_sale";

/** An order as its merchant sees it: its own lines and their subtotal, no email or payment. */
export interface MerchantOrder {
  id: string;
  status: OrderStatus;
  items: OrderItem[];
  total: number;
  currency: string;
  address: Address;
  shipment: Shipment | null;
  paidAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SalesSummary {
  revenue: number;
  orders: number;
  unitsSold: number;
  byDay: Array<{ date: string; revenue: number; orders: number }>;
  topProducts: Array<{ productId: string; name: string; units: number; revenue: number }>;
}

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  items: OrderItem[];
  total: number;
  currency: string;
  address: Address;
  email: string | null;
  payment: Payment | null;
  shipment?: Shipment | null;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AccessLists {
  whitelist: string[];
  blacklist: { users: string[]; ips: string[] };
}
