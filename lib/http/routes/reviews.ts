/**
 * Reviews of order lines (services/products/reviews.actions.ts): the public list of a product's
 * reviews, the buyer's review of a completed order's line, the merchant's one reply.
 */
import { pageParams } from "../../pagination.ts";
import type { RouteDef } from "../route.ts";
import { id, nullable, object, page, text, timestamp } from "../schema.ts";
import { productIdRule } from "./catalog.ts";

/** Stored as given (rendered escaped by clients): several lines, no other control character. */
export const REVIEW_TEXT_MAX = 2000;
const reviewText = {
  type: "string",
  max: REVIEW_TEXT_MAX,
  multiline: true,
  description: `at most ${REVIEW_TEXT_MAX} characters, stored as given; tab and newline allowed`,
} as const;

export const ratingRule = {
  type: "number",
  integer: true,
  min: 1,
  max: 5,
  description: "stars, 1 to 5",
  example: 5,
} as const;

const orderIdRule = {
  type: "string",
  numeric: true,
  max: 20,
  description: "an order id",
  example: "42",
} as const;

/** A review of API.md (lib/products/reviews.ts `ReviewView`). */
export const review = object(
  {
    id,
    productId: id,
    orderId: id,
    rating: { type: "integer", minimum: 1, maximum: 5 },
    text: { ...text, description: "as the buyer wrote it (may be empty)" },
    author: object({ name: { ...text, description: "the buyer's display name" } }),
    reply: nullable(
      object({ text, createdAt: timestamp }, [], { description: "the merchant's one reply" }),
    ),
    createdAt: timestamp,
  },
  [],
  { title: "Review" },
);

export const reviewRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/products/:id/reviews",
    action: "products.reviews",
    access: "public",
    summary: "A product's reviews, newest first",
    tag: "Catalog",
    params: {
      id: productIdRule,
      ...pageParams,
      rating: { ...ratingRule, convert: true, optional: true, description: "only this many stars" },
    },
    errors: ["NOT_FOUND"],
    response: { ...page(review), title: "ReviewPage" },
  },
  {
    method: "POST",
    path: "/orders/:id/reviews",
    action: "products.review",
    access: "user",
    status: 201,
    summary: "Review a line of the caller's completed order (once per line)",
    description:
      "Only the buyer, only for a product of a `completed` order, once per order and product " +
      "(409 ALREADY_REVIEWED). Another user's order is 404; an order not completed is 409 " +
      "ORDER_NOT_COMPLETED.",
    tag: "Orders",
    params: {
      id: orderIdRule,
      productId: { ...productIdRule, numeric: true, max: 20 },
      rating: ratingRule,
      text: { ...reviewText, optional: true },
    },
    bodyLimit: 32 * 1024,
    errors: ["NOT_FOUND", "ORDER_NOT_COMPLETED", "ALREADY_REVIEWED"],
    response: review,
  },
  {
    method: "POST",
    path: "/products/:id/reviews/:reviewId/reply",
    action: "products.replyToReview",
    access: ["merchant", "admin"],
    summary: "The product's merchant (or an admin) answers a review, once",
    description:
      "Another merchant's product is 403 NOT_PRODUCT_OWNER; a second reply is 409 ALREADY_REPLIED.",
    tag: "Catalog",
    params: {
      id: productIdRule,
      reviewId: { ...orderIdRule, description: "a review id", example: "7" },
      text: { ...reviewText, min: 1 },
    },
    bodyLimit: 32 * 1024,
    errors: ["NOT_FOUND", "NOT_PRODUCT_OWNER", "ALREADY_REPLIED"],
    response: review,
  },
];
