/**
 * payments: a simulated card processor with a real one's behaviour — card checks (422), the test
 * cards of API.md, a record per attempt (last four digits only, never a number or CVV), refunds,
 * and fault injection from PAYMENT_FAILURE_RATE / PAYMENT_LATENCY_MS.
 * Owns the tables `payments` and `payment_outbox`.
 */
import { countPayment, type PaymentOutcome } from "../lib/observability/metrics.ts";
import { errorType } from "../lib/errors.ts";
import type { ServiceSchema, ServiceSettingSchema } from "moleculer";
import { randomBytes } from "node:crypto";
import { RETRY, transaction } from "../lib/transactions.ts";
import { NotFoundError } from "../lib/errors.ts";
import { isRefunded, refundOf } from "../lib/payments/refund.ts";
import { startLoop, type Loop } from "../lib/loop.ts";
import { Outbox, type OutboxMessage, Undeliverable } from "../lib/outbox/outbox.ts";
import {
  definePaymentModel,
  paymentView,
  type ChargeResult,
  type PaymentView,
} from "../lib/payments/models.ts";
import { platformOf } from "../lib/platform.ts";
import { DbMixin, type DbVars } from "../mixins/db.mixin.ts";
import {
  acknowledgeReport,
  charge,
  processorCall,
  TOPIC_CAPTURED,
  type ChargeParams,
  type PaymentsDeps,
} from "./payments/charge.ts";
import type { Context } from "moleculer";
import type { Sequelize } from "sequelize";

const id = { type: "string", numeric: true, max: 20 } as const;

/** The payments' model (the outbox's table is lib/outbox/outbox.ts's). */
const definePaymentModels = (db: Sequelize) => ({ Payment: definePaymentModel(db) });

interface PaymentsVars extends DbVars<ReturnType<typeof definePaymentModels>> {
  deps: PaymentsDeps;
  loops: Loop[];
}
interface PaymentsMethods {
  deliver(message: OutboxMessage): Promise<void>;
}

