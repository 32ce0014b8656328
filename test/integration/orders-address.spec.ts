/**
 * Chinese delivery addresses (API.md, "Address") through HTTP: checkout and PATCH /api/orders/:id
 * take province, city and district with an 11-digit mobile number, refuse what is wrong with 422
 * and a type of its own, and keep taking the older shape.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Catalog } from "../helpers/order-catalog.ts";
import { ADDRESS, checkout, shopperWithCart } from "../helpers/orders.ts";
import { ordersModes, useOrdersShop } from "../helpers/orders-suite.ts";
import type { TestShop } from "../helpers/shop.ts";

const CHINESE = {
  name: "张伟",
  phone: "+86 138 0013 8000",
  province: "浙江省",
  city: "杭州市",
  district: "西湖区",
  line1: "文三路 90 号 3 幢 501",
  postalCode: "310012",
};

for (const mode of await ordersModes()) {
  describe(`Chinese addresses (${mode} mode)`, () => {
    const suite = useOrdersShop(mode);
    let shop: TestShop;
    let catalog: Catalog;
    before(() => ({ shop, catalog } = suite));

    it("checks out to a Chinese address, the country CN by default", async () => {
      const s = await shopperWithCart(shop.url, catalog, [[await suite.product(1999, 5), 1]]);
      const res = await checkout(shop.url, s, { address: CHINESE });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(res.body.address, { ...CHINESE, country: "CN" });
    });

    it("refuses a bad mobile number, a missing province or a bad country with 422 and its type", async () => {
      const p = await suite.product(1000, 5);
      const s = await shopperWithCart(shop.url, catalog, [[p, 1]]);
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ ...CHINESE, phone: "1380013800" }, "INVALID_PHONE", "address.phone"],
        [{ ...CHINESE, phone: "010-6552 9988" }, "INVALID_PHONE", "address.phone"],
        [{ ...CHINESE, province: "" }, "ADDRESS_INCOMPLETE", "address.province"],
        [{ ...CHINESE, country: "China" }, "INVALID_COUNTRY", "address.country"],
      ];
      for (const [address, type, field] of cases) {
        const res = await checkout(shop.url, s, { address });
        assert.equal(res.status, 422, JSON.stringify(address));
        assert.equal(res.body.type, type);
        assert.equal(res.body.data[0].field, field);
      }
      assert.equal(await catalog.stock(p), 5, "nothing was reserved");
      assert.equal((await checkout(shop.url, s, { address: ADDRESS })).status, 201, "older shape");
    });

    it("PATCH /api/orders/:id takes a Chinese address and refuses a bad number with INVALID_PHONE", async () => {
      const o = await suite.pendingOrder();
      const api = suite.api(o.shopper);
      const bad = await api.patch(`/api/orders/${o.order.id}`, {
        address: { ...CHINESE, phone: "12345" },
      });
      assert.equal(bad.status, 422);
      assert.equal(bad.body.type, "INVALID_PHONE");
      const noCity = await api.patch(`/api/orders/${o.order.id}`, {
        address: { ...CHINESE, city: " " },
      });
      assert.equal(noCity.status, 422);
      const ok = await api.patch(`/api/orders/${o.order.id}`, {
        address: { ...CHINESE, country: "cn" },
      });
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body.address, { ...CHINESE, country: "CN" });
    });
  });
}
