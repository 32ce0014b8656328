/**
 * POST /api/checkout: cart → order at current catalog prices, stock reserved all or nothing.
 *
 *   1. write the order `reserving` with a reminder in the outbox (a crash from here on leaves a
 *      trace that another node finishes: the reminder fails the order and releases its stock),
 *      unless the buyer has MAX_PENDING_ORDERS pending orders (a shortcut; step 3 decides);
 *   1b. carts.claim: a cart is checked out once (claim-cart.ts);
 *   2. products.reserve (idempotent per order id);
 *   3. mark it `pending` with the reserved prices (with a card: leased to this payment attempt),
 *      and queue the cart's clearing, atomically, under the buyer's lock unless the buyer has
 *      MAX_PENDING_ORDERS pending orders by then;
 *   4. with a card, pay (pay.ts).
 * Every step resumes: a retry with the same Idempotency-Key finds the order by its key.
 */
import { UniqueConstraintError } from "sequelize";
import { autocommit, RAW_RETRY, transaction } from "../../lib/transactions.ts";
import { UnavailableError, UnprocessableError } from "../../lib/errors.ts";
import {
  assertStockShown,
  assertTotalAllowed,
  linesFromCart,
  priceLines,
  type CartSnapshot,
  type OrderLine,
  type ReservedItem,
} from "../../lib/orders/cart.ts";
import { attemptIdOf } from "../../lib/orders/idempotency.ts";
import type { Address, Order } from "../../lib/orders/models.ts";
import {
  applyTransition,
  insertOrder,
  lockedPendingOrders,
  pendingOrders,
  orderIdByCheckoutKey,
  repriceLine,
} from "../../lib/orders/order-rows.ts";
import { orderTotal } from "../../lib/orders/money.ts";
import type { OrderView } from "../../lib/orders/view.ts";
import type { CardInput } from "../../lib/payments/card.ts";
import {
  deliverSoon,
  requireIdempotencyKey,
  requireUser,
  viewOf,
  type Ctx,
  type OrdersDeps,
} from "./deps.ts";
import { isClientError } from "../../lib/resilience/transient.ts";
import { asCheckoutError, failCheckout, interrupted, tooManyPending } from "./checkout-failures.ts";
import { claimCart } from "./claim-cart.ts";
import { idempotently, refuseIdempotently } from "./idempotent.ts";
import { assertCard, payOrder } from "./pay.ts";
import { TOPICS } from "./topics.ts";

export interface CheckoutParams {
  address: Address;
  email?: string;
  card?: CardInput;
}

const ROUTE = "POST /checkout";
const HELD_ALL = { stock: true, cart: true };
const UNLESS_ORDER = { unlessOrder: true };

export async function checkout(
  deps: OrdersDeps,
  ctx: Ctx<CheckoutParams>,
  /** The body as sent (an Idempotency-Key's retry must send the same). */
  request: Record<string, unknown> = { ...ctx.params },
): Promise<OrderView> {
  const user = requireUser(ctx);
  requireIdempotencyKey(ctx);
  const { card } = ctx.params;
  // The cart is read before the key is taken, so that a checkout refused before it writes
  // anything (a bad card, an empty or sold-out cart: most buyers of a flash sale) stores its
  // answer in one statement instead of three; unless an earlier run of this key left an order
  // (its cart is gone since), which is resumed instead.
  const cart = await readCart(deps, ctx);
  const refusal = refusalOf(cart, card);
  if (refusal && (await refuseIdempotently(deps, ctx, ROUTE, request, refusal, UNLESS_ORDER))) {
    throw refusal;
  }
  return idempotently(deps, ctx, ROUTE, request, 201, async (scope) => {
    if (card) assertCard(card);
    let order = await resumable(deps, scope);
    let placed: Placed | undefined;
    if (!order) ({ order, ...placed } = await placeOrder(deps, ctx, user.id, scope, cart));
    let lines: readonly OrderLine[] | undefined;
    let leasedUntil: Date | undefined;
    // With a card, the payment lease is taken with the step to `pending` (one commit fewer).
    const attemptId = attemptIdOf(scope, order.id);
    if (order.status === "reserving") {
      const written = placed?.lines ?? (await linesOf(deps, order.id));
      await claimCart(deps, ctx, order, written, placed?.reminderId);
      ({ order, lines } = await reserveStock(deps, ctx, order, written, placed, card && attemptId));
      if (card) leasedUntil = order.payingUntil ?? undefined;
    }
    if (card && !["paid", "shipped", "completed"].includes(order.status)) {
      order = await payOrder(deps, ctx, order, card, attemptId, leasedUntil);
    }
    return viewOf(deps, order, lines);
  });
}

