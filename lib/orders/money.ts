/** Money arithmetic for orders: integers in minor units only, checked against overflow. */

/** The largest total of one order, in minor units: what Stripe charges at most (99,999,999). */
export const MAX_ORDER_TOTAL = 99_999_999;

export interface PricedLine {
  price: number;
  quantity: number;
}

/** price × quantity, refusing anything that is not a safe non-negative integer. */
export function lineTotal(line: PricedLine): number {
  assertMinorUnits(line.price, "price");
  if (!Number.isInteger(line.quantity) || line.quantity < 1) {
    throw new RangeError(`quantity must be a positive integer (got ${line.quantity})`);
  }
  const total = line.price * line.quantity;
  assertMinorUnits(total, "line total");
  return total;
}

export function orderTotal(lines: readonly PricedLine[]): number {
  const total = lines.reduce((sum, line) => sum + lineTotal(line), 0);
  assertMinorUnits(total, "order total");
  return total;
}

/** The one currency of a set of lines, or undefined when they mix currencies (or are empty). */
export function singleCurrency(lines: readonly { currency: string }[]): string | undefined {
  const currencies = new Set(lines.map((l) => l.currency));
  return currencies.size === 1 ? [...currencies][0] : undefined;
}

function assertMinorUnits(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer in minor units (got ${value})`);
  }
}