const PaymentsService: ServiceSchema<ServiceSettingSchema, PaymentsMethods, PaymentsVars> = {
  name: "payments",
  mixins: [DbMixin(definePaymentModels)],

  actions: {
    /** Charges a card for an order; idempotent on attemptId (a retry returns the first result). */
    charge: {
      visibility: "public",
      // Safe to retry: the attempt id makes a repeat return the first result.
      retryPolicy: { enabled: true, retries: 2, delay: 100, maxDelay: 1_000, factor: 2 },
      params: {
        $$strict: true,
        orderId: id,
        attemptId: { type: "string", min: 1, max: 64 },
        userId: id,
        // Stripe's cap on one charge; orders refuse larger totals first (ORDER_TOTAL_TOO_LARGE).
        amount: { type: "number", integer: true, positive: true, max: 99_999_999 },
        currency: { type: "string", length: 3 },
        card: {
          type: "object",
          props: {
            number: { type: "string", max: 40 },
            expMonth: { type: "number", integer: true },
            expYear: { type: "number", integer: true },
            cvv: { type: "string", max: 8 },
          },
        },
        notAfter: { type: "number", optional: true },
      },
      async handler(ctx: Context<ChargeParams>): Promise<ChargeResult> {
        try {
          const view = await charge(this.deps, ctx.params);
          countPayment(this.broker, outcomeOf(view));
          return view;
        } catch (err) {
          const type = errorType(err);
          countPayment(
            this.broker,
            type === "PAYMENT_UNAVAILABLE" ? "unavailable" : "invalid_card",
          );
          throw err;
        }
      },
    },

    /**
     * Refunds a captured payment: in full, or `amount` minor units of it (a return of some
     * units). Idempotent: a refunded payment is returned as it is (lib/payments/refund.ts).
     */
    refund: {
      visibility: "public",
      params: {
        $$strict: true,
        paymentId: id,
        amount: { type: "number", integer: true, positive: true, optional: true },
      },
      async handler(ctx: Context<{ paymentId: string; amount?: number }>): Promise<PaymentView> {
        const { Payment } = this.deps;
        const payment = await Payment.findByPk(ctx.params.paymentId);
        if (!payment) throw new NotFoundError("Payment", ctx.params.paymentId);
        if (isRefunded(payment.status)) return paymentView(payment);
        const refund = refundOf(payment, ctx.params.amount);
        await processorCall(this.deps);
        await transaction(
          this.deps.sequelize,
          (t) =>
            Payment.update(
              {
                ...refund,
                refundedAt: new Date(),
                refundId: `re_${randomBytes(12).toString("hex")}`,
              },
              { where: { id: payment.id, status: "captured" }, transaction: t },
            ),
          RETRY,
        );
        countPayment(this.broker, "refunded");
        return paymentView((await Payment.findByPk(payment.id))!);
      },
    },

    /** Every payment attempt of an order, oldest first. */
    forOrder: {
      visibility: "public",
      params: { $$strict: true, orderId: id },
      async handler(ctx: Context<{ orderId: string }>): Promise<PaymentView[]> {
        const rows = await this.deps.Payment.findAll({
          where: { orderId: ctx.params.orderId },
          order: [["id", "ASC"]],
        });
        return rows.map(paymentView);
      },
    },

    /** One payment. */
    get: {
      visibility: "public",
      params: { $$strict: true, id },
      async handler(ctx: Context<{ id: string }>): Promise<PaymentView> {
        const payment = await this.deps.Payment.findByPk(ctx.params.id);
        if (!payment) throw new NotFoundError("Payment", ctx.params.id);
        return paymentView(payment);
      },
    },
  },

  events: {
    /** orders settled a capture from the charge's answer: its report need not be sent. */
    "payment.settled": {
      params: { reportId: id },
      async handler(ctx: Context<{ reportId: string }>) {
        await acknowledgeReport(this.deps, ctx.params.reportId).catch((err) =>
          this.logger.warn(`Cannot acknowledge capture report ${ctx.params.reportId}`, err),
        );
      },
    },
  },

  methods: {
    /** Relays the outbox: orders settles each capture (pays its order, or refunds it). */
    async deliver(message) {
      if (message.topic !== TOPIC_CAPTURED)
        throw new Undeliverable(`Unknown topic ${message.topic}`);
      await this.broker.call(
        "orders.paymentCaptured",
        { payment: (message.payload as { payment: PaymentView }).payment },
        { timeout: platformOf(this.broker).config.requestTimeoutMs },
      );
    },
  },

  created() {
    const { config } = platformOf(this.broker);
    const recoveryMs = config.orderRecoverySeconds * 1000;
    this.deps = {
      sequelize: this.db,
      Payment: this.models.Payment,
      outbox: new Outbox(this.db, {
        table: "payment_outbox",
        leaseMs: recoveryMs,
        logger: this.logger,
      }),
      failureRate: config.paymentFailureRate,
      latencyMs: config.paymentLatencyMs,
      reportDelayMs: 2_000,
    };
    this.loops = [];
  },

  started() {
    const warn = (what: string) => (err: unknown) => this.logger.warn(`${what} failed`, err);
    this.loops = [
      startLoop(
        () => this.deps.outbox.relay((m: OutboxMessage) => this.deliver(m)),
        500,
        warn("Outbox relay"),
      ),
      startLoop(
        () => this.deps.outbox.purgeDelivered(7 * 86_400_000),
        600_000,
        warn("Housekeeping"),
      ),
    ];
  },

  async stopped() {
    await Promise.all(this.loops.map((l) => l.stop()));
  },
};

export default PaymentsService;

function outcomeOf(view: PaymentView): PaymentOutcome {
  if (view.status === "declined") {
    return view.declineCode === "INSUFFICIENT_FUNDS" ? "insufficient_funds" : "declined";
  }
  return "succeeded";
}
