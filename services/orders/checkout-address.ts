/**
 * Where a checkout delivers (API.md: `{address | addressId, …}`): the address sent, checked by
 * lib/orders/address.ts, or the caller's saved one (users.addressForCheckout, scoped to the
 * caller: another user's id is 404), copied into the order, which keeps its own copy. With
 * `saveAddress`, a sent address is kept in the caller's book afterwards, best effort.
 */
import { UnprocessableError } from "../../lib/errors.ts";
import { checkAddress, type AddressInput } from "../../lib/orders/address.ts";
import type { Address } from "../../lib/orders/models.ts";
import type { Ctx, OrdersDeps } from "./deps.ts";

/** What the checkout is sent about its address. */
export interface AddressChoice {
  address?: AddressInput;
  addressId?: string;
  saveAddress?: boolean;
}

/** The address the order is to keep; 422 unless exactly one of `address` and `addressId`. */
export async function checkoutAddress(deps: OrdersDeps, ctx: Ctx<AddressChoice>): Promise<Address> {
  const { address, addressId } = ctx.params;
  if ((address === undefined) === (addressId === undefined)) {
    const message = "Send either an address or the id of a saved one (addressId), not both";
    throw new UnprocessableError(message, "VALIDATION_ERROR", [{ field: "address", message }]);
  }
  if (address !== undefined) return checkAddress(address);
  return ctx.call<Address, { id: string }>(
    "users.addressForCheckout",
    { id: addressId! },
    { timeout: deps.settings.callTimeoutMs },
  );
}

/** Keeps a checkout's address in the caller's book when asked to; never fails the checkout. */
export async function saveCheckoutAddress(
  deps: OrdersDeps,
  ctx: Ctx,
  choice: AddressChoice,
  address: Address,
): Promise<void> {
  if (!choice.saveAddress || choice.address === undefined) return;
  try {
    await ctx.call("users.rememberAddress", { address }, { timeout: deps.settings.callTimeoutMs });
  } catch (err) {
    deps.logger.warn("Saving the checkout's address to the address book failed", err);
  }
}
