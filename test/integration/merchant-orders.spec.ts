/**
 * A merchant's orders through HTTP, in both modes (API.md "Merchants"): it sees only the lines of
 * its own products and never the buyer's email or payment, ships an order that is all its own,
 * gets 404 for another merchant's and 409 for a mixed one (the admin ships those), and reads its
 * sales summary. Also the buyer's order search and tabs.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { client, loginAdmin, registerUser, userWithRole } from "../helpers/http.ts";
import { ADDRESS, checkout, payOrder, shopperWithCart } from "../helpers/orders.ts";
import type { Catalog, Shopper } from "../helpers/order-catalog.ts";
import { ordersModes, useOrdersShop } from "../helpers/orders-suite.ts";
import { ADMIN, type TestShop } from "../helpers/shop.ts";

const modes = await ordersModes();

interface Merchant {
  accessToken: string;
  user: { id: string };
}

/** Random letters: a digit in a product's name could match an order id that a test searches. */
function letters(bytes: number): string {
  return randomBytes(bytes)
    .toString("hex")
    .replace(/\d/g, (d) => "ghijklmnop"[Number(d)]);
}

for (const mode of modes) {
  describe(`merchant orders (${mode} mode)`, () => {
    const suite = useOrdersShop(mode);
    let shop: TestShop;
    let catalog: Catalog;
    let m1: Merchant;
    let m2: Merchant;
    before(async () => {
      ({ shop, catalog } = suite);
      [m1, m2] = await Promise.all([
        userWithRole(shop.url, ADMIN, "merchant", "seller1"),
        userWithRole(shop.url, ADMIN, "merchant", "seller2"),
      ]);
    });
    const as = (m: { accessToken: string }) => client(shop.url, m.accessToken);

    async function productOf(m: Merchant, price: number, name?: string): Promise<string> {
      const res = await as(m).post("/api/products", {
        name: name ?? `Item ${letters(3)}`,
        description: "for the merchant orders tests",
        price,
        stock: 100,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return String(res.body.id);
    }

    /** A paid (or, with pay false, pending) order of these lines for a new shopper. */
    async function order(
      lines: Array<[string, number]>,
      pay = true,
    ): Promise<{ shopper: Shopper; id: string }> {
      const shopper = await shopperWithCart(shop.url, catalog, lines);
      const res = await checkout(shop.url, shopper, { address: ADDRESS, email: "b@example.com" });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      if (pay) {
        const paid = await payOrder(shop.url, shopper, res.body.id);
        assert.equal(paid.status, 200, JSON.stringify(paid.body));
      }
      return { shopper, id: res.body.id };
    }

    it("writes the seller on each line; a merchant sees only its lines, no email or payment", async () => {
      const a = await productOf(m1, 1000);
      const b = await productOf(m2, 700);
      const o = await order([
        [a, 2],
        [b, 1],
      ]);
      const buyerView = (await client(shop.url, o.shopper.accessToken).get(`/api/orders/${o.id}`))
        .body;
      assert.deepEqual(
        buyerView.items.map((i: { productId: string; merchantId: string }) => [
          i.productId,
          i.merchantId,
        ]),
        [
          [a, m1.user.id],
          [b, m2.user.id],
        ],
      );
      assert.equal(buyerView.total, 2700);

      const list = await as(m1).get("/api/merchant/orders");
      assert.equal(list.status, 200, JSON.stringify(list.body));
      const mine = list.body.rows.find((r: { id: string }) => r.id === o.id);
      assert.ok(mine, "the order is in the merchant's list");
      assert.deepEqual(
        mine.items.map((i: { productId: string }) => i.productId),
        [a],
      );
      assert.equal(mine.total, 2000, "the merchant's subtotal");
      assert.deepEqual(mine.address, ADDRESS);
      assert.ok(!("email" in mine) && !("payment" in mine) && !("userId" in mine));
      assert.equal(mine.status, "paid");

      const other = (await as(m2).get(`/api/merchant/orders?q=${o.id}`)).body;
      assert.deepEqual(
        other.rows.map((r: { id: string; total: number }) => [r.id, r.total]),
        [[o.id, 700]],
      );
      // A merchant without products sees nothing.
      const m3 = await userWithRole(shop.url, ADMIN, "merchant", "seller3");
      assert.equal((await as(m3).get("/api/merchant/orders")).body.total, 0);
    });

    it("ships its own paid order with a carrier and tracking number, once", async () => {
      const p = await productOf(m1, 1500);
      const o = await order([[p, 1]]);
      const res = await as(m1).post(`/api/merchant/orders/${o.id}/ship`, {
        carrier: "SF Express",
        trackingNumber: "SF100200300",
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, "shipped");
      assert.equal(res.body.shipment.carrier, "SF Express");
      assert.equal(res.body.shipment.trackingNumber, "SF100200300");
      const buyer = (await client(shop.url, o.shopper.accessToken).get(`/api/orders/${o.id}`)).body;
      assert.equal(buyer.status, "shipped");
      assert.deepEqual(buyer.shipment, res.body.shipment);
      const again = await as(m1).post(`/api/merchant/orders/${o.id}/ship`, {
        carrier: "SF Express",
        trackingNumber: "SF100200300",
      });
      assert.equal(again.status, 409);
      assert.equal(again.body.type, "ORDER_NOT_PAID");
      const unpaid = await order([[p, 1]], false);
      const early = await as(m1).post(`/api/merchant/orders/${unpaid.id}/ship`, {
        carrier: "SF",
        trackingNumber: "1",
      });
      assert.equal(early.status, 409);
      assert.equal(early.body.type, "ORDER_NOT_PAID");
      const bad = await as(m1).post(`/api/merchant/orders/${o.id}/ship`, { carrier: "SF" });
      assert.equal(bad.status, 422);
    });

    it("keeps other merchants and customers out: 404 for another's order, 403 for a customer", async () => {
      const p = await productOf(m1, 900);
      const o = await order([[p, 1]]);
      const intruder = await as(m2).post(`/api/merchant/orders/${o.id}/ship`, {
        carrier: "SF",
        trackingNumber: "X1",
      });
      assert.equal(intruder.status, 404);
      assert.equal(
        (
          await as(m2).post("/api/merchant/orders/999999999/ship", {
            carrier: "SF",
            trackingNumber: "X1",
          })
        ).status,
        404,
      );
      const customer = await registerUser(shop.url, "nosy");
      assert.equal((await as(customer).get("/api/merchant/orders")).status, 403);
      assert.equal((await as(customer).get("/api/merchant/summary")).status, 403);
      assert.equal(
        (
          await as(customer).post(`/api/merchant/orders/${o.id}/ship`, {
            carrier: "SF",
            trackingNumber: "X1",
          })
        ).status,
        403,
      );
      assert.equal((await client(shop.url).get("/api/merchant/orders")).status, 401);
      const still = (await client(shop.url, o.shopper.accessToken).get(`/api/orders/${o.id}`)).body;
      assert.equal(still.status, "paid");
    });

    it("leaves a mixed order to the admin: 409 for the merchant, the admin ships it", async () => {
      const a = await productOf(m1, 300);
      const b = await productOf(m2, 400);
      const o = await order([
        [a, 1],
        [b, 1],
      ]);
      const refused = await as(m1).post(`/api/merchant/orders/${o.id}/ship`, {
        carrier: "SF",
        trackingNumber: "M1",
      });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.type, "ORDER_HAS_OTHER_MERCHANTS");
      const admin = await loginAdmin(shop.url, ADMIN);
      const shipped = await as(admin).patch(`/api/admin/orders/${o.id}`, {
        status: "shipped",
        carrier: "EMS",
        trackingNumber: "E123",
      });
      assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
      assert.equal(shipped.body.status, "shipped");
      assert.equal(shipped.body.shipment.carrier, "EMS");
      const plain = await order([[a, 1]]);
      const noTracking = await as(admin).patch(`/api/admin/orders/${plain.id}`, {
        status: "shipped",
      });
      assert.equal(noTracking.status, 200);
      assert.equal(noTracking.body.shipment.carrier, null);
      assert.equal(noTracking.body.shipment.trackingNumber, null);
    });

    it("sums its own sales of paid orders, less refunded units, by day and product", async () => {
      const seller = await userWithRole(shop.url, ADMIN, "merchant", "summary");
      const rival = await productOf(m2, 5000);
      const x = await productOf(seller, 1000, "Summary X");
      const y = await productOf(seller, 250, "Summary Y");
      await order([
        [x, 2],
        [rival, 1],
      ]); // paid: 2000 of it is the seller's
      const shipped = await order([[y, 4]]); // 1000
      const ship = await as(seller).post(`/api/merchant/orders/${shipped.id}/ship`, {
        carrier: "SF",
        trackingNumber: "S1",
      });
      assert.equal(ship.status, 200);
      await order([[x, 5]], false); // pending: not a sale
      const cancelled = await order([[y, 1]]);
      const refund = await client(shop.url, cancelled.shopper.accessToken).post(
        `/api/orders/${cancelled.id}/cancel`,
        {},
      );
      assert.equal(refund.body.status, "refunded"); // refunded: not a sale
      // 3 of y shipped, 1 returned: the 2 kept (500) stay sales.
      const returned = await order([[y, 3]]);
      const shipped2 = await as(seller).post(`/api/merchant/orders/${returned.id}/ship`, {
        carrier: "SF",
        trackingNumber: "S2",
      });
      assert.equal(shipped2.status, 200);
      const buyer = client(shop.url, returned.shopper.accessToken);
      const asked = await buyer.post(`/api/orders/${returned.id}/return`, {
        reason: "one was scratched",
        items: [{ productId: y, quantity: 1 }],
      });
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
      const decided = await as(seller).post(`/api/merchant/orders/${returned.id}/return/decide`, {
        approve: true,
      });
      assert.equal(decided.status, 200, JSON.stringify(decided.body));
      assert.deepEqual(
        decided.body.items.map((i: { quantity: number; refundedQuantity: number }) => [
          i.quantity,
          i.refundedQuantity,
        ]),
        [[3, 1]],
      );

      const res = await as(seller).get("/api/merchant/summary?days=7");
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const s = res.body;
      assert.equal(s.revenue, 3500);
      assert.equal(s.orders, 3);
      assert.equal(s.unitsSold, 8);
      assert.equal(s.byDay.length, 7);
      const today = new Date().toISOString().slice(0, 10);
      assert.deepEqual(s.byDay.at(-1), { date: today, revenue: 3500, orders: 3 });
      assert.ok(s.byDay.slice(0, -1).every((d: { revenue: number }) => d.revenue === 0));
      assert.deepEqual(s.topProducts, [
        { productId: x, name: "Summary X", units: 2, revenue: 2000 },
        { productId: y, name: "Summary Y", units: 6, revenue: 1500 },
      ]);
      assert.equal((await as(seller).get("/api/merchant/summary?days=91")).status, 422);
      assert.equal((await as(seller).get("/api/merchant/summary?days=0")).status, 422);
    });

    it("searches by order id or product name and filters by tab, for buyers and merchants", async () => {
      const tag = letters(4);
      const kettle = await productOf(m1, 800, `Kettle 100%_${tag}`);
      const mug = await productOf(m1, 200, `Mug ${tag}`);
      const shopper = await shopperWithCart(shop.url, catalog, [[kettle, 1]]);
      const first = await checkout(shop.url, shopper);
      await payOrder(shop.url, shopper, first.body.id);
      await catalog.addToCart(shopper, mug, 1);
      const second = await checkout(shop.url, shopper);
      assert.equal(second.status, 201);
      const buyer = client(shop.url, shopper.accessToken);
      const ids = async (path: string) => {
        const res = await buyer.get(path);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body.rows.map((r: { id: string }) => r.id);
      };
      assert.deepEqual(await ids(`/api/orders?q=${encodeURIComponent("Kettle 100%_")}`), [
        first.body.id,
      ]);
      assert.deepEqual(await ids(`/api/orders?q=${encodeURIComponent("100%x")}`), []);
      assert.deepEqual(await ids(`/api/orders?q=${second.body.id}`), [second.body.id]);
      assert.deepEqual(await ids("/api/orders?status=to_pay"), [second.body.id]);
      assert.deepEqual(await ids("/api/orders?status=to_ship"), [first.body.id]);
      assert.deepEqual(await ids("/api/orders?status=to_receive"), []);
      assert.deepEqual(await ids(`/api/orders?status=to_ship&q=Mug`), []);
      assert.equal((await buyer.get("/api/orders?status=someday")).status, 422);

      const merchant = as(m1);
      const toShip = await merchant.get(`/api/merchant/orders?status=to_ship&q=${tag}`);
      assert.deepEqual(
        toShip.body.rows.map((r: { id: string }) => r.id),
        [first.body.id],
      );
      const byName = await merchant.get(
        `/api/merchant/orders?q=${encodeURIComponent(`Mug ${tag}`)}`,
      );
      assert.deepEqual(
        byName.body.rows.map((r: { id: string }) => r.id),
        [second.body.id],
      );
      // Another merchant's products' names find nothing in this merchant's list.
      assert.equal((await as(m2).get(`/api/merchant/orders?q=${tag}`)).body.total, 0);
    });
  });
}
