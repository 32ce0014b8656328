/**
 * Reviews of order lines and the rating they give their product. A review and the product's
 * counters (ratingSum, ratingCount, ratingScore) change in one transaction, so the average stays
 * right however many reviews arrive at once; the unique (orderId, productId) index makes a line
 * reviewable once, concurrent duplicates included (409 ALREADY_REVIEWED). Whether the caller may
 * review the line (bought it, order completed) is the orders service's to say, before this runs.
 */
import { UniqueConstraintError } from "sequelize";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.ts";
import { iso } from "../model-helpers.ts";
import { pageWindow, toPage, type Page, type PageRequest } from "../pagination.ts";
import { insertRow, lockingRead, selectRows, writeRows, type Tx } from "../sql.ts";
import { RAW_RETRY, transaction } from "../transactions.ts";
import { isProductId, type CatalogDeps } from "./catalog.ts";
import type { Actor } from "./merchant.ts";
import { ratingScore } from "./rating.ts";

/** A review of API.md. */
export interface ReviewView {
  id: string;
  productId: string;
  orderId: string;
  rating: number;
  text: string;
  author: { name: string };
  reply: null | { text: string; createdAt: string };
  createdAt: string;
}

export interface NewReview {
  productId: string;
  orderId: string;
  userId: string;
  authorName: string;
  rating: number;
  text: string;
}

interface ReviewRow {
  id: unknown;
  productId: unknown;
  orderId: unknown;
  authorName: string;
  rating: unknown;
  text: string;
  replyText: string | null;
  repliedAt: Date | string | null;
  createdAt: Date | string;
}

const COLUMNS = "id, productId, orderId, authorName, rating, text, replyText, repliedAt, createdAt";

function reviewView(r: ReviewRow): ReviewView {
  return {
    id: String(r.id),
    productId: String(r.productId),
    orderId: String(r.orderId),
    rating: Number(r.rating),
    text: r.text,
    author: { name: r.authorName },
    reply: r.replyText === null ? null : { text: r.replyText, createdAt: iso(r.repliedAt)! },
    createdAt: iso(r.createdAt)!,
  };
}

/** Stores the review and adds its rating to the product's; 409 ALREADY_REVIEWED for a line twice. */
export async function addReview(deps: CatalogDeps, review: NewReview): Promise<ReviewView> {
  const { sequelize } = deps;
  try {
    return await transaction(
      sequelize,
      async (tx) => {
        const now = new Date();
        const id = await insertRow(
          sequelize,
          "INSERT INTO product_reviews (productId, orderId, userId, authorName, rating, text, " +
            "createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          [
            review.productId,
            review.orderId,
            review.userId,
            review.authorName,
            review.rating,
            review.text,
            now,
            now,
          ],
          tx,
        );
        await addRating(deps, tx, review.productId, review.rating);
        const [row] = await selectRows<ReviewRow>(
          sequelize,
          `SELECT ${COLUMNS} FROM product_reviews WHERE orderId = ? AND productId = ?`,
          [review.orderId, review.productId],
          tx,
        );
        if (!row) throw new NotFoundError("Review", id);
        return reviewView(row);
      },
      RAW_RETRY,
    );
  } catch (err) {
    if (!(err instanceof UniqueConstraintError)) throw err;
    throw new ConflictError("This order line has been reviewed already", "ALREADY_REVIEWED", {
      orderId: review.orderId,
      productId: review.productId,
    });
  }
}

/** One more rating on the product's counters (its row is locked by the first update). */
async function addRating(deps: CatalogDeps, tx: Tx, productId: string, rating: number) {
  const { sequelize } = deps;
  const { affectedRows } = await writeRows(
    sequelize,
    "UPDATE products SET ratingSum = ratingSum + ?, ratingCount = ratingCount + 1 WHERE id = ?",
    [rating, productId],
    tx,
  );
  if (affectedRows === 0) throw new NotFoundError("Product", productId);
  const [counters] = await selectRows<{ ratingSum: unknown; ratingCount: unknown }>(
    sequelize,
    "SELECT ratingSum, ratingCount FROM products WHERE id = ?",
    [productId],
    tx,
  );
  await writeRows(
    sequelize,
    "UPDATE products SET ratingScore = ? WHERE id = ?",
    [ratingScore(Number(counters.ratingSum), Number(counters.ratingCount)), productId],
    tx,
  );
}

