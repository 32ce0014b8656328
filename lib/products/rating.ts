/** A product's rating from its counters (ratingSum, ratingCount): what is shown and what sorts. */

/** As shown: the average to one decimal (0 without reviews) and the number of reviews. */
export interface Rating {
  average: number;
  count: number;
}

export function ratingOf(sum: number, count: number): Rating {
  if (count <= 0) return { average: 0, count: 0 };
  return { average: Math.round((sum * 10) / count) / 10, count };
}

/** The key of `sort=rating`: the average × 100, rounded down (0 without reviews). */
export function ratingScore(sum: number, count: number): number {
  return count <= 0 ? 0 : Math.floor((sum * 100) / count);
}
