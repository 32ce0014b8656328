/**
 * The shapes of the public REST API, named from the generated `schema.d.ts` (built from the
 * OpenAPI document by `npm run gen:api-types` at the repository root): a field added to a route
 * row reaches the web app's type check, and a stale file fails the backend's tests. Only the
 * web app's own shapes (stored tokens, query objects) are written here.
 */
import type { components, operations } from "./schema";

type Schemas = components["schemas"];
type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;
type Ok<Op extends keyof operations> = Json<
  operations[Op]["responses"] extends { 200: infer R } ? R : never
>;
type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;
type Body<Op extends keyof operations> =
  NonNullable<operations[Op]["requestBody"]> extends { content: { "application/json": infer B } }
    ? B
    : never;

export type User = Schemas["User"];
export type Role = User["role"];
export type Session = Schemas["Session"];

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

export type Product = Schemas["Product"] & Partial<Pick<Schemas["ProductDetail"], "merchantName">>;
export type ProductDetail = Schemas["ProductDetail"];
export type ProductInput = Body<"products_create_post">;
export type Category = Schemas["Category"];
export type Rating = Schemas["Rating"];
export type Review = Schemas["Review"];
export type ProductSort = NonNullable<Query<"products_listText_get">["sort"]>;
export type ProductQuery = Partial<
  Pick<
    Query<"products_listText_get">,
    "page" | "pageSize" | "q" | "category" | "minPrice" | "maxPrice" | "sort" | "merchantId"
  >
>;

export type CartLine = Schemas["CartLine"];
export type Cart = Schemas["Cart"];

export type Order = Schemas["Order"];
export type OrderStatus = Order["status"];
export type OrderItem = Order["items"][number];
export type Payment = NonNullable<Order["payment"]>;
export type Shipment = NonNullable<Order["shipment"]>;
/** The tabs of an order list (the API's `status` also takes these). */
export type OrderTab = Exclude<NonNullable<Query<"orders_list_get">["status"]>, OrderStatus>;
/** An order as its merchant sees it: its own lines and their subtotal, no email or payment. */
export type MerchantOrder = Schemas["MerchantOrder"];
export type SalesSummary = Schemas["SalesSummary"];
/** API.md "Address": for CN an 11-digit mobile number, province and city are required. */
export type Address = Order["address"];

/** An entry of the address book (GET /users/me/addresses): the address, its id and default flag. */
export type SavedAddress = Ok<"users_addresses_get">[number];
/** A favourite product (GET /users/me/favorites). */
export type Favorite = Ok<"users_favorites_get">["rows"][number];

export type Card = NonNullable<Body<"orders_pay_post">["card"]>;

export type AccessLists = Schemas["AccessLists"];
