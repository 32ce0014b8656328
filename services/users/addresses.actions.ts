/**
 * users: the caller's address book and favourites (API.md "Addresses, favourites, reviews"),
 * spread into the users service's actions. The rules are lib/users/addresses.ts's and
 * lib/users/favorites.ts's; the tables (`user_addresses`, `user_favorites`) are the users
 * service's. Products are the products service's: a favourite is checked and shown through
 * products.getMany.
 */
import type { ActionSchema, Context, Service } from "moleculer";
import { NotFoundError } from "../../lib/errors.ts";
import { paramsOf } from "../../lib/http/routes/index.ts";
import type { AddressInput } from "../../lib/orders/address.ts";
import { pageWindow, toPage, type PageRequest } from "../../lib/pagination.ts";
import type { ProductSummary } from "../../lib/products/present.ts";
import { callerId } from "../../lib/auth/caller.ts";
import type { DbVars } from "../../mixins/db.mixin.ts";
import { SAFE_READ_RETRY } from "../../lib/resilience/retry.ts";
import { defineAccountModels } from "../../lib/users/account-models.ts";
import {
  addAddress,
  addressOf,
  getAddress,
  listAddresses,
  rememberAddress,
  removeAddress,
  updateAddress,
  type AddressBookDeps,
  type AddressPatch,
  type NewAddress,
} from "../../lib/users/addresses.ts";
import {
  addFavorite,
  dropFavorites,
  favoriteIds,
  favoritesPage,
  removeFavorite,
  type FavoritesDeps,
} from "../../lib/users/favorites.ts";
import type { UserModels } from "../../lib/users/models.ts";
import type { CallerMeta } from "../../lib/auth/caller.ts";

type Ctx<P = unknown> = Context<P, CallerMeta>;
type AccountDeps = AddressBookDeps & FavoritesDeps;

/** products.getMany takes at most this many ids at once. */
const GET_MANY_MAX = 200;

const depsByService = new WeakMap<object, AccountDeps>();

/** Defines the account tables' models on the service's connection (call in `created`). */
export function initAccount(svc: Service & DbVars<UserModels>): void {
  depsByService.set(svc, {
    sequelize: svc.db,
    models: defineAccountModels(svc.db, svc.models.User),
  });
}

function depsOf(svc: object): AccountDeps {
  const deps = depsByService.get(svc);
  if (!deps) throw new Error("users: initAccount(this) was not called in created()");
  return deps;
}

const callerOf = callerId;

/** The catalog's summaries of these products (a deleted one with `available: false`). */
async function summaries(ctx: Ctx, ids: readonly string[]): Promise<ProductSummary[]> {
  const out: ProductSummary[] = [];
  for (let i = 0; i < ids.length; i += GET_MANY_MAX) {
    const chunk = ids.slice(i, i + GET_MANY_MAX);
    out.push(...(await ctx.call<ProductSummary[], object>("products.getMany", { ids: chunk })));
  }
  return out;
}

const PRODUCT_ID = /^[1-9]\d{0,17}$/;

export const addressActions: Record<string, ActionSchema<Service>> = {
  /** The caller's address book, the default first. */
  addresses: {
    retryPolicy: SAFE_READ_RETRY,
    params: paramsOf("users.addresses"),
    handler(this: Service, ctx: Ctx) {
      return listAddresses(depsOf(this), callerOf(ctx));
    },
  },

  /** Saves an address in the caller's book. */
  addAddress: {
    params: paramsOf("users.addAddress"),
    handler(this: Service, ctx: Ctx<NewAddress>) {
      return addAddress(depsOf(this), callerOf(ctx), ctx.params);
    },
  },

  /** Changes one of the caller's saved addresses (another user's → 404). */
  updateAddress: {
    params: paramsOf("users.updateAddress"),
    handler(this: Service, ctx: Ctx<AddressPatch & { id: string }>) {
      const { id, ...patch } = ctx.params;
      return updateAddress(depsOf(this), callerOf(ctx), id, patch);
    },
  },

  /** Removes one of the caller's saved addresses (another user's → 404). */
  removeAddress: {
    params: paramsOf("users.removeAddress"),
    async handler(this: Service, ctx: Ctx<{ id: string }>) {
      await removeAddress(depsOf(this), callerOf(ctx), ctx.params.id);
      return null;
    },
  },

  /** Internal (checkout with `addressId`): the caller's saved address, as an order takes it. */
  addressForCheckout: {
    visibility: "public",
    retryPolicy: SAFE_READ_RETRY,
    params: { id: { type: "string", max: 20 } },
    async handler(this: Service, ctx: Ctx<{ id: string }>) {
      return addressOf(await getAddress(depsOf(this), callerOf(ctx), ctx.params.id));
    },
  },

  /** Internal (checkout with `saveAddress`): keeps the caller's address unless known or full. */
  rememberAddress: {
    visibility: "public",
    params: { address: { type: "object" } },
    async handler(this: Service, ctx: Ctx<{ address: AddressInput }>) {
      return { outcome: await rememberAddress(depsOf(this), callerOf(ctx), ctx.params.address) };
    },
  },

  /** The caller's favourites that are still for sale, the most recently added first. */
  favorites: {
    params: paramsOf("users.favorites"),
    async handler(this: Service, ctx: Ctx<PageRequest>) {
      const deps = depsOf(this);
      const userId = callerOf(ctx);
      const { page, pageSize } = pageWindow(ctx.params);
      const ids = await favoriteIds(deps, userId);
      const found = favoritesPage(ids, await summaries(ctx, ids), page, pageSize);
      // Deleted products are gone for good: forget them, so they stop counting to the limit.
      await dropFavorites(deps, userId, found.gone);
      return toPage(found.rows, found.total, page, pageSize);
    },
  },

  /** Adds a product to the caller's favourites (idempotent); unknown or deleted → 404. */
  addFavorite: {
    params: paramsOf("users.addFavorite"),
    async handler(this: Service, ctx: Ctx<{ productId: string }>) {
      const userId = callerOf(ctx);
      const { productId } = ctx.params;
      const [product] = PRODUCT_ID.test(productId) ? await summaries(ctx, [productId]) : [];
      if (!product?.available) throw new NotFoundError("Product", productId);
      await addFavorite(depsOf(this), userId, productId);
      return null;
    },
  },

  /** Removes a product from the caller's favourites (idempotent). */
  removeFavorite: {
    params: paramsOf("users.removeFavorite"),
    async handler(this: Service, ctx: Ctx<{ productId: string }>) {
      const userId = callerOf(ctx);
      if (PRODUCT_ID.test(ctx.params.productId)) {
        await removeFavorite(depsOf(this), userId, ctx.params.productId);
      }
      return null;
    },
  },
};