/** The order an earlier run of this checkout left, unless it failed (then the key starts over). */
async function resumable(deps: OrdersDeps, scope: string): Promise<Order | null> {
  // Almost always none: one indexed lookup on the driver before anything heavier.
  const id = await orderIdByCheckoutKey(deps.sequelize, scope);
  const order = id ? await deps.models.Order.findByPk(id) : null;
  if (order?.status !== "failed") return order;
  await autocommit(deps.sequelize, (t) =>
    deps.models.Order.update(
      { checkoutKey: null },
      { where: { id: order.id, status: "failed" }, transaction: t },
    ),
  );
  return null;
}

/** What step 1 wrote, for the steps after it (undefined when the order is an earlier run's). */
interface Placed {
  lines?: OrderLine[];
  reminderId?: string;
  /** When the cart was read: lines changed after it are not the order's and stay in the cart. */
  cartReadAt?: Date;
}

/** The user's cart, with when it was read (lines changed after that are not the order's). */
interface ReadCart {
  snapshot: CartSnapshot;
  readAt: Date;
}

async function readCart(deps: OrdersDeps, ctx: Ctx): Promise<ReadCart> {
  const readAt = new Date();
  const snapshot = await ctx.call<CartSnapshot, object>(
    "carts.get",
    {},
    { timeout: deps.settings.callTimeoutMs },
  );
  return { snapshot, readAt };
}

/** Why this checkout would be refused before it writes anything, if it would. */
function refusalOf(cart: ReadCart, card: CardInput | undefined): unknown {
  try {
    if (card) assertCard(card);
    assertStockShown(cart.snapshot, linesFromCart(cart.snapshot));
    return undefined;
  } catch (err) {
    return err;
  }
}

/** Step 1: the order as `reserving`, its lines at the cart's prices, and the crash reminder. */
async function placeOrder(
  deps: OrdersDeps,
  ctx: Ctx<CheckoutParams>,
  userId: string,
  scope: string,
  { snapshot: cart, readAt: cartReadAt }: ReadCart,
): Promise<Placed & { order: Order }> {
  const lines = linesFromCart(cart);
  assertStockShown(cart, lines);
  const { Order: Orders } = deps.models;
  if ((await pendingOrders(deps.sequelize, userId)) >= deps.settings.maxPendingOrders) {
    throw tooManyPending(deps);
  }
  const placed = transaction(
    deps.sequelize,
    async (t) => {
      const fields = {
        userId,
        currency: lines[0].currency,
        total: orderTotal(lines),
        address: ctx.params.address,
        email: ctx.params.email ?? null,
        checkoutKey: scope,
        expiresAt: new Date(Date.now() + deps.settings.paymentTtlMs),
      };
      const order = await insertOrder(deps.sequelize, Orders, t, fields, lines);
      const reminderId = await deps.outbox.add(
        t,
        TOPICS.checkoutReminder,
        { orderId: order.id },
        deps.settings.recoveryMs,
      );
      return { order, lines, reminderId, cartReadAt };
    },
    RAW_RETRY,
  );
  try {
    return await placed;
  } catch (err) {
    // A run that took this key over from a slow (not dead) one: the first run's order wins.
    if (!(err instanceof UniqueConstraintError)) throw err;
    const order = await Orders.findOne({ where: { checkoutKey: scope } });
    if (!order) throw err;
    return { order };
  }
}

/**
 * Steps 2 and 3: hold the stock, then make the order `pending` at the reserved prices (and,
 * given a payment attempt, leased to it). Returns the order as written and its priced lines.
 */
