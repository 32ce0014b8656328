/**
 * orders: checkout, the order lifecycle, payment of orders, and the expiry of unpaid ones.
 * Owns the tables `orders`, `order_items`, `idempotency_keys` and `order_outbox`; reaches stock,
 * carts and money only through products.*, carts.* and payments.* (see docs/orders.md).
 */
import type { ServiceSchema, ServiceSettingSchema } from "moleculer";
import { paramsOf } from "../lib/http/routes/index.ts";
import { checkAddress } from "../lib/orders/address.ts";
import { purgeExpiredKeys } from "../lib/orders/idempotency-store.ts";
import { defineOrderModels, type OrderModels } from "../lib/orders/models.ts";
import type { OrderView } from "../lib/orders/view.ts";
import { startLoop, type Loop } from "../lib/loop.ts";
import { Outbox } from "../lib/outbox/outbox.ts";
import type { Page } from "../lib/pagination.ts";
import type { PaymentView } from "../lib/payments/models.ts";
import { platformOf } from "../lib/platform.ts";
import { DbMixin, type DbVars } from "../mixins/db.mixin.ts";
import { checkout, type CheckoutParams } from "./orders/checkout.ts";
import {
  checkoutAddress,
  saveCheckoutAddress,
  type AddressChoice,
} from "./orders/checkout-address.ts";
import { createDeliver } from "./orders/deliver.ts";
import type { Ctx, OrdersDeps } from "./orders/deps.ts";
import { expireDueOrders } from "./orders/expire.ts";
import { reconcileHeldStock } from "./orders/reconcile.ts";
import { cancelOrder, changeAddress, fulfil } from "./orders/manage.ts";
import { pay, type PayParams } from "./orders/pay.ts";
import { reviewableActions } from "./orders/reviewable.ts";
import { getOwn, list, listOwn, type AdminListParams, type ListParams } from "./orders/queries.ts";
import { settlePayment } from "./orders/settle.ts";
import {
  completeDueOrders,
  decideReturn,
  receiveOrder,
  requestReturn,
  type DecideParams,
  type ReturnParams,
} from "./orders/returns.ts";
import {
  listMerchantOrders,
  merchantSummary,
  shipAsMerchant,
  type ShipParams,
} from "./orders/merchant.ts";
import type { MerchantOrderView, SalesSummary } from "../lib/orders/merchant.ts";

/**
 * Moleculer honours an action's own `timeout` (for local and remote callers) though its types do
 * not declare it.
 */
function actionTimeout(ms: number): Record<string, never> {
  return { timeout: ms } as unknown as Record<string, never>;
}

interface OrdersVars extends DbVars<OrderModels> {
  deps: OrdersDeps;
  loops: Loop[];
}

