/** Tables owned by the payments service: one row per payment attempt. */
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { iso, idColumn, refColumn } from "../model-helpers.ts";

/** `partially_refunded`: some units of the order were returned and their price refunded. */
export type PaymentStatus = "captured" | "declined" | "refunded" | "partially_refunded";

export class Payment extends Model<InferAttributes<Payment>, InferCreationAttributes<Payment>> {
  declare id: CreationOptional<string>;
  declare attemptId: string;
  declare orderId: string;
  declare userId: string;
  declare amount: number;
  declare currency: string;
  declare status: PaymentStatus;
  declare declineCode: string | null;
  declare cardLast4: string;
  declare cardBrand: string;
  declare transactionId: string | null;
  declare refundId: CreationOptional<string | null>;
  declare refundedAt: CreationOptional<Date | null>;
  /** Minor units given back (null before any refund). */
  declare refundedAmount: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function definePaymentModel(sequelize: Sequelize): typeof Payment {
  class NodePayment extends Payment {}
  NodePayment.init(
    {
      id: idColumn(),
      attemptId: { type: DataTypes.STRING(64), allowNull: false },
      orderId: { type: DataTypes.STRING(40), allowNull: false },
      userId: refColumn("userId"),
      amount: {
        type: DataTypes.BIGINT,
        allowNull: false,
        get(this: Payment) {
          return Number(this.getDataValue("amount"));
        },
      },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      status: { type: DataTypes.STRING(24), allowNull: false },
      declineCode: { type: DataTypes.STRING(32), allowNull: true },
      cardLast4: { type: DataTypes.CHAR(4), allowNull: false },
      cardBrand: { type: DataTypes.STRING(16), allowNull: false },
      transactionId: { type: DataTypes.STRING(40), allowNull: true },
      refundId: { type: DataTypes.STRING(40), allowNull: true },
      refundedAt: { type: DataTypes.DATE(3), allowNull: true },
      refundedAmount: {
        type: DataTypes.BIGINT,
        allowNull: true,
        get(this: Payment) {
          const value = this.getDataValue("refundedAmount");
          return value === null || value === undefined ? null : Number(value);
        },
      },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: "payments", modelName: "Payment" },
  );
  return NodePayment;
}

export interface PaymentView {
  id: string;
  attemptId: string;
  orderId: string;
  userId: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  cardLast4: string;
  cardBrand: string;
  transactionId: string | null;
  declineCode: string | null;
  refundId: string | null;
  createdAt: string;
  refundedAt: string | null;
  refundedAmount: number | null;
}

/** A payment's columns: a model instance, or a row as it was just written. */
export type PaymentRow = Omit<
  InferAttributes<Payment>,
  "refundId" | "refundedAt" | "refundedAmount"
> &
  Partial<Pick<Payment, "refundId" | "refundedAt" | "refundedAmount">>;

/** What leaves the payments service: never more of a card than its last four digits. */
export function paymentView(p: PaymentRow): PaymentView {
  return {
    id: String(p.id),
    attemptId: p.attemptId,
    orderId: p.orderId,
    userId: String(p.userId),
    status: p.status,
    amount: Number(p.amount),
    currency: p.currency,
    cardLast4: p.cardLast4,
    cardBrand: p.cardBrand,
    transactionId: p.transactionId,
    declineCode: p.declineCode,
    refundId: p.refundId ?? null,
    createdAt: iso(p.createdAt)!,
    refundedAt: iso(p.refundedAt ?? null),
    refundedAmount:
      p.refundedAmount === null || p.refundedAmount === undefined ? null : Number(p.refundedAmount),
  };
}

/** A charge's answer: the payment, and for a new capture the id of its report in the outbox. */
export type ChargeResult = PaymentView & { reportId?: string };