async function reserveStock(
  deps: OrdersDeps,
  ctx: Ctx,
  order: Order,
  written: readonly OrderLine[],
  placed: Placed | undefined,
  attemptId: string | undefined,
): Promise<{ order: Order; lines: OrderLine[] }> {
  const reminderId = placed?.reminderId;
  const ordered = written.map((l) => ({ productId: l.productId, quantity: l.quantity }));
  let reservation: { status: string; items: ReservedItem[] };
  try {
    reservation = await ctx.call(
      "products.reserve",
      { orderId: order.id, items: ordered },
      { timeout: deps.settings.callTimeoutMs },
    );
  } catch (err) {
    // A refusal reserved nothing; after any other failure the stock may be held: release it.
    const refused = isClientError(err);
    await failCheckout(deps, order, reminderId, { stock: !refused, cart: true });
    if (refused) throw asCheckoutError(err);
    throw new UnavailableError(
      "Stock could not be reserved; try again shortly",
      "STOCK_UNAVAILABLE",
    );
  }
  if (reservation.status !== "held") {
    // Released meanwhile: the crash reminder gave up on this checkout. A retry starts afresh.
    await failCheckout(deps, order, reminderId, HELD_ALL);
    throw interrupted();
  }
  const priced = priceLines(written, reservation.items);
  if (!priced) {
    await failCheckout(deps, order, reminderId, HELD_ALL);
    throw new UnprocessableError(
      "The reserved items do not match the cart (mixed currencies or a changed cart)",
      "CHECKOUT_MISMATCH",
    );
  }
  try {
    // The reserved prices may be higher than the cart's.
    assertTotalAllowed(priced.total);
  } catch (err) {
    await failCheckout(deps, order, reminderId, HELD_ALL);
    throw err;
  }
  const now = new Date();
  const pendingColumns = {
    total: priced.total,
    currency: priced.currency,
    expiresAt: new Date(now.getTime() + deps.settings.paymentTtlMs),
    ...(attemptId
      ? {
          payingAttempt: attemptId,
          payingUntil: new Date(now.getTime() + deps.settings.recoveryMs),
        }
      : {}),
  };
  const outcome = await transaction(
    deps.sequelize,
    async (t) => {
      const pending = await lockedPendingOrders(deps.sequelize, t, order.userId);
      if (pending >= deps.settings.maxPendingOrders) return { messages: [], full: true };
      const moved = await applyTransition(deps.sequelize, t, order.id, "reserved", {
        set: pendingColumns,
        now,
        broker: deps.broker,
      });
      if (!moved) {
        // No longer `reserving`: either the crash reminder failed it (that transaction queued the
        // release, which comes after this reserve: a release before it would have left a
        // tombstone) or another run of this key, which took the key over, made it `pending` (its
        // stock must stay). Either way there is nothing to release here.
        return { messages: [] };
      }
      for (const [i, line] of priced.lines.entries()) {
        const was = written[i];
        if (line.name === was.name && line.price === was.price && line.currency === was.currency) {
          continue;
        }
        await repriceLine(deps.sequelize, t, order.id, line);
      }
      if (reminderId) await deps.outbox.markDelivered(t, [reminderId]);
      const clear = {
        userId: order.userId,
        orderId: order.id,
        productIds: written.map((l) => l.productId),
        // A resumed checkout does not know when its cart was read: the order's creation is close.
        before: (placed?.cartReadAt ?? order.createdAt).toISOString(),
      };
      return {
        messages: [await deps.outbox.addOwned(t, TOPICS.clearCart, clear)],
        changes: moved,
      };
    },
    RAW_RETRY,
  );
  if ("full" in outcome) {
    await failCheckout(deps, order, reminderId, HELD_ALL);
    throw tooManyPending(deps);
  }
  await deliverSoon(deps, outcome.messages);
  if (!outcome.changes) throw interrupted();
  deps.broker.emit("order.created", { orderId: order.id, userId: order.userId });
  // The row as just written (the conditional update matched it): no need to read it back.
  order.set(outcome.changes, { raw: true });
  return { order, lines: priced.lines };
}

/** An order's lines as stored, in the order they were written. */
async function linesOf(deps: OrdersDeps, orderId: string): Promise<OrderLine[]> {
  const items = await deps.models.OrderItem.findAll({
    where: { orderId },
    order: [["id", "ASC"]],
  });
  return items.map((i) => ({
    productId: String(i.productId),
    quantity: i.quantity,
    name: i.name,
    price: Number(i.price),
    currency: i.currency,
    merchantId: i.merchantId === null ? null : String(i.merchantId),
  }));
}
