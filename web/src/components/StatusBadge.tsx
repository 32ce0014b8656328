import type { OrderStatus } from "../api/types.ts";

const LABELS: Record<OrderStatus, string> = {
  pending: "Awaiting payment",
  paid: "Paid",
  shipped: "Shipped",
  completed: "Completed",
  cancelled: "Cancelled",
  refunded: "Refunded",
};

export function statusLabel(status: string): string {
  return LABELS[status as OrderStatus] ?? status;
}

/** An order's status as a coloured badge; data-status carries the machine value for tests. */
export function StatusBadge({
  status,
  testId = "order-status",
}: {
  status: string;
  testId?: string;
}) {
  return (
    <span className={`badge status-${status}`} data-testid={testId} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
