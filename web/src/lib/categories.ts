/**
 * Products name their categories (`categories: [name...]`, in the shop's language) while the
 * list filter takes a slug (GET /api/products?category=slug): the slug a name stands for.
 */
import type { Category } from "../api/types.ts";

/** The category a name or slug stands for, among those listed; undefined when none. */
export function findCategory(
  categories: readonly Category[] | undefined,
  nameOrSlug: string,
): Category | undefined {
  if (!nameOrSlug || !categories) return undefined;
  const wanted = nameOrSlug.trim().toLowerCase();
  return (
    categories.find((c) => c.slug === nameOrSlug) ??
    categories.find((c) => c.name.trim().toLowerCase() === wanted)
  );
}

/** The search page of a category named on a product: by slug when the list knows it. */
export function categorySearchHref(
  categories: readonly Category[] | undefined,
  name: string,
): string {
  const slug = findCategory(categories, name)?.slug ?? name;
  return `/search?category=${encodeURIComponent(slug)}`;
}