const OrdersService: ServiceSchema<ServiceSettingSchema, Record<string, never>, OrdersVars> = {
  name: "orders",
  mixins: [DbMixin(defineOrderModels)],

  actions: {
    ...reviewableActions,

    /** Turns the caller's cart into a pending order (and pays it when a card is given). */
    checkout: {
      // A flash sale queues here rather than failing; each checkout bounds its own calls.
      bulkhead: { enabled: true, concurrency: 50, maxQueueSize: 10_000 },
      ...actionTimeout(60_000),
      params: paramsOf("orders.checkout"),
      async handler(ctx: Ctx<CheckoutParams & AddressChoice>): Promise<OrderView> {
        // The body as sent is the request an Idempotency-Key stands for (an id, not its address).
        const request = { ...ctx.params };
        ctx.params.address = await checkoutAddress(this.deps, ctx);
        const order = await checkout(this.deps, ctx, request);
        await saveCheckoutAddress(this.deps, ctx, request, ctx.params.address);
        return order;
      },
    },

    /** The caller's orders, newest first. */
    list: {
      params: paramsOf("orders.list"),
      handler(ctx: Ctx<ListParams>): Promise<Page<OrderView>> {
        return listOwn(this.deps, ctx);
      },
    },

    /** One of the caller's orders. */
    get: {
      params: paramsOf("orders.get"),
      handler(ctx: Ctx<{ id: string }>): Promise<OrderView> {
        return getOwn(this.deps, ctx);
      },
    },

    /** Changes the delivery address of the caller's pending order. */
    updateAddress: {
      params: paramsOf("orders.updateAddress"),
      handler(ctx: Ctx<{ id: string; address: CheckoutParams["address"] }>): Promise<OrderView> {
        ctx.params.address = checkAddress(ctx.params.address);
        return changeAddress(this.deps, ctx);
      },
    },

    /** Pays the caller's pending order with a card. */
    pay: {
      ...actionTimeout(30_000),
      params: paramsOf("orders.pay"),
      handler(ctx: Ctx<PayParams>): Promise<OrderView> {
        return pay(this.deps, ctx);
      },
    },

    /** Cancels a pending order or refunds a paid one; the stock returns either way. */
    cancel: {
      params: paramsOf("orders.cancel"),
      handler(ctx: Ctx<{ id: string }>): Promise<OrderView> {
        return cancelOrder(this.deps, ctx);
      },
    },

    /** Every order, for administrators. */
    adminList: {
      params: paramsOf("orders.adminList"),
      handler(ctx: Ctx<AdminListParams>): Promise<Page<OrderView>> {
        return list(this.deps, ctx.params);
      },
    },

    /** Fulfilment by an administrator: ships or completes a paid order. */
    fulfil: {
      params: paramsOf("orders.fulfil"),
      handler(ctx: Ctx<{ id: string; status: "shipped" | "completed" }>): Promise<OrderView> {
        return fulfil(this.deps, ctx);
      },
    },

    /** The buyer confirms receipt of a shipped order. */
    receive: {
      params: paramsOf("orders.receive"),
      handler(ctx: Ctx<{ id: string }>): Promise<OrderView> {
        return receiveOrder(this.deps, ctx);
      },
    },

    /** The buyer asks to return a shipped or completed order within the return window. */
    requestReturn: {
      params: paramsOf("orders.requestReturn"),
      handler(ctx: Ctx<ReturnParams>): Promise<OrderView> {
        return requestReturn(this.deps, ctx);
      },
    },

    /** The merchant of the order's products (or an admin) approves or rejects its return. */
    decideReturn: {
      params: paramsOf("orders.decideReturn"),
      handler(ctx: Ctx<DecideParams>): Promise<OrderView> {
        return decideReturn(this.deps, ctx);
      },
    },

    /** Orders holding the calling merchant's products, with only its lines. */
    merchantList: {
      params: paramsOf("orders.merchantList"),
      handler(ctx: Ctx<ListParams>): Promise<Page<MerchantOrderView>> {
        return listMerchantOrders(this.deps, ctx);
      },
    },

    /** The calling merchant ships an order all of whose lines are its own. */
    merchantShip: {
      params: paramsOf("orders.merchantShip"),
      handler(ctx: Ctx<ShipParams>): Promise<MerchantOrderView> {
        return shipAsMerchant(this.deps, ctx);
      },
    },

    /** The calling merchant's sales summary. */
    merchantSummary: {
      params: paramsOf("orders.merchantSummary"),
      handler(ctx: Ctx<{ days?: number }>): Promise<SalesSummary> {
        return merchantSummary(this.deps, ctx);
      },
    },

    /** Internal (payments outbox): a capture to settle against its order; idempotent. */
    paymentCaptured: {
      visibility: "public",
      params: { payment: { type: "object" } },
      async handler(ctx: Ctx<{ payment: PaymentView }>) {
        return { settlement: (await settlePayment(this.deps, ctx.params.payment)).kind };
      },
    },
  },

  created() {
    const platform = platformOf(this.broker);
    const { db: sequelize, models } = this;
    const { config } = platform;
    const recoveryMs = config.orderRecoverySeconds * 1000;
    const deliver = createDeliver(() => this.deps);
    this.deps = {
      broker: this.broker,
      logger: this.logger,
      sequelize,
      models,
      outbox: new Outbox(sequelize, {
        table: "order_outbox",
        leaseMs: recoveryMs,
        logger: this.logger,
      }),
      deliver,
      idempotency: {
        sequelize,
        IdempotencyKey: models.IdempotencyKey,
        lockMs: recoveryMs,
        waitMs: 2_000,
        retentionMs: 24 * 3600_000,
      },
      settings: {
        paymentTtlMs: config.orderPaymentTtlSeconds * 1000,
        recoveryMs,
        maxPendingOrders: config.maxPendingOrders,
        callTimeoutMs: config.requestTimeoutMs,
        autoCompleteDays: config.orderAutoCompleteDays,
        returnWindowDays: config.returnWindowDays,
        autoCompleteSweepMs: 5_000,
      },
    };
    this.loops = [];
  },

  started() {
    const deps = this.deps;
    const warn = (what: string) => (err: unknown) => this.logger.warn(`${what} failed`, err);
    this.loops = [
      startLoop(() => deps.outbox.relay(deps.deliver), 500, warn("Outbox relay")),
      startLoop(() => expireDueOrders(deps), 1_000, warn("Expiry sweep")),
      startLoop(
        () => completeDueOrders(deps),
        deps.settings.autoCompleteSweepMs,
        warn("Auto-complete sweep"),
      ),
      startLoop(
        () => reconcileHeldStock(deps),
        Math.max(5_000, deps.settings.recoveryMs),
        warn("Stock reconciliation"),
      ),
      startLoop(
        async () => {
          await deps.outbox.purgeDelivered(7 * 86_400_000);
          await purgeExpiredKeys(deps.idempotency);
        },
        600_000,
        warn("Housekeeping"),
      ),
    ];
  },

  async stopped() {
    await Promise.all(this.loops.map((l) => l.stop()));
  },
};

export default OrdersService;