export interface ReviewQuery extends PageRequest {
  rating?: number;
}

/** A live product's reviews, newest first, of one rating when asked; 404 for no such product. */
export async function listReviews(
  deps: CatalogDeps,
  productId: string,
  query: ReviewQuery,
): Promise<Page<ReviewView>> {
  const { sequelize } = deps;
  const { page, pageSize, limit, offset } = pageWindow(query);
  await liveProduct(deps, productId);
  const where = query.rating === undefined ? "productId = ?" : "productId = ? AND rating = ?";
  const values = query.rating === undefined ? [productId] : [productId, query.rating];
  const [rows, [counted]] = await Promise.all([
    selectRows<ReviewRow>(
      sequelize,
      `SELECT ${COLUMNS} FROM product_reviews WHERE ${where} ORDER BY id DESC LIMIT ? OFFSET ?`,
      [...values, limit, offset],
    ),
    selectRows<{ total: unknown }>(
      sequelize,
      `SELECT COUNT(*) AS total FROM product_reviews WHERE ${where}`,
      values,
    ),
  ]);
  return toPage(rows.map(reviewView), Number(counted?.total ?? 0), page, pageSize);
}

/**
 * The merchant's (or an admin's) one reply to a review of its product: 404 when the review is not
 * the product's, 403 NOT_PRODUCT_OWNER for another merchant, 409 ALREADY_REPLIED the second time.
 */
export async function replyToReview(
  deps: CatalogDeps,
  actor: Actor,
  productId: string,
  reviewId: string,
  text: string,
): Promise<ReviewView> {
  const { sequelize } = deps;
  const merchantId = await liveProduct(deps, productId);
  if (actor.role !== "admin" && merchantId !== actor.id) {
    throw new ForbiddenError("Only the product's merchant replies", "NOT_PRODUCT_OWNER", {
      productId,
    });
  }
  if (!isProductId(reviewId)) throw new NotFoundError("Review", reviewId);
  return transaction(
    sequelize,
    async (tx) => {
      const [row] = await selectRows<ReviewRow>(
        sequelize,
        `SELECT ${COLUMNS} FROM product_reviews WHERE id = ? AND productId = ?` +
          lockingRead(sequelize, "update"),
        [reviewId, productId],
        tx,
      );
      if (!row) throw new NotFoundError("Review", reviewId);
      const now = new Date();
      // Conditional: of two replies at once, one finds the reply already there.
      const { affectedRows } = await writeRows(
        sequelize,
        "UPDATE product_reviews SET replyText = ?, replyBy = ?, repliedAt = ?, updatedAt = ? " +
          "WHERE id = ? AND replyText IS NULL",
        [text, actor.id, now, now, reviewId],
        tx,
      );
      if (affectedRows === 0) {
        throw new ConflictError("This review has a reply already", "ALREADY_REPLIED", { reviewId });
      }
      return reviewView({ ...row, replyText: text, repliedAt: now });
    },
    RAW_RETRY,
  );
}

/** A live product's merchant id (null: the shop's own); 404 when unknown or deleted. */
async function liveProduct(deps: CatalogDeps, productId: string): Promise<string | null> {
  if (!isProductId(productId)) throw new NotFoundError("Product", productId);
  const [row] = await selectRows<{ merchantId: unknown }>(
    deps.sequelize,
    "SELECT merchantId FROM products WHERE id = ? AND deletedAt IS NULL",
    [productId],
  );
  if (!row) throw new NotFoundError("Product", productId);
  return row.merchantId === null ? null : String(row.merchantId);
}
