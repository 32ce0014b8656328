import { useTranslation } from "react-i18next";
import { i18n } from "../i18n/index.ts";
import type { OrderStatus } from "../api/types.ts";

const KNOWN = new Set<string>([
  "pending",
  "paid",
  "shipped",
  "completed",
  "cancelled",
  "refunded",
  "return_requested",
] satisfies (OrderStatus | "return_requested")[]);

/** The status in the app's language; an unknown one as the server spells it. */
export function statusLabel(status: string): string {
  return KNOWN.has(status) ? i18n.t(`status.${status}`) : status;
}

/** An order's status as a coloured badge; data-status carries the machine value for tests. */
export function StatusBadge({
  status,
  testId = "order-status",
}: {
  status: string;
  testId?: string;
}) {
  useTranslation();
  return (
    <span className={`badge status-${status}`} data-testid={testId} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
