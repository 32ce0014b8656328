/**
 * The heart on a product page: adds the product to the signed-in shopper's favourites, or takes
 * it out (PUT / DELETE /api/users/me/favorites/:id, both idempotent). Whether it is a favourite
 * comes from the favourites list (at most 500, read a page of 100 at a time).
 */
import { useTranslation } from "react-i18next";
import { useEffect, useState } from "react";
import { account } from "../api/shop.ts";
import { errorMessage } from "../lib/messages.ts";
import { useAuth } from "../state/auth.tsx";
import { useToast } from "../state/toast.tsx";

async function isFavorite(productId: string, signal: AbortSignal): Promise<boolean> {
  for (let page = 1; ; page++) {
    const list = await account.favorites({ page, pageSize: 100 }, signal);
    if (list.rows.some((p) => p.id === productId)) return true;
    if (page >= list.totalPages) return false;
  }
}

export function FavoriteToggle({ productId, name }: { productId: string; name: string }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const toast = useToast();
  const [on, setOn] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!user) return;
    const controller = new AbortController();
    isFavorite(productId, controller.signal).then(
      (value) => setOn(value),
      () => setOn(false),
    );
    return () => controller.abort();
  }, [productId, user]);
  if (!user) return null;
  const toggle = async () => {
    const next = !on;
    setBusy(true);
    try {
      await (next ? account.addFavorite(productId) : account.removeFavorite(productId));
      setOn(next);
    } catch (failure) {
      toast(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className={`button ghost favorite-toggle ${on ? "on" : ""}`}
      aria-pressed={on === true}
      aria-label={on ? t("favorite.remove", { name }) : t("favorite.add", { name })}
      onClick={toggle}
      disabled={busy || on === null}
      data-testid="favorite-toggle"
    >
      <span aria-hidden="true">{on ? "♥" : "♡"}</span>{" "}
      {on ? t("favorite.saved") : t("favorite.save")}
    </button>
  );
}
