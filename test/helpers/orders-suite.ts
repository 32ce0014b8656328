/**
 * The shop the orders suites run against (orders.spec.ts, orders-idempotency.spec.ts): started
 * before a suite and stopped after it, with the small helpers those suites share.
 */
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { attachCatalog, type Catalog, type Shopper } from "./order-catalog.ts";
import type { OrderView } from "../../lib/orders/view.ts";
import { client } from "./http.ts";
import { checkout, payOrder, shopperWithCart } from "./orders.ts";
import { clusterLayout } from "./orders-shop.ts";
import { testModes } from "./infra.ts";
import { startShop, type Mode, type TestShop } from "./shop.ts";

/** The modes the orders suites run in: both where the servers are there, or ONLY_MODE. */
export async function ordersModes(): Promise<Mode[]> {
  return (await testModes()).filter((m) => !process.env.ONLY_MODE || m === process.env.ONLY_MODE);
}

/** The fields of an order as API.md shows it, sorted. */
export const ORDER_KEYS = [
  "address",
  "createdAt",
  "currency",
  "email",
  "expiresAt",
  "id",
  "items",
  "payment",
  "returnRequest",
  "shipment",
  "status",
  "total",
  "updatedAt",
  "userId",
];

export interface OrdersSuite {
  readonly shop: TestShop;
  readonly catalog: Catalog;
  api(s: Shopper): ReturnType<typeof client>;
  product(price?: number, stock?: number): Promise<string>;
  /** A pending order of one product for a new shopper. */
  pendingOrder(price?: number): Promise<{ shopper: Shopper; order: OrderView; productId: string }>;
  paidOrder(): Promise<{ shopper: Shopper; order: OrderView; productId: string }>;
  payments(orderId: string): Promise<Array<{ id: string; status: string; amount: number }>>;
}

/** Registers the suite's before/after hooks; the shop is there once they have run. */
export function useOrdersShop(mode: Mode): OrdersSuite {
  let shop: TestShop;
  let catalog: Catalog;
  before(async () => {
    shop = await startShop(mode, { layout: clusterLayout() });
    catalog = await attachCatalog(shop);
  });
  after(async () => {
    await catalog?.stop();
    await shop?.stop();
  });
  const suite: OrdersSuite = {
    get shop() {
      return shop;
    },
    get catalog() {
      return catalog;
    },
    api: (s) => client(shop.url, s.accessToken),
    product: (price = 1000, stock = 50) => catalog.createProduct({ price, stock }),
    async pendingOrder(price = 1000) {
      const p = await suite.product(price);
      const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
      const res = await checkout(shop.url, s);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return { shopper: s, order: res.body, productId: p };
    },
    async paidOrder() {
      const o = await suite.pendingOrder();
      const res = await payOrder(shop.url, o.shopper, o.order.id);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return { ...o, order: res.body };
    },
    payments: (orderId) =>
      catalog.broker.call<Array<{ id: string; status: string; amount: number }>, object>(
        "payments.forOrder",
        { orderId },
      ),
  };
  return suite;
}
