/**
 * Stock reservations per order (DESIGN.md, "No oversell"). Stock only changes by conditional
 * updates in one transaction per order, product rows touched in ascending id order (so two
 * orders never deadlock on each other), with a reservation row per order (unique orderId) that
 * makes reserve, release and commit idempotent and safe to retry.
 *
 *   reserve ──▶ held ──commit──▶ committed
 *                 │                  │
 *                 └──release──▶ released ◀──release (a refund returns the stock)
 *                                    ▲          ◀──restock (a return: the returned units only)
 *
 * Committing counts the order's units as sold; releasing a committed reservation takes them off
 * (lib/products/sales.ts).
 *
 * A release that finds no reservation leaves a `released` row without items: a tombstone. A
 * reserve for that order that comes later (its caller was frozen past the orders service's
 * recovery time, which gave the checkout up) hits the unique orderId and answers `released`
 * without taking stock, so a given-up checkout can never hold stock again.
 */
import { UniqueConstraintError } from "sequelize";
import { isLockError } from "../resilience/transient.ts";
import { RAW_RETRY, transaction } from "../transactions.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import type { ReservationStatus } from "./models.ts";
import { writeRows } from "../sql.ts";
import { recordSale, unsell } from "./sales.ts";
import {
  changeStock,
  findReservation,
  insertReservation,
  insertReservedItems,
  priced,
  whyNot,
  type ReservationView,
  type ReservedItem,
  type ReserveItem,
  type StockDeps,
} from "./stock-rows.ts";

export type { ReservationView, ReservedItem, ReserveItem, StockDeps };

/** The outcome of a change, with the products whose stock moved (their caches must go). */
export interface StockChange<T> {
  result: T;
  changedProductIds: string[];
}

/** Duplicate products merged, in the fixed (ascending id) order rows are locked in. */
export function mergeItems(items: readonly ReserveItem[]): ReserveItem[] {
  const merged = new Map<string, number>();
  for (const { productId, quantity } of items) {
    merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  }
  return [...merged]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => compareIds(a.productId, b.productId));
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Takes the stock of every item for the order, all or nothing, and records what was taken at
 * which price. A second call for the same order returns the first one's reservation unchanged.
 */
export async function reserve(
  deps: StockDeps,
  orderId: string,
  items: readonly ReserveItem[],
): Promise<StockChange<ReservationView>> {
  const wanted = mergeItems(items);
  try {
    return await transaction(
      deps.sequelize,
      async (tx) => {
        // No read first: a second call's insert hits the unique orderId (below), the first's wins.
        const reservationId = await insertReservation(deps, tx, orderId);
        const found = await priced(deps, wanted, tx);
        const missing = found.findIndex((item) => item === undefined);
        if (missing >= 0) throw await whyNot(deps, wanted.slice(missing), tx);
        const reserved = found as ReservedItem[];
        await insertReservedItems(deps, tx, reservationId, reserved);
        // The stock last: a product's row stays locked only from its update to the commit, so
        // buyers of one hot product queue for two round trips each, not for the whole reservation.
        for (let i = 0; i < wanted.length; i += 1) {
          const taken = await changeStock(deps.sequelize, wanted[i], -1, tx);
          if (!taken) throw await whyNot(deps, wanted.slice(i), tx);
        }
        const result: ReservationView = { orderId, status: "held", items: reserved };
        return { result, changedProductIds: wanted.map((w) => w.productId) };
      },
      RAW_RETRY,
    );
  } catch (err) {
    // A repeat (or two calls for one order at once): the insert hits the unique orderId.
    if (!(err instanceof UniqueConstraintError)) throw err;
    const existing = await findReservation(deps, orderId);
    if (!existing) throw err;
    return { result: existing, changedProductIds: [] };
  }
}

/**
 * Returns the order's stock unless already released; for an unknown order, leaves the tombstone
 * that refuses a later reserve (see the header).
 */
export function release(
  deps: StockDeps,
  orderId: string,
): Promise<StockChange<{ orderId: string; status: ReservationStatus | "none" }>> {
  return giveBack(deps, orderId);
}

/**
 * A return (issue 17): the units of `items` the order's reservation holds (held or committed) go
 * back to stock, and the reservation is over (`released`). Idempotent per order like release:
 * only the call that flips the reservation returns units, so a retried or repeated restock, or a
 * release after it, returns nothing more. Units beyond what the order reserved are not returned.
 */
