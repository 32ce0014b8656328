/**
 * The stock reconciler, run by every orders node: a reservation still `held` whose order is over
 * without a sale (failed, cancelled, refunded) is released. The release outbox and the tombstone
 * (lib/products/stock.ts) already stop such leaks; this catches whatever slips past them (a
 * message set aside as undeliverable, a bug) so that stock never stays held for nobody.
 * Idempotent: products.release of a released reservation is a no-op, so nodes may race.
 */
import { deliverSoon, type OrdersDeps } from "./deps.ts";
import { TOPICS } from "./topics.ts";
import { RETRY, transaction } from "../../lib/transactions.ts";
import { OVER_WITHOUT_SALE } from "../../lib/orders/state.ts";

const BATCH = 200;

/** Queues the release of every held reservation of an order that is over; returns how many. */
export async function reconcileHeldStock(deps: OrdersDeps): Promise<number> {
  // Only reservations older than a checkout may take: younger ones belong to running checkouts.
  const before = new Date(Date.now() - deps.settings.recoveryMs);
  const orderIds = await deps.broker.call<string[], object>(
    "products.heldReservations",
    { before, limit: BATCH },
    { timeout: deps.settings.callTimeoutMs },
  );
  if (orderIds.length === 0) return 0;
  const orders = await deps.models.Order.findAll({
    attributes: ["id", "status"],
    where: { id: orderIds.filter((id) => /^\d{1,20}$/.test(id)) },
  });
  const over = orders.filter((o) => OVER_WITHOUT_SALE.includes(o.status)).map((o) => String(o.id));
  if (over.length === 0) return 0;
  deps.logger.warn(`Releasing the stock still held for ${over.length} closed orders`, over);
  const messages = await transaction(
    deps.sequelize,
    async (t) => {
      const queued = [];
      for (const orderId of over) {
        queued.push(await deps.outbox.addOwned(t, TOPICS.releaseStock, { orderId }));
      }
      return queued;
    },
    RETRY,
  );
  await deliverSoon(deps, messages);
  return over.length;
}
