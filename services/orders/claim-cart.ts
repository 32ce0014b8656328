/**
 * Step 1b of a checkout: claim the cart's lines for the order (carts.claim, lib/carts/claims.ts),
 * before any stock or money is taken. Of concurrent checkouts of one cart (other keys, tabs,
 * gateways) one claims it; the others fail their order and answer 409 CART_CHANGED or 422
 * CART_EMPTY, never charged.
 */
import { UnavailableError } from "../../lib/errors.ts";
import type { OrderLine } from "../../lib/orders/cart.ts";
import type { Order } from "../../lib/orders/models.ts";
import { failCheckout, interrupted } from "./checkout-failures.ts";
import { isClientError } from "../../lib/resilience/transient.ts";
import type { Ctx, OrdersDeps } from "./deps.ts";

export async function claimCart(
  deps: OrdersDeps,
  ctx: Ctx,
  order: Order,
  lines: readonly OrderLine[],
  reminderId: string | undefined,
): Promise<void> {
  let claim: { status: string };
  try {
    claim = await ctx.call(
      "carts.claim",
      {
        orderId: order.id,
        lines: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
      },
      { timeout: deps.settings.callTimeoutMs },
    );
  } catch (err) {
    // A refusal claimed nothing; after any other failure the claim may have been made.
    const refused = isClientError(err);
    await failCheckout(deps, order, reminderId, { stock: false, cart: !refused });
    if (refused) throw err;
    deps.logger.warn(`The cart of order ${order.id} could not be claimed`, err);
    throw new UnavailableError(
      "The cart could not be checked out; try again shortly",
      "CART_UNAVAILABLE",
    );
  }
  if (claim.status === "released") {
    // The crash reminder gave up on this checkout (its release came first). A retry starts afresh.
    await failCheckout(deps, order, reminderId, { stock: false, cart: false });
    throw interrupted();
  }
}
