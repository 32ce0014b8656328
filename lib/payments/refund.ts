/**
 * What a refund does to a captured payment, as a plain rule: the whole capture by default, or
 * `amount` minor units of it (a return of some units). A payment is refunded once: an order has
 * one capture and at most one refund (a cancellation, or one approved return), so a refund that
 * finds the payment refunded already is the same refund asked again and changes nothing.
 */
import { ConflictError, UnprocessableError } from "../errors.ts";
import type { PaymentStatus } from "./models.ts";

export interface Refund {
  status: Extract<PaymentStatus, "refunded" | "partially_refunded">;
  refundedAmount: number;
}

/** Whether the payment was refunded already (in full or in part). */
export function isRefunded(status: PaymentStatus): boolean {
  return status === "refunded" || status === "partially_refunded";
}

/**
 * The refund of `amount` (default: all) of a captured payment of `captured` minor units. 409
 * PAYMENT_NOT_REFUNDABLE unless captured; 422 VALIDATION_ERROR for an amount that is not a whole
 * number from 1 to the capture.
 */
export function refundOf(
  payment: { status: PaymentStatus; amount: number },
  amount: number = payment.amount,
): Refund {
  if (payment.status !== "captured") {
    throw new ConflictError(
      `A ${payment.status} payment cannot be refunded`,
      "PAYMENT_NOT_REFUNDABLE",
    );
  }
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > payment.amount) {
    throw new UnprocessableError(
      `A refund is 1 to ${payment.amount} minor units, not ${amount}`,
      "VALIDATION_ERROR",
      { field: "amount" },
    );
  }
  return {
    status: amount === payment.amount ? "refunded" : "partially_refunded",
    refundedAmount: amount,
  };
}
