import { formatMoney } from "../lib/money.ts";

/** An amount in minor units, shown in its currency: 1999 → ¥19.99. */
export function Money({
  amount,
  currency,
  testId,
}: {
  amount: number;
  currency?: string;
  testId?: string;
}) {
  return (
    <span className="money" data-testid={testId}>
      {formatMoney(amount, currency)}
    </span>
  );
}
