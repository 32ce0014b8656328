/**
 * The catalog's routes (services/products.service.ts, services/products/*.actions.ts). The
 * gateway loads this file: it imports no module of lib/products that pulls in the database or
 * the search libraries (the sort and language names are checked against their types instead).
 */
import { pageParams } from "../../pagination.ts";
import type { Language } from "../../products/categories.ts";
import { checkPictureUrl } from "../../products/picture-url.ts";
import type { Sort } from "../../products/queries.ts";
import type { OpenApiSchema, RouteDef } from "../route.ts";
import { count, currency, id, money, nullable, object, page, text, timestamp } from "../schema.ts";

const MERCHANTS = ["merchant", "admin"] as const;

/** Every member of the union `U`, no more and no fewer: a list that cannot drift from its type. */
function allOf<U extends string>() {
  return <const L extends readonly U[]>(
    list: L & ([U] extends [L[number]] ? unknown : "missing a member of the union"),
  ): L => list;
}

const SORTS = allOf<Sort>()(["newest", "price", "-price", "relevance", "sales", "rating"]);
const LANGUAGES = allOf<Language>()(["zh", "en"]);

/** A product's id in a path (products.get, picture, update, remove). */
export const productIdRule = {
  type: "string",
  trim: true,
  min: 1,
  max: 40,
  description: "a product id",
  example: "1024",
} as const;

/**
 * `?lang`: the language of category names. The gateway fills it from Accept-Language when it is
 * absent (services/api.service.ts: routes whose params have `lang`), else Chinese.
 */
const langRule = {
  type: "enum",
  values: LANGUAGES,
  optional: true,
  description: "the language of category names; default: Accept-Language, else zh",
} as const;

const priceFilterRule = {
  type: "number",
  integer: true,
  min: 0,
  max: 1_000_000_000,
  convert: true,
  optional: true,
  description: "minor units (fen)",
} as const;

/**
 * The catalog's public reads are cached, and the cacher answers before the validator runs: they
 * drop unknown parameters (`$$strict: "remove"`) so a hit (200) and a miss cannot differ (422).
 */
const CACHED_READ = { $$strict: "remove" } as const;

/** GET /products (products.listText; the internal products.list takes the same). */
const listParams = {
  ...CACHED_READ,
  ...pageParams,
  // No control characters (API.md, Conventions): 422.
  q: {
    type: "string",
    trim: true,
    max: 200,
    pattern: /^\P{Cc}*$/u,
    optional: true,
    description:
      "words of the name or description, Chinese or English (Latin words match as prefixes)",
  },
  category: {
    type: "string",
    trim: true,
    max: 80,
    optional: true,
    description: "a category slug or id; an unknown one lists nothing",
  },
  minPrice: priceFilterRule,
  maxPrice: { ...priceFilterRule, description: "minor units (fen); not below minPrice (422)" },
  sort: {
    type: "enum",
    values: SORTS,
    optional: true,
    description:
      "default: relevance with q, else newest; sales: most units sold first; rating: best " +
      "average first",
  },
  // A merchant's shop page (and the merchant console's own list).
  merchantId: {
    type: "string",
    trim: true,
    numeric: true,
    max: 20,
    optional: true,
    description: "only this merchant's products",
  },
  lang: langRule,
} as const;

/** What a merchant sends for a product (POST; every field optional in a PATCH). */
const productFields = {
  name: { type: "string", trim: true, min: 1, max: 200 },
  description: { type: "string", trim: true, max: 5000, multiline: true },
  price: { type: "number", integer: true, min: 0, max: 1_000_000_000, description: "minor units" },
  currency: {
    type: "string",
    pattern: /^[A-Z]{3}$/,
    optional: true,
    description: "ISO 4217 (422 INVALID_CURRENCY otherwise); default CNY",
  },
  stock: {
    type: "number",
    integer: true,
    min: 0,
    max: 1_000_000,
    description: "units on hand, those held by unpaid orders included",
  },
  maxPerOrder: {
    type: "number",
    integer: true,
    min: 1,
    max: 99,
    optional: true,
    description: "the most units one order may take (default 10)",
  },
  categories: {
    type: "array",
    max: 10,
    optional: true,
    items: { type: "string", trim: true, min: 1, max: 80 },
    description: "category names (Chinese or English) or slugs (GET /api/categories)",
  },
  // A picture the shop serves (a path) or an https URL; none: the shop draws one.
  picture: {
    type: "string",
    min: 2,
    max: 500,
    optional: true,
    nullable: true,
    custom: checkPictureUrl,
    messages: { pictureUrl: "The '{field}' field must be a path on this shop or an https URL" },
    description: "a path on this shop or an https URL; null: the picture the shop draws",
  },
} as const;

const productPatch = Object.fromEntries(
  Object.entries(productFields).map(([key, rule]) => [key, { ...rule, optional: true }]),
);

