/**
 * A cart is checked out once (docs/orders.md, "A cart is checked out once"). A checkout claims
 * the lines it read for its order (carts.claim) before it takes stock or money: the claim is
 * refused when another checkout of the cart is in flight (409 CART_CHANGED), when the lines
 * differ from what the checkout read (409 CART_CHANGED: they were bought or changed meanwhile),
 * or when the cart is empty (422 CART_EMPTY). The claim ends `consumed` when the ordered lines
 * leave the cart (removeOrdered, after the order is placed), or `released` when the order failed:
 * then the cart can be checked out again. A release that comes before its claim (a frozen node)
 * leaves the `released` row as a tombstone, and the late claim is refused.
 *
 * Every change here locks the cart's head row first (lib/carts/head.ts), so claims, releases and
 * new lines of one cart run one at a time, always taking their locks in the same order.
 */
import type { Sequelize } from "sequelize";
import { ConflictError, UnprocessableError } from "../errors.ts";
import { selectRows, writeRows, type Tx } from "../sql.ts";
import { RAW_RETRY, transaction } from "../transactions.ts";
import { lockCart } from "./head.ts";

/** One line of a cart: a product and how many (lines.ts keeps them, a checkout claims them). */
export interface CartLine {
  productId: string;
  quantity: number;
}

export type ClaimStatus = "claimed" | "consumed" | "released";

/** Claims `lines` of the user's cart for the order; idempotent per order. */
export async function claimCart(
  sequelize: Sequelize,
  userId: string,
  orderId: string,
  lines: readonly CartLine[],
): Promise<{ orderId: string; status: ClaimStatus }> {
  return transaction(
    sequelize,
    async (tx) => {
      await lockCart(sequelize, tx, userId);
      const existing = await claimOf(sequelize, tx, orderId);
      // A repeat of this order's claim (a retry), or a claim its checkout was given up on.
      if (existing) return { orderId, status: existing.status };
      const [other] = await selectRows<{ orderId: string }>(
        sequelize,
        "SELECT orderId FROM cart_claims WHERE userId = ? AND status = 'claimed' LIMIT 1",
        [userId],
        tx,
      );
      if (other) throw cartChanged("Another checkout of this cart is in progress");
      const current = await selectRows<{ productId: unknown; quantity: unknown }>(
        sequelize,
        "SELECT productId, quantity FROM cart_items WHERE userId = ?",
        [userId],
        tx,
      );
      if (current.length === 0) throw new UnprocessableError("Your cart is empty", "CART_EMPTY");
      const held = new Map(current.map((l) => [String(l.productId), Number(l.quantity)]));
      const changed = lines.filter((l) => held.get(l.productId) !== l.quantity);
      if (changed.length > 0 || lines.length === 0) {
        throw cartChanged(
          "Your cart changed (or was checked out) while this checkout ran; review it and try again",
          changed.map((l) => ({ productId: l.productId, quantity: held.get(l.productId) ?? 0 })),
        );
      }
      await insertClaim(sequelize, tx, orderId, userId, "claimed", lines);
      return { orderId, status: "claimed" as const };
    },
    RAW_RETRY,
  );
}

/** The order failed: its claim ends and the cart can be checked out again; idempotent. */
export async function releaseClaim(
  sequelize: Sequelize,
  userId: string,
  orderId: string,
): Promise<{ orderId: string; status: ClaimStatus }> {
  return transaction(
    sequelize,
    async (tx) => {
      await lockCart(sequelize, tx, userId);
      const existing = await claimOf(sequelize, tx, orderId);
      if (!existing) {
        // Before its claim: the tombstone that refuses the claim if it still comes.
        await insertClaim(sequelize, tx, orderId, userId, "released", []);
        return { orderId, status: "released" as const };
      }
      if (existing.status === "claimed") await setStatus(sequelize, tx, orderId, "released");
      return { orderId, status: existing.status === "claimed" ? "released" : existing.status };
    },
    RAW_RETRY,
  );
}

/** The ordered lines left the cart: the order's claim is over (in removeOrdered's transaction). */
export async function consumeClaim(sequelize: Sequelize, tx: Tx, orderId: string): Promise<void> {
  await writeRows(
    sequelize,
    "UPDATE cart_claims SET status = 'consumed', updatedAt = ? WHERE orderId = ? AND status = 'claimed'",
    [new Date(), orderId],
    tx,
  );
}

async function claimOf(sequelize: Sequelize, tx: Tx, orderId: string) {
  const [row] = await selectRows<{ status: ClaimStatus }>(
    sequelize,
    "SELECT status FROM cart_claims WHERE orderId = ?",
    [orderId],
    tx,
  );
  return row;
}

async function insertClaim(
  sequelize: Sequelize,
  tx: Tx,
  orderId: string,
  userId: string,
  status: ClaimStatus,
  lines: readonly CartLine[],
): Promise<void> {
  const now = new Date();
  await writeRows(
    sequelize,
    "INSERT INTO cart_claims (orderId, userId, status, claimedLines, createdAt, updatedAt) " +
      "VALUES (?, ?, ?, ?, ?, ?)",
    [orderId, userId, status, JSON.stringify(lines), now, now],
    tx,
  );
}

async function setStatus(sequelize: Sequelize, tx: Tx, orderId: string, status: ClaimStatus) {
  await writeRows(
    sequelize,
    "UPDATE cart_claims SET status = ?, updatedAt = ? WHERE orderId = ?",
    [status, new Date(), orderId],
    tx,
  );
}

function cartChanged(message: string, data?: unknown): ConflictError {
  return new ConflictError(message, "CART_CHANGED", data);
}
