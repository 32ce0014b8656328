/** The caller's account beyond the profile: the address book and the favourites. */
import type { ErrorType } from "../../errors.ts";
import { pageParams } from "../../pagination.ts";
import { MAX_ADDRESSES, MAX_FAVORITES } from "../../users/limits.ts";
import type { RouteDef } from "../route.ts";
import { productIdRule } from "./cart.ts";
import { addressRule } from "./orders.ts";
import { count, currency, id, money, nullable, object, page, text } from "../schema.ts";

/** An entry of the address book (path). */
export const addressIdRule = { type: "string", pattern: /^[1-9]\d{0,18}$/ } as const;

const isDefaultRule = {
  type: "boolean",
  optional: true,
  description: "make it the default (the old default stops being it)",
} as const;

/** Every address field, optional (a PATCH). */
const addressPatch = Object.fromEntries(
  Object.entries(addressRule.props).map(([key, rule]) => [key, { ...rule, optional: true }]),
);

const ADDRESS_ERRORS: readonly ErrorType[] = [
  "INVALID_PHONE",
  "INVALID_COUNTRY",
  "ADDRESS_INCOMPLETE",
  "ACCOUNT_DELETED",
];

/** lib/users/addresses.ts `entryOf`: the address and its id and default flag. */
const savedAddress = object(
  {
    id,
    isDefault: { type: "boolean", description: "one entry of a non-empty book is the default" },
    name: { ...text, description: "the recipient" },
    phone: text,
    province: text,
    city: text,
    district: text,
    line1: text,
    line2: text,
    state: text,
    country: { type: "string", pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2" },
    postalCode: text,
  },
  ["province", "district", "line2", "state", "postalCode"],
);

/** A favourite: the product as the cart shows it (lib/products/present.ts `ProductSummary`). */
const favorite = object({
  id,
  name: text,
  price: money,
  currency,
  stock: { ...count, description: "units that can still be bought" },
  picture: { type: "string", description: "a path on this shop or an https URL" },
  merchantId: nullable(id),
});

export const accountRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/users/me/addresses",
    action: "users.addresses",
    access: "user",
    summary: "The caller's address book, the default first",
    description: `At most ${MAX_ADDRESSES} entries; the rest newest first.`,
    tag: "Identity",
    params: {},
    response: { type: "array", maxItems: MAX_ADDRESSES, items: savedAddress },
  },
  {
    method: "POST",
    path: "/users/me/addresses",
    action: "users.addAddress",
    access: "user",
    status: 201,
    summary: "Save an address; the first one is the default",
    description:
      "The checkout's address rules apply (422 INVALID_PHONE, ADDRESS_INCOMPLETE, " +
      `INVALID_COUNTRY, with the field in \`data\`). A book holds ${MAX_ADDRESSES} at most ` +
      "(422 ADDRESS_BOOK_FULL).",
    tag: "Identity",
    params: { ...addressRule.props, isDefault: isDefaultRule },
    errors: [...ADDRESS_ERRORS, "ADDRESS_BOOK_FULL"],
    response: savedAddress,
  },
  {
    method: "PATCH",
    path: "/users/me/addresses/:id",
    action: "users.updateAddress",
    access: "user",
    summary: "Change a saved address, or make it the default",
    description:
      "Any address field (an optional part sent empty is removed; the result is checked as a " +
      "whole) and `isDefault`. `isDefault: false` on the default makes the most recent other " +
      "entry the default (the only entry stays it). Another user's entry → 404.",
    tag: "Identity",
    params: { id: addressIdRule, ...addressPatch, isDefault: isDefaultRule },
    errors: [...ADDRESS_ERRORS, "NOT_FOUND"],
    response: savedAddress,
  },
  {
    method: "DELETE",
    path: "/users/me/addresses/:id",
    action: "users.removeAddress",
    access: "user",
    status: 204,
    summary: "Remove a saved address",
    description:
      "Removing the default makes the most recent remaining entry the default. Another user's " +
      "entry → 404.",
    tag: "Identity",
    params: { id: addressIdRule },
    errors: ["NOT_FOUND", "ACCOUNT_DELETED"],
  },
  {
    method: "GET",
    path: "/users/me/favorites",
    action: "users.favorites",
    access: "user",
    summary: "The caller's favourite products, the most recently added first",
    description: "Products deleted since drop out of the list.",
    tag: "Identity",
    params: { ...pageParams },
    response: page(favorite),
  },
  {
    method: "PUT",
    path: "/users/me/favorites/:productId",
    action: "users.addFavorite",
    access: "user",
    status: 204,
    summary: "Add a product to the favourites (idempotent)",
    description: `Unknown or deleted product → 404; at most ${MAX_FAVORITES} (422 FAVORITES_FULL).`,
    tag: "Identity",
    params: { productId: productIdRule },
    errors: ["NOT_FOUND", "FAVORITES_FULL", "ACCOUNT_DELETED"],
  },
  {
    method: "DELETE",
    path: "/users/me/favorites/:productId",
    action: "users.removeFavorite",
    access: "user",
    status: 204,
    summary: "Remove a product from the favourites (idempotent)",
    tag: "Identity",
    params: { productId: productIdRule },
  },
];
