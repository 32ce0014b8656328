/**
 * After delivery (issue 17, items 3 and 4), in both modes: the buyer confirms receipt, the sweeper
 * completes what nobody confirmed ORDER_AUTO_COMPLETE_DAYS after shipping, the buyer asks for a
 * return within RETURN_WINDOW_DAYS, the merchant of every line (or an admin) approves it (refund
 * once, returned units back once) or rejects it (back to the status it came from, with a reason).
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ordersModes, useOrdersShop } from "../helpers/orders-suite.ts";
import type { Catalog, Shopper } from "../helpers/order-catalog.ts";
import { checkout, eventually, payOrder, shopperWithCart } from "../helpers/orders.ts";
import { client, loginAdmin, registerUser, userWithRole } from "../helpers/http.ts";
import { ADMIN, type TestShop } from "../helpers/shop.ts";
import type { OrdersDeps } from "../../services/orders/deps.ts";
import { completeDueOrders } from "../../services/orders/returns.ts";
import { DAY_MS } from "../../lib/orders/returns.ts";

const modes = await ordersModes();

for (const mode of modes) {
  describe(`order receipt and returns (${mode} mode)`, () => {
    const suite = useOrdersShop(mode);
    let shop: TestShop;
    let catalog: Catalog;
    let admin: ReturnType<typeof client>;
    let deps: OrdersDeps;
    before(async () => {
      ({ shop, catalog } = suite);
      admin = client(shop.url, (await loginAdmin(shop.url, ADMIN)).accessToken);
      const node = shop.nodes.find((n) => n.broker.getLocalService("orders"))!;
      deps = (node.broker.getLocalService("orders") as unknown as { deps: OrdersDeps }).deps;
    });

    /** A paid order of `quantity` units of a new product, shipped by the admin. */
    async function shippedOrder(quantity = 1) {
      const productId = await suite.product(1500, 50);
      const shopper = await shopperWithCart(shop.url, catalog, [[productId, quantity]]);
      const created = await checkout(shop.url, shopper);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const paid = await payOrder(shop.url, shopper, created.body.id);
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      const shipped = await admin.patch(`/api/admin/orders/${created.body.id}`, {
        status: "shipped",
      });
      assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
      await eventually("the stock committed", async () =>
        (await catalog.reservation(created.body.id)).status === "committed" ? true : undefined,
      );
      return { shopper, orderId: String(created.body.id), productId };
    }
    const api = (s: Shopper) => suite.api(s);
    const status = async (id: string) => (await deps.models.Order.findByPk(id))!.status;
    /** Moves the order's delivery times back by `days` (as if that much time had passed). */
    const age = async (id: string, days: number) => {
      const o = (await deps.models.Order.findByPk(id))!;
      const back = (d: Date | null) => (d ? new Date(d.getTime() - days * DAY_MS) : null);
      await deps.models.Order.update(
        { shippedAt: back(o.shippedAt), completedAt: back(o.completedAt) },
        { where: { id } },
      );
    };
    /** Makes every line of the order the merchant's. */
    const ownedBy = (orderId: string, merchantId: string) =>
      deps.models.OrderItem.update({ merchantId }, { where: { orderId } });

    it("only the buyer confirms receipt of a shipped order; anything else is 404 or 409", async () => {
      const { shopper, orderId } = await shippedOrder();
      const other = await registerUser(shop.url, "other");
      const foreign = await api(other).post(`/api/orders/${orderId}/receive`);
      assert.equal(foreign.status, 404, JSON.stringify(foreign.body));
      const res = await api(shopper).post(`/api/orders/${orderId}/receive`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, "completed");
      assert.equal(res.body.returnRequest, null);
      const again = await api(shopper).post(`/api/orders/${orderId}/receive`);
      assert.equal(again.status, 409);
      assert.equal(again.body.type, "ORDER_NOT_SHIPPED");
      const { shopper: s2, order } = await suite.paidOrder();
      const notShipped = await api(s2).post(`/api/orders/${order.id}/receive`);
      assert.equal(notShipped.status, 409);
      assert.equal(notShipped.body.type, "ORDER_NOT_SHIPPED");
    });

    it("completes a shipped order by itself ORDER_AUTO_COMPLETE_DAYS after shipping", async () => {
      const due = await shippedOrder();
      const notYet = await shippedOrder();
      await age(due.orderId, 11);
      await age(notYet.orderId, 9);
      // The loop of the orders nodes completes it on its own.
      await eventually("the sweeper", async () =>
        (await status(due.orderId)) === "completed" ? true : undefined,
      );
      assert.equal(await completeDueOrders(deps), 0, "nothing else due");
      assert.equal(await status(notYet.orderId), "shipped");
      // The clock is injectable: a day later the other one is due too.
      assert.ok((await completeDueOrders(deps, new Date(Date.now() + 2 * DAY_MS))) >= 1);
      assert.equal(await status(notYet.orderId), "completed");
      const shown = await api(due.shopper).get(`/api/orders/${due.orderId}`);
      assert.equal(shown.body.status, "completed");
    });

    it("takes a return request within the window and refuses it outside or before shipping", async () => {
      const { shopper, orderId, productId } = await shippedOrder(2);
      const other = await registerUser(shop.url, "other");
      const foreign = await api(other).post(`/api/orders/${orderId}/return`, { reason: "mine?" });
      assert.equal(foreign.status, 404);
      const bad = await api(shopper).post(`/api/orders/${orderId}/return`, {
        reason: "too many",
        items: [{ productId, quantity: 3 }],
      });
      assert.equal(bad.status, 422, JSON.stringify(bad.body));
      assert.equal(bad.body.type, "INVALID_RETURN_ITEMS");
      const empty = await api(shopper).post(`/api/orders/${orderId}/return`, {});
      assert.equal(empty.status, 422);
      const res = await api(shopper).post(`/api/orders/${orderId}/return`, {
        reason: "arrived broken",
        items: [{ productId, quantity: 1 }],
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, "return_requested");
      assert.equal(res.body.returnRequest.status, "requested");
      assert.equal(res.body.returnRequest.reason, "arrived broken");
      assert.deepEqual(res.body.returnRequest.items, [{ productId, quantity: 1 }]);
      assert.equal(res.body.returnRequest.decidedAt, null);
      const twice = await api(shopper).post(`/api/orders/${orderId}/return`, { reason: "again" });
      assert.equal(twice.status, 409);
      assert.equal(twice.body.type, "ORDER_NOT_RETURNABLE");

      const late = await shippedOrder();
      assert.equal(
        (await api(late.shopper).post(`/api/orders/${late.orderId}/receive`)).status,
        200,
      );
      await age(late.orderId, 8);
      const closed = await api(late.shopper).post(`/api/orders/${late.orderId}/return`, {
        reason: "late",
      });
      assert.equal(closed.status, 409, JSON.stringify(closed.body));
      assert.equal(closed.body.type, "RETURN_WINDOW_CLOSED");

      const { shopper: s2, order } = await suite.paidOrder();
      const paid = await api(s2).post(`/api/orders/${order.id}/return`, { reason: "not yet" });
      assert.equal(paid.status, 409);
      assert.equal(paid.body.type, "ORDER_NOT_RETURNABLE");
    });

    it("only the merchant of every line or an admin decides; others get 404 or 403", async () => {
      const { shopper, orderId } = await shippedOrder();
      const merchant = await userWithRole(shop.url, ADMIN, "merchant");
      const rival = await userWithRole(shop.url, ADMIN, "merchant");
      await ownedBy(orderId, merchant.user.id);
      const asked = await api(shopper).post(`/api/orders/${orderId}/return`, { reason: "no" });
      assert.equal(asked.status, 200);
      const path = `/api/merchant/orders/${orderId}/return/decide`;
      const byRival = await client(shop.url, rival.accessToken).post(path, { approve: true });
      assert.equal(byRival.status, 404, JSON.stringify(byRival.body));
      const byBuyer = await api(shopper).post(path, { approve: true });
      assert.equal(byBuyer.status, 403);
      const noReason = await client(shop.url, merchant.accessToken).post(path, { approve: false });
      assert.equal(noReason.status, 422);
      const rejected = await client(shop.url, merchant.accessToken).post(path, {
        approve: false,
        reason: "the seal is broken by use",
      });
      assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
      assert.equal(rejected.body.status, "shipped", "back to the status it was requested from");
      assert.equal(rejected.body.returnRequest.status, "rejected");
      assert.equal(rejected.body.returnRequest.decisionReason, "the seal is broken by use");
      assert.ok(rejected.body.returnRequest.decidedAt);
      const again = await client(shop.url, merchant.accessToken).post(path, { approve: true });
      assert.equal(again.status, 409);
      assert.equal(again.body.type, "RETURN_NOT_REQUESTED");
    });

    it("an approved return refunds the payment once and restocks the returned units once", async () => {
      const { shopper, orderId, productId } = await shippedOrder(3);
      const received = await api(shopper).post(`/api/orders/${orderId}/receive`);
      assert.equal(received.status, 200);
      const before = await catalog.stock(productId);
      const asked = await api(shopper).post(`/api/orders/${orderId}/return`, {
        reason: "wrong size",
        items: [{ productId, quantity: 2 }],
      });
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
      const path = `/api/merchant/orders/${orderId}/return/decide`;
      const approved = await admin.post(path, { approve: true });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(approved.body.status, "refunded");
      assert.equal(approved.body.returnRequest.status, "approved");
      const twice = await admin.post(path, { approve: true });
      assert.equal(twice.status, 409);
      assert.equal(twice.body.type, "RETURN_NOT_REQUESTED");
      assert.deepEqual(
        approved.body.items.map((i: { refundedQuantity: number }) => i.refundedQuantity),
        [2],
      );
      // 2 of the 3 units came back: their price is refunded, the kept unit stays paid for.
      const refunded = await eventually("the refund shown on the order", async () => {
        const o = await api(shopper).get(`/api/orders/${orderId}`);
        return o.body.payment?.status === "partially_refunded" ? o.body.payment : undefined;
      });
      assert.equal(refunded.amount, 4500);
      assert.equal(refunded.refundedAmount, 3000);
      await eventually("the returned units back", async () =>
        (await catalog.stock(productId)) === before + 2 ? true : undefined,
      );
      const payments = await suite.payments(orderId);
      assert.equal(payments.filter((p) => p.status === "partially_refunded").length, 1);
      assert.equal(payments.filter((p) => p.status === "captured").length, 0);
      // The kept unit is still sold.
      await eventually("the sold count of the kept unit", async () => {
        const p = await api(shopper).get(`/api/products/${productId}`);
        return p.body.soldCount === 1 ? true : undefined;
      });
      assert.equal((await catalog.reservation(orderId)).status, "released");
      // A repeated restock (a retried message) returns nothing more.
      await catalog.broker.call("products.restock", {
        orderId,
        items: [{ productId, quantity: 2 }],
      });
      await catalog.broker.call("products.release", { orderId });
      assert.equal(await catalog.stock(productId), before + 2);
    });

    it("a return of every unit refunds the whole capture and leaves nothing sold", async () => {
      const { shopper, orderId, productId } = await shippedOrder(2);
      const asked = await api(shopper).post(`/api/orders/${orderId}/return`, {
        reason: "not as described",
      });
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
      const approved = await admin.post(`/api/merchant/orders/${orderId}/return/decide`, {
        approve: true,
      });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      const payment = await eventually("the refund shown on the order", async () => {
        const o = await api(shopper).get(`/api/orders/${orderId}`);
        return o.body.payment?.status === "refunded" ? o.body.payment : undefined;
      });
      assert.equal(payment.refundedAmount, 3000);
      await eventually("nothing of it sold", async () => {
        const p = await api(shopper).get(`/api/products/${productId}`);
        return p.body.soldCount === 0 ? true : undefined;
      });
    });
  });
}