export function restock(
  deps: StockDeps,
  orderId: string,
  items: readonly ReserveItem[],
): Promise<StockChange<{ orderId: string; status: ReservationStatus | "none" }>> {
  return giveBack(deps, orderId, items);
}

async function giveBack(
  deps: StockDeps,
  orderId: string,
  only?: readonly ReserveItem[],
): Promise<StockChange<{ orderId: string; status: ReservationStatus | "none" }>> {
  return transaction(
    deps.sequelize,
    async (transaction) => {
      const { StockReservation, StockReservationItem } = deps.models;
      // A locking read: a reserve committed a moment ago must be seen, not an older snapshot.
      const reservation = await StockReservation.findOne({
        where: { orderId },
        transaction,
        lock: transaction.LOCK.UPDATE,
      });
      if (!reservation) {
        // A reserve inserting its row meanwhile makes this insert fail: the whole release reruns.
        await StockReservation.create({ orderId, status: "released" }, { transaction });
        return { result: { orderId, status: "released" }, changedProductIds: [] };
      }
      // Only the call that flips the status returns the stock, however many run at once.
      const [flipped] = await StockReservation.update(
        { status: "released" },
        { where: { id: reservation.id, status: ["held", "committed"] }, transaction },
      );
      if (flipped === 0) return { result: { orderId, status: "released" }, changedProductIds: [] };
      const items = await StockReservationItem.findAll({
        where: { reservationId: reservation.id },
        transaction,
      });
      const reserved = mergeItems(
        items.map((i) => ({ productId: i.productId, quantity: i.quantity })),
      );
      const returned = only ? within(reserved, mergeItems(only)) : reserved;
      for (const item of returned) await changeStock(deps.sequelize, item, +1, transaction);
      // The units given back are no longer sold (none were for a reservation still held): all
      // of a refunded order's, only the returned ones of a return.
      await unsell(deps.sequelize, transaction, orderId, only ? returned : undefined);
      return {
        result: { orderId, status: "released" },
        changedProductIds: returned.map((i) => i.productId),
      };
    },
    // A lock (InnoDB may pick a deadlock victim on gap locks), or a reserve's insert of this
    // order's row racing the tombstone's: the whole transaction is safe to rerun.
    { retry: (err) => isLockError(err) || err instanceof UniqueConstraintError },
  );
}

/** The `wanted` units, each capped at what was reserved (products not reserved dropped). */
export function within(reserved: readonly ReserveItem[], wanted: readonly ReserveItem[]) {
  const most = new Map(reserved.map((r) => [r.productId, r.quantity]));
  return wanted
    .map((w) => ({
      productId: w.productId,
      quantity: Math.min(w.quantity, most.get(w.productId) ?? 0),
    }))
    .filter((w) => w.quantity > 0);
}

/**
 * held → committed: the stock stays gone for good, and its units count as sold (in the same
 * transaction, lib/products/sales.ts). 409 RESERVATION_RELEASED once released.
 */
export async function commit(
  deps: StockDeps,
  orderId: string,
): Promise<StockChange<{ orderId: string; status: "committed" }>> {
  const result = { orderId, status: "committed" as const };
  const changedProductIds = await transaction(
    deps.sequelize,
    async (tx) => {
      const { affectedRows } = await writeRows(
        deps.sequelize,
        "UPDATE stock_reservations SET status = 'committed', updatedAt = ? " +
          "WHERE orderId = ? AND status = 'held'",
        [new Date(), orderId],
        tx,
      );
      // Only the call that flips the status counts the sale: a replayed commit changes nothing.
      if (affectedRows === 0) return undefined;
      const reservation = await findReservation(deps, orderId, tx);
      return recordSale(deps.sequelize, tx, orderId, reservation?.items ?? []);
    },
    RAW_RETRY,
  );
  if (changedProductIds) return { result, changedProductIds };
  const reservation = await deps.models.StockReservation.findOne({ where: { orderId } });
  if (!reservation) throw new NotFoundError("Reservation", orderId);
  if (reservation.status === "released") {
    throw new ConflictError(
      "This reservation was released: its stock is no longer held",
      "RESERVATION_RELEASED",
      { orderId },
    );
  }
  return { result, changedProductIds: [] };
}

/** The order's reservation, or status "none" (for reconciliation after a crash). */
export async function getReservation(deps: StockDeps, orderId: string): Promise<ReservationView> {
  return (await findReservation(deps, orderId)) ?? { orderId, status: "none", items: [] };
}