/**
 * A product's largest body: a 5,000-character description written as \uXXXX escapes is 30 KB,
 * the other fields about 2 KB more.
 */
const PRODUCT_BODY_LIMIT = 64 * 1024;

/** A product of API.md (lib/products/present.ts `ProductView`). */
export const product: OpenApiSchema = object(
  {
    id,
    name: text,
    description: text,
    price: money,
    currency,
    stock: { ...count, description: "units that can still be bought" },
    categories: {
      type: "array",
      items: text,
      description: "category names in the request's language, sorted",
    },
    picture: {
      type: "string",
      description: "a path on this shop or an https URL (the shop's drawing when none was set)",
    },
    merchantId: nullable(id),
    rating: object(
      {
        average: {
          type: "number",
          minimum: 0,
          maximum: 5,
          description: "the average of its reviews' stars, one decimal; 0 without reviews",
        },
        count: { ...count, description: "reviews" },
      },
      [],
      { title: "Rating" },
    ),
    soldCount: { ...count, description: "units of paid orders, less the refunded ones" },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  [],
  { title: "Product" },
);

/** One product as its page shows it: the list's product and its merchant's name. */
const productDetail: OpenApiSchema = {
  ...product,
  title: "ProductDetail",
  properties: {
    ...(product.properties as Record<string, OpenApiSchema>),
    merchantName: {
      type: ["string", "null"],
      description:
        "the merchant's display name (their profile name); null for the shop's own products, a merchant without a name, or when the users service does not answer",
    },
  },
  required: [...(product.required as string[]), "merchantName"],
};

const category = object(
  {
    id,
    name: { type: "string", description: "in the request's language" },
    nameEn: text,
    slug: text,
    productCount: { ...count, description: "live products in it" },
  },
  [],
  { title: "Category" },
);

export const catalogRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/products",
    action: "products.listText",
    jsonText: true,
    access: "public",
    summary: "List, filter, sort and search products",
    description:
      "A page of live products. With `q`, when no product has every word, the page lists the " +
      "products with any of them, best first, and says `relaxed: true`.",
    tag: "Catalog",
    params: listParams,
    response: {
      ...page(product, {
        relaxed: {
          type: "boolean",
          const: true,
          description: "present (true) when no product had every word: the best partial matches",
        },
      }),
      title: "ProductPage",
    },
  },
  {
    method: "GET",
    path: "/products/:id",
    action: "products.get",
    access: "public",
    summary: "One product, with its merchant's display name",
    tag: "Catalog",
    params: { ...CACHED_READ, id: productIdRule, lang: langRule },
    errors: ["NOT_FOUND"],
    response: productDetail,
  },
  {
    method: "POST",
    path: "/products",
    action: "products.create",
    access: MERCHANTS,
    status: 201,
    location: (body) => {
      const created = (body as { id?: unknown } | null)?.id;
      return created ? `/api/products/${String(created)}` : undefined;
    },
    summary: "Create a product (merchant or admin)",
    tag: "Catalog",
    params: productFields,
    bodyLimit: PRODUCT_BODY_LIMIT,
    errors: ["UNKNOWN_CATEGORY", "INVALID_CURRENCY"],
    response: product,
  },
  {
    method: "PATCH",
    path: "/products/:id",
    action: "products.update",
    access: MERCHANTS,
    summary: "Change a product (its merchant or an admin)",
    description:
      "Setting `stock` below the units held by unpaid orders is refused (409 STOCK_RESERVED).",
    tag: "Catalog",
    params: { id: productIdRule, ...productPatch },
    bodyLimit: PRODUCT_BODY_LIMIT,
    errors: [
      "NOT_FOUND",
      "NOT_PRODUCT_OWNER",
      "UNKNOWN_CATEGORY",
      "INVALID_CURRENCY",
      "STOCK_RESERVED",
    ],
    response: product,
  },
  {
    method: "DELETE",
    path: "/products/:id",
    action: "products.remove",
    access: MERCHANTS,
    status: 204,
    summary: "Delete a product (its merchant or an admin); orders keep their lines",
    tag: "Catalog",
    params: { id: productIdRule },
    errors: ["NOT_FOUND", "NOT_PRODUCT_OWNER"],
  },
  {
    method: "GET",
    path: "/categories",
    action: "products.categories",
    access: "public",
    summary: "Categories with their number of products",
    tag: "Catalog",
    params: { ...CACHED_READ, lang: langRule },
    response: { type: "array", items: category },
  },
  {
    method: "GET",
    path: "/pictures/:id.svg",
    action: "products.picture",
    access: "public",
    summary: "The picture the shop draws for a product (SVG)",
    description: "Deleted products keep theirs: old orders show them.",
    tag: "Catalog",
    params: { ...CACHED_READ, id: productIdRule },
    errors: ["NOT_FOUND"],
    produces: "image/svg+xml",
  },
];
