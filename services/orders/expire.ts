/**
 * The expiry sweeper, run every second by every orders node. Each expired pending order is
 * cancelled by a conditional update; only the node whose update wins queues the stock release
 * (in the same transaction), so several nodes never release twice, and a node that dies after
 * winning leaves the release in the outbox for the others.
 */
import type { OutboxMessage } from "../../lib/outbox/outbox.ts";
import { Op } from "sequelize";
import { deliverSoon, type OrdersDeps } from "./deps.ts";
import { cancelPending } from "./manage.ts";

const BATCH = 100;

export async function expireDueOrders(deps: OrdersDeps): Promise<number> {
  const now = new Date();
  const due = await deps.models.Order.findAll({
    where: {
      status: "pending",
      expiresAt: { [Op.lte]: now },
      [Op.or]: [{ payingUntil: null }, { payingUntil: { [Op.lte]: now } }],
    },
    order: [["expiresAt", "ASC"]],
    limit: BATCH,
  });
  let cancelled = 0;
  const releases: OutboxMessage[] = [];
  for (const order of due) {
    const ids = await cancelPending(deps, order, "expired");
    if (!ids) continue;
    cancelled++;
    releases.push(...ids);
    deps.broker.emit("order.cancelled", { orderId: order.id, reason: "expired" });
  }
  await deliverSoon(deps, releases);
  return cancelled;
}
