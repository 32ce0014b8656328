import type { OpenApiSchema, RouteDef } from "../route.ts";

const MERCHANTS = ["merchant", "admin"] as const;

export const product: OpenApiSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    description: { type: "string" },
    price: { type: "integer", description: "minor units (fen)" },
    currency: { type: "string", example: "CNY" },
    stock: { type: "integer" },
    categories: { type: "array", items: { type: "string" } },
    picture: { type: "string", description: "a path on this shop or an https URL" },
    merchantId: { type: ["string", "null"] },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
};

/**
 * A product's largest body: a 5,000-character description written as \uXXXX escapes is 30 KB,
 * the other fields about 2 KB more.
 */
const PRODUCT_BODY_LIMIT = 64 * 1024;

/** `?lang`: the language of category names; without it Accept-Language's, else Chinese. */
const LANG: OpenApiSchema = {
  type: "string",
  enum: ["zh", "en"],
  description: "the language of category names; default: Accept-Language, else zh",
};

const productFields: Record<string, OpenApiSchema> = {
  name: { type: "string", minLength: 1, maxLength: 200 },
  description: { type: "string", maxLength: 5000 },
  price: { type: "integer", minimum: 0, description: "minor units (fen)" },
  currency: { type: "string", pattern: "^[A-Z]{3}$", default: "CNY" },
  stock: { type: "integer", minimum: 0 },
  categories: {
    type: "array",
    maxItems: 10,
    items: { type: "string" },
    description: "category names or slugs (GET /api/categories)",
  },
  picture: { type: ["string", "null"], description: "a path on this shop or an https URL" },
};

export const catalogRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/products",
    action: "products.listText",
    jsonText: true,
    access: "public",
    summary: "List, filter, sort and search products",
    tag: "Catalog",
    query: {
      page: { type: "integer", minimum: 1, default: 1 },
      pageSize: { type: "integer", minimum: 1, maximum: 100, default: 20 },
      q: {
        type: "string",
        maxLength: 200,
        description:
          "words of the name or description, Chinese or English (Latin words match as prefixes)",
      },
      category: { type: "string", description: "a category slug or id" },
      minPrice: { type: "integer", minimum: 0 },
      maxPrice: { type: "integer", minimum: 0 },
      merchantId: { type: "string", description: "only this merchant's products" },
      lang: LANG,
      sort: {
        type: "string",
        enum: ["newest", "price", "-price", "relevance"],
        description: "default: relevance with q, else newest",
      },
    },
    response: {
      type: "object",
      properties: {
        rows: { type: "array", items: product },
        total: { type: "integer" },
        page: { type: "integer" },
        pageSize: { type: "integer" },
        totalPages: { type: "integer" },
        relaxed: {
          type: "boolean",
          description: "present (true) when no product had every word: the best partial matches",
        },
      },
    },
  },
  {
    method: "GET",
    path: "/products/:id",
    action: "products.get",
    access: "public",
    summary: "One product, with its merchant's display name",
    tag: "Catalog",
    query: { lang: LANG },
    response: {
      type: "object",
      properties: {
        ...(product.properties as Record<string, OpenApiSchema>),
        merchantName: {
          type: ["string", "null"],
          description:
            "the merchant's display name (their profile name); null for the shop's own products, a merchant without a name, or when the users service does not answer",
        },
      },
    },
  },
  {
    method: "POST",
    path: "/products",
    action: "products.create",
    access: MERCHANTS,
    status: 201,
    location: (body) => (body?.id ? `/api/products/${body.id}` : undefined),
    summary: "Create a product (merchant or admin)",
    tag: "Catalog",
    body: productFields,
    bodyLimit: PRODUCT_BODY_LIMIT,
    requiredBody: ["name", "description", "price", "stock"],
    response: product,
  },
  {
    method: "PATCH",
    path: "/products/:id",
    action: "products.update",
    access: MERCHANTS,
    summary: "Change a product (its merchant or an admin)",
    tag: "Catalog",
    body: productFields,
    bodyLimit: PRODUCT_BODY_LIMIT,
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
  },
  {
    method: "GET",
    path: "/categories",
    action: "products.categories",
    access: "public",
    summary: "Categories with their number of products",
    tag: "Catalog",
    query: { lang: LANG },
    response: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          name: { type: "string", description: "in the request's language" },
          nameEn: { type: "string" },
          slug: { type: "string" },
          productCount: { type: "integer" },
        },
      },
    },
  },
  {
    method: "GET",
    path: "/pictures/:id.svg",
    action: "products.picture",
    access: "public",
    summary: "The picture the shop draws for a product (SVG)",
    tag: "Catalog",
    response: { type: "string", contentMediaType: "image/svg+xml" },
  },
];
