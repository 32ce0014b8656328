/** Tables owned by the orders service. */
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idColumn, refColumn } from "../model-helpers.ts";
import type { OrderStatus } from "./state.ts";

/** API.md "Address"; `province`/`district` are the current shape, `state`/`line2` the older one's. */
export interface Address {
  name: string;
  phone: string;
  province?: string;
  city: string;
  district?: string;
  line1: string;
  line2?: string;
  state?: string;
  country: string;
  postalCode?: string;
}

/** What an order shows of its payment (a copy of the payments service's record). */
export interface PaymentSummary {
  id: string;
  status: string;
  amount: number;
  currency: string;
  cardLast4: string;
  cardBrand: string;
  transactionId: string | null;
  declineCode: string | null;
  createdAt: string;
  /** Minor units refunded (absent on copies made before refunds could be partial). */
  refundedAmount?: number | null;
}

/** Where a return request stands (API.md Order.returnRequest.status). */
export type ReturnStatus = "requested" | "approved" | "rejected";

/** Units of one line the buyer sends back. */
export interface ReturnItem {
  productId: string;
  quantity: number;
}

export class Order extends Model<InferAttributes<Order>, InferCreationAttributes<Order>> {
  declare id: CreationOptional<string>;
  declare userId: string;
  declare status: OrderStatus;
  declare currency: string;
  declare total: number;
  declare address: Address;
  declare email: string | null;
  declare checkoutKey: string | null;
  declare expiresAt: Date;
  declare paymentId: CreationOptional<string | null>;
  declare payment: CreationOptional<PaymentSummary | null>;
  declare payingAttempt: CreationOptional<string | null>;
  declare payingUntil: CreationOptional<Date | null>;
  declare cancelReason: CreationOptional<string | null>;
  declare paidAt: CreationOptional<Date | null>;
  declare closedAt: CreationOptional<Date | null>;
  declare shippedAt: CreationOptional<Date | null>;
  declare completedAt: CreationOptional<Date | null>;
  declare carrier: CreationOptional<string | null>;
  declare trackingNumber: CreationOptional<string | null>;
  /** The status a return was requested from (a rejection goes back to it); null otherwise. */
  declare returnFrom: CreationOptional<OrderStatus | null>;
  declare returnStatus: CreationOptional<ReturnStatus | null>;
  declare returnReason: CreationOptional<string | null>;
  declare returnItems: CreationOptional<ReturnItem[] | null>;
  declare returnRequestedAt: CreationOptional<Date | null>;
  declare returnDecidedAt: CreationOptional<Date | null>;
  declare returnDecisionReason: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class OrderItem extends Model<
  InferAttributes<OrderItem>,
  InferCreationAttributes<OrderItem>
> {
  declare id: CreationOptional<string>;
  declare orderId: string;
  declare productId: string;
  declare name: string;
  declare price: number;
  declare currency: string;
  declare quantity: number;
  /** Units of this line refunded (a return of some, or a cancellation of a paid order: all). */
  declare refundedQuantity: CreationOptional<number>;
  /** The merchant whose product it is (null: the shop's own, or written before merchants shipped). */
  declare merchantId: CreationOptional<string | null>;
}

export class IdempotencyKey extends Model<
  InferAttributes<IdempotencyKey>,
  InferCreationAttributes<IdempotencyKey>
> {
  declare id: CreationOptional<string>;
  declare scope: string;
  declare userId: string;
  declare route: string;
  declare requestHash: string;
  declare status: "in_progress" | "completed";
  declare lockedUntil: Date;
  declare responseStatus: CreationOptional<number | null>;
  declare responseBody: CreationOptional<string | null>;
  declare expiresAt: Date;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export interface OrderModels {
  Order: typeof Order;
  OrderItem: typeof OrderItem;
  IdempotencyKey: typeof IdempotencyKey;
}

export function defineOrderModels(sequelize: Sequelize): OrderModels {
  // Model classes are bound to one connection; each node (and each test broker) gets its own.
  class NodeOrder extends Order {}
  class NodeOrderItem extends OrderItem {}
  class NodeIdempotencyKey extends IdempotencyKey {}
  NodeOrder.init(
    {
      id: idColumn(),
      userId: refColumn("userId"),
      status: { type: DataTypes.STRING(16), allowNull: false },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      total: {
        type: DataTypes.BIGINT,
        allowNull: false,
        defaultValue: 0,
        get(this: Order) {
          return Number(this.getDataValue("total"));
        },
      },
      address: jsonColumn("address", false),
      email: { type: DataTypes.STRING(254), allowNull: true },
      checkoutKey: { type: DataTypes.STRING(64), allowNull: true },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      paymentId: { type: DataTypes.STRING(40), allowNull: true },
      payment: jsonColumn("payment", true),
      payingAttempt: { type: DataTypes.STRING(64), allowNull: true },
      payingUntil: { type: DataTypes.DATE(3), allowNull: true },
      cancelReason: { type: DataTypes.STRING(32), allowNull: true },
      paidAt: { type: DataTypes.DATE(3), allowNull: true },
      closedAt: { type: DataTypes.DATE(3), allowNull: true },
      shippedAt: { type: DataTypes.DATE(3), allowNull: true },
      completedAt: { type: DataTypes.DATE(3), allowNull: true },
      carrier: { type: DataTypes.STRING(60), allowNull: true },
      trackingNumber: { type: DataTypes.STRING(60), allowNull: true },
      returnFrom: { type: DataTypes.STRING(16), allowNull: true },
      returnStatus: { type: DataTypes.STRING(16), allowNull: true },
      returnReason: { type: DataTypes.STRING(500), allowNull: true },
      returnItems: jsonColumn("returnItems", true),
      returnRequestedAt: { type: DataTypes.DATE(3), allowNull: true },
      returnDecidedAt: { type: DataTypes.DATE(3), allowNull: true },
      returnDecisionReason: { type: DataTypes.STRING(500), allowNull: true },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: "orders", modelName: "Order" },
  );
  NodeOrderItem.init(
    {
      id: idColumn(),
      orderId: refColumn("orderId"),
      productId: { type: DataTypes.STRING(40), allowNull: false },
      name: { type: DataTypes.STRING(200), allowNull: false },
      price: {
        type: DataTypes.BIGINT,
        allowNull: false,
        get(this: OrderItem) {
          return Number(this.getDataValue("price"));
        },
      },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      quantity: { type: DataTypes.INTEGER, allowNull: false },
      refundedQuantity: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      merchantId: { type: DataTypes.BIGINT, allowNull: true },
    },
    { sequelize, tableName: "order_items", modelName: "OrderItem", timestamps: false },
  );
  NodeIdempotencyKey.init(
    {
      id: idColumn(),
      scope: { type: DataTypes.CHAR(64), allowNull: false },
      userId: refColumn("userId"),
      route: { type: DataTypes.STRING(64), allowNull: false },
      requestHash: { type: DataTypes.CHAR(64), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      lockedUntil: { type: DataTypes.DATE(3), allowNull: false },
      responseStatus: { type: DataTypes.INTEGER, allowNull: true },
      responseBody: { type: DataTypes.TEXT, allowNull: true },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: "idempotency_keys", modelName: "IdempotencyKey" },
  );
  return { Order: NodeOrder, OrderItem: NodeOrderItem, IdempotencyKey: NodeIdempotencyKey };
}

/** A TEXT column holding JSON, read and written as a value. */
function jsonColumn(field: string, allowNull: boolean) {
  return {
    type: DataTypes.TEXT,
    allowNull,
    get(this: Model) {
      const raw = this.getDataValue(field as never) as unknown;
      return typeof raw === "string" ? JSON.parse(raw) : (raw ?? null);
    },
    set(this: Model, value: unknown) {
      this.setDataValue(
        field as never,
        (value === null || value === undefined ? null : JSON.stringify(value)) as never,
      );
    },
  };
}
