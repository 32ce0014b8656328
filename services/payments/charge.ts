/**
 * payments.charge: the simulated card processor's sale (authorize + capture in one step).
 * Idempotent on `attemptId`: the first result is recorded and every retry gets it back. A capture
 * and its `payment.captured` outbox message are written in one transaction, so the orders service
 * learns of every capture even if the caller never hears the answer. The caller that settles the
 * capture from the answer acknowledges the report (`acknowledgeReport`), so it is not sent.
 */
import { randomBytes } from "node:crypto";
import { UniqueConstraintError, type Sequelize } from "sequelize";
import { insertRow, placeholders, selectRows, writeRows } from "../../lib/sql.ts";
import { autocommit, RAW_RETRY, transaction } from "../../lib/transactions.ts";
import { ConflictError, UnavailableError, UnprocessableError } from "../../lib/errors.ts";
import type { Outbox } from "../../lib/outbox/outbox.ts";
import {
  cardBrand,
  cardProblems,
  last4,
  normalizeCardNumber,
  type CardInput,
} from "../../lib/payments/card.ts";
import {
  paymentView,
  type ChargeResult,
  type Payment,
  type PaymentView,
} from "../../lib/payments/models.ts";
import { decide } from "../../lib/payments/processor.ts";

export interface ChargeParams {
  orderId: string;
  attemptId: string;
  userId: string;
  amount: number;
  currency: string;
  card: CardInput;
  /** Epoch ms after which the processor must not capture any more (the caller's lease). */
  notAfter?: number;
}

export interface PaymentsDeps {
  sequelize: Sequelize;
  Payment: typeof Payment;
  outbox: Outbox;
  /** PAYMENT_FAILURE_RATE: the share of calls the processor fails with 503 (fault injection). */
  failureRate: number;
  /** PAYMENT_LATENCY_MS: how long the processor takes to answer (fault injection). */
  latencyMs: number;
  /** Delay before a capture is reported to orders (the caller usually settles it first). */
  reportDelayMs: number;
}

export const TOPIC_CAPTURED = "payment.captured";

export async function charge(deps: PaymentsDeps, params: ChargeParams): Promise<ChargeResult> {
  const problems = cardProblems(params.card, new Date());
  if (problems.length > 0) {
    throw new UnprocessableError(
      problems[0].message,
      problems[0].type,
      problems.map(({ field, message }) => ({ field: `card.${field}`, message })),
    );
  }
  const earlier = await paymentOfAttempt(deps, params.attemptId);
  if (earlier) return sameAttempt(earlier, params);

  await processorCall(deps);
  if (params.notAfter !== undefined && Date.now() > params.notAfter) {
    throw new UnavailableError("The payment took too long and was not made", "PAYMENT_UNAVAILABLE");
  }
  const decision = decide(params.card.number);
  const digits = normalizeCardNumber(params.card.number);
  try {
    const now = new Date();
    const payment = {
      attemptId: params.attemptId,
      orderId: params.orderId,
      userId: params.userId,
      amount: params.amount,
      currency: params.currency,
      status: decision.status,
      declineCode: decision.status === "declined" ? decision.code : null,
      cardLast4: last4(digits),
      cardBrand: cardBrand(digits),
      transactionId:
        decision.status === "captured" ? `txn_${randomBytes(12).toString("hex")}` : null,
      createdAt: now,
      updatedAt: now,
    };
    return await transaction(
      deps.sequelize,
      async (t) => {
        const columns = Object.keys(payment);
        const id = await insertRow(
          deps.sequelize,
          `INSERT INTO payments (${columns.join(", ")}) VALUES (${placeholders(columns.length)})`,
          Object.values(payment),
          t,
        );
        const view = paymentView({ ...payment, id });
        if (decision.status !== "captured") return view;
        const report = { payment: view };
        return {
          ...view,
          reportId: await deps.outbox.add(t, TOPIC_CAPTURED, report, deps.reportDelayMs),
        };
      },
      RAW_RETRY,
    );
  } catch (err) {
    if (!(err instanceof UniqueConstraintError)) throw err;
    // A concurrent retry of the same attempt got there first: its result is the result.
    const winner = await paymentOfAttempt(deps, params.attemptId);
    if (!winner) throw err;
    return sameAttempt(winner, params);
  }
}

/** The capture was settled by the caller: its report (if still unsent) is not needed any more. */
export async function acknowledgeReport(deps: PaymentsDeps, reportId: string): Promise<void> {
  await autocommit(deps.sequelize, (t) =>
    writeRows(
      deps.sequelize,
      "UPDATE payment_outbox SET deliveredAt = ? WHERE id = ? AND topic = ? AND deliveredAt IS NULL",
      [new Date(), reportId, TOPIC_CAPTURED],
      t,
    ),
  );
}

/** The payment made by an attempt, if any (one indexed lookup on the driver first: usually none). */
async function paymentOfAttempt(deps: PaymentsDeps, attemptId: string): Promise<Payment | null> {
  const [row] = await selectRows<{ id: unknown }>(
    deps.sequelize,
    "SELECT id FROM payments WHERE attemptId = ? LIMIT 1",
    [attemptId],
  );
  return row ? deps.Payment.findByPk(String(row.id)) : null;
}

/** The simulated network: its latency, and its failures (nothing is charged when it fails). */
export async function processorCall(deps: PaymentsDeps): Promise<void> {
  if (deps.latencyMs > 0) await new Promise((r) => setTimeout(r, deps.latencyMs));
  if (deps.failureRate > 0 && Math.random() < deps.failureRate) {
    throw new UnavailableError("The card processor did not answer", "PAYMENT_UNAVAILABLE");
  }
}

function sameAttempt(payment: Payment, params: ChargeParams): PaymentView {
  if (payment.orderId !== params.orderId || Number(payment.amount) !== params.amount) {
    throw new ConflictError(
      "This payment attempt was already made for another order or amount",
      "PAYMENT_ATTEMPT_MISMATCH",
    );
  }
  return paymentView(payment);
}
