/**
 * Favourites (API.md "Addresses, favourites, reviews"): the products a user keeps, newest first.
 * Adding and removing are idempotent; a user keeps at most MAX_FAVORITES (422 FAVORITES_FULL,
 * counted under the user's row lock so concurrent adds keep the limit). Whether a product exists
 * is the products service's to say (the caller asks it before adding); products deleted since are
 * dropped from the list when it is read (`dropFavorites`).
 */
import { UniqueConstraintError } from "sequelize";
import { UnprocessableError } from "../errors.ts";
import { MAX_FAVORITES } from "./limits.ts";
import type { Sequelize } from "sequelize";
import type { AccountModels } from "./account-models.ts";
import { withUserLocked } from "./addresses.ts";

export { MAX_FAVORITES };

export interface FavoritesDeps {
  sequelize: Sequelize;
  models: Pick<AccountModels, "User" | "UserFavorite">;
}

/** Keeps a product; keeping it again changes nothing. */
export async function addFavorite(
  deps: FavoritesDeps,
  userId: string,
  productId: string,
): Promise<void> {
  const { UserFavorite } = deps.models;
  try {
    await withUserLocked(deps, userId, async (t) => {
      if (await UserFavorite.findOne({ where: { userId, productId }, transaction: t })) return;
      const count = await UserFavorite.count({ where: { userId }, transaction: t });
      if (count >= MAX_FAVORITES) {
        throw new UnprocessableError(
          `At most ${MAX_FAVORITES} favourites; remove one first`,
          "FAVORITES_FULL",
          { max: MAX_FAVORITES },
        );
      }
      await UserFavorite.create({ userId, productId }, { transaction: t });
    });
  } catch (err) {
    // Only another add of the same product can be first: the result is the same.
    if (!(err instanceof UniqueConstraintError)) throw err;
  }
}

/** Stops keeping a product; removing one not kept changes nothing. */
export async function removeFavorite(
  deps: FavoritesDeps,
  userId: string,
  productId: string,
): Promise<void> {
  await deps.models.UserFavorite.destroy({ where: { userId, productId } });
}

/** The ids of the user's favourites, the most recently added first. */
export async function favoriteIds(deps: FavoritesDeps, userId: string): Promise<string[]> {
  const rows = await deps.models.UserFavorite.findAll({
    where: { userId },
    attributes: ["productId", "createdAt"],
    order: [
      ["createdAt", "DESC"],
      ["productId", "DESC"],
    ],
  });
  return rows.map((r) => String(r.productId));
}

/** Forgets favourites of products that are gone. */
export async function dropFavorites(
  deps: FavoritesDeps,
  userId: string,
  productIds: readonly string[],
): Promise<void> {
  if (productIds.length === 0) return;
  await deps.models.UserFavorite.destroy({ where: { userId, productId: [...productIds] } });
}

/**
 * A page of the favourites that are still for sale, from the ids newest first and what the
 * catalog says of them (`available` false, or absent, for a deleted product). Returns the page
 * and the ids that are gone.
 */
export function favoritesPage<P extends { id: string; available: boolean }>(
  ids: readonly string[],
  products: readonly P[],
  page: number,
  pageSize: number,
): { rows: Omit<P, "available">[]; total: number; gone: string[] } {
  const byId = new Map(products.map((p) => [p.id, p]));
  const live = ids.flatMap((id) => {
    const p = byId.get(id);
    return p?.available ? [p] : [];
  });
  const gone = ids.filter((id) => !byId.get(id)?.available);
  const rows = live
    .slice((page - 1) * pageSize, page * pageSize)
    .map(({ available: _available, ...rest }) => rest);
  return { rows, total: live.length, gone };
}
