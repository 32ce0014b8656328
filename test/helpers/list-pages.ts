/**
 * The list shapes and pages the anchor tests compare with plain OFFSET: every filter shape the
 * catalog has an index for, every sort, and pages on both sides of anchor boundaries.
 */
import type { ListFilter, Sort } from "../../lib/products/queries.ts";

export const LIST_SORTS: readonly Sort[] = ["newest", "price", "-price", "relevance"];

export interface ListShape {
  name: string;
  filter: ListFilter;
}

/** Whole catalog, one category, one merchant, price ranges, and their combinations. */
export function listShapes(categoryId: string, merchantId: string): ListShape[] {
  return [
    { name: "whole catalog", filter: { terms: [] } },
    { name: "category", filter: { terms: [], categoryId } },
    { name: "merchant", filter: { terms: [], merchantId } },
    { name: "merchant in a category", filter: { terms: [], merchantId, categoryId } },
    { name: "price range", filter: { terms: [], minPrice: 5_000, maxPrice: 60_000 } },
    { name: "from a price", filter: { terms: [], minPrice: 20_000 } },
    { name: "category and price", filter: { terms: [], categoryId, maxPrice: 30_000 } },
  ];
}

/**
 * Offsets (multiples of the page size) around every multiple of `every` up to `total`, plus the
 * last page: the rows just before an anchor, at it and just after it, and pages that span one.
 */
export function probeOffsets(total: number, pageSize: number, every: number): number[] {
  const offsets = new Set<number>();
  const page = (offset: number) => Math.max(0, Math.floor(offset / pageSize)) * pageSize;
  for (let boundary = every; boundary < total; boundary += every) {
    for (const near of [boundary - pageSize, boundary - 1, boundary, boundary + 1]) {
      offsets.add(page(near));
    }
  }
  offsets.add(page(total - 1));
  return [...offsets].filter((o) => o >= 0 && o < total).sort((a, b) => a - b);
}

/** At most `n` items spread evenly over a list (first and last included). */
export function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]);
}
