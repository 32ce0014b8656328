/**
 * End-to-end (issue 17): after the sale, in a zh-CN browser (the app's default language).
 * 1. A merchant creates a product in the merchant console; a shopper buys it with the test card
 *    4242…; the merchant ships it from 商家后台 → 待处理订单 with a carrier and a tracking number;
 *    the shopper confirms receipt on the order page and writes a 5-star review of the line; the
 *    product page shows the rating and the review.
 * 2. A second order is shipped by the admin, the shopper asks for a return with a reason, the admin
 *    approves it on the admin orders page, and the product's stock comes back.
 * The merchant orders page, the sales page and the order page with its after-sale actions are
 * photographed (test/artifacts/screenshots/after-sale-*.png) and scanned with axe.
 * Run alone: `npm run test:e2e -- test/e2e/after-sale.e2e.ts` (starts an embedded shop for it).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { pick } from "./lib/address.ts";
import * as api from "./lib/api.ts";
import {
  DESKTOP,
  SHOP_URL,
  expectAttribute,
  expectCount,
  expectText,
  launch,
  openPage,
  screenshot,
  visit,
  type Browser,
  type Page,
} from "./lib/browser.ts";

const ZH = "zh-CN";
const TAG = `E2E${api.RUN}`;
const STOCK = 10;

let browser: Browser | undefined;
let skip: string | false = false;
let adminAccount: api.Account;
let merchant: api.Account;

before(async () => {
  const required = process.env.E2E_REQUIRED === "1";
  if (!(await api.shopIsUp())) {
    skip = `the shop does not answer at ${SHOP_URL}`;
    if (required) throw new Error(skip);
    return;
  }
  try {
    browser = await launch();
  } catch (error) {
    skip = (error as Error).message;
    if (required) throw error;
    return;
  }
  // Setup with no bearing on the flow: a merchant account (the admin's users page is covered by
  // shop.e2e.ts and pages.e2e.ts).
  adminAccount = await api.admin();
  const registered = await api.register("after-sale-merchant", "售后商家");
  await api.setRole(adminAccount.accessToken, registered.id, "merchant");
  // A role change ends the account's sessions: log in again for a token with the new role.
  merchant = await api.login(registered.email, registered.password);
});

after(async () => {
  await browser?.close();
});

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await visit(page, "/login");
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("account-menu").waitFor();
}

/** Opens the account menu and follows one of its links. */
async function menu(page: Page, testId: string): Promise<void> {
  await page.getByTestId("account-menu").click();
  await page.getByTestId(testId).click();
}

/** Goes to "my orders" and opens the order from the list, as the shopper would (fresh data). */
async function openOrderFromList(page: Page, orderId: string): Promise<void> {
  await visit(page, "/orders");
  await page.locator(`[data-testid="order-row"][data-order-id="${orderId}"] a`).first().click();
  await page.waitForURL(new RegExp(`/orders/${encodeURIComponent(orderId)}$`));
}

async function stockOf(productId: string): Promise<number> {
  const p = await api.call<{ stock: number }>("GET", `/products/${encodeURIComponent(productId)}`);
  return p.stock;
}

/** Waits (the restock goes through the outbox) until the product's stock is `expected`. */
async function expectStock(productId: string, expected: number, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = -1;
  while (Date.now() < deadline) {
    last = await stockOf(productId);
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Expected stock ${expected}, last saw ${last}`);
}

describe("after the sale (zh-CN)", () => {
  it("a merchant ships, the buyer confirms and reviews, the rating shows on the product page", async (t) => {
    if (skip) return t.skip(skip);
    const name = `${TAG} 青瓷茶杯`;
    const reviewText = `${TAG} 釉色温润，包装很好，物流很快。`;
    const shopper = await api.register("after-sale-buyer", "李娜");
    const m = await openPage(browser!, DESKTOP, ZH);
    const s = await openPage(browser!, DESKTOP, ZH);
    try {
      // The merchant puts a product on sale from the console.
      await logIn(m.page, merchant.email, merchant.password);
      await menu(m.page, "nav-merchant");
      await m.page.getByTestId("new-product").click();
      await m.page.getByTestId("product-name-input").fill(name);
      await m.page.getByTestId("product-description-input").fill("手工青瓷，容量 150 毫升。");
      await m.page.getByTestId("product-price-input").fill("39.00");
      await m.page.getByTestId("product-stock-input").fill(String(STOCK));
      await m.page.getByTestId("product-save").click();
      await m.page.waitForURL(/\/merchant\/products$/);
      await expectCount(m.page.getByTestId("merchant-product").filter({ hasText: name }), 1);

      // The shopper finds it, buys one and pays with the test card.
      await logIn(s.page, shopper.email, shopper.password);
      await s.page.getByTestId("search-input").fill(TAG);
      await s.page.getByTestId("search-submit").click();
      const card = s.page.getByTestId("product-card").filter({ hasText: name });
      await expectCount(card, 1);
      await card.getByRole("link").click();
      await s.page.waitForURL(/\/products\/[^/]+$/);
      const productId = decodeURIComponent(new URL(s.page.url()).pathname.split("/").pop()!);
      await expectText(s.page.getByTestId("product-rating"), /暂无评分/);
      await s.page.getByTestId("add-to-cart").click();
      await expectText(s.page.getByTestId("cart-count"), /^1$/);
      await s.page.getByRole("link", { name: /^购物车，/ }).click();
      await s.page.getByTestId("go-to-checkout").click();
      await s.page.getByTestId("checkout-form").waitFor();
      await s.page.getByTestId("address-name").fill("李娜");
      await s.page.getByTestId("address-phone").fill("13900000000");
      await pick(s.page, "address-province", "33");
      await pick(s.page, "address-city", "3301");
      await pick(s.page, "address-district", "330106");
      await s.page.getByTestId("address-line1").fill("文三路 90 号");
      await s.page.getByRole("button", { name: /使用测试卡 4242 4242 4242 4242/ }).click();
      await s.page.getByTestId("pay-button").click();
      await s.page.waitForURL(/\/orders\/[^/]+$/);
      await expectAttribute(s.page.getByTestId("order-status"), "data-status", "paid");
      const orderId = decodeURIComponent(new URL(s.page.url()).pathname.split("/").pop()!);
      assert.equal(await stockOf(productId), STOCK - 1);

      // 商家后台 → 待处理订单 → 待发货: the merchant ships with a carrier and a tracking number.
      await menu(m.page, "nav-merchant-orders");
      await m.page.getByRole("navigation", { name: "商家后台" }).waitFor();
      await m.page.getByRole("tab", { name: "待发货" }).click();
      const row = m.page.locator(`[data-testid="merchant-order"][data-order-id="${orderId}"]`);
      await row.waitFor();
      await expectText(row, /李娜/);
      await expectText(row, new RegExp(name));
      await screenshot(m.page, "after-sale-01-merchant-orders-to-ship");
      await row.getByRole("button", { name: "发货" }).click();
      const dialog = m.page.getByTestId("ship-dialog");
      await dialog.getByLabel("快递公司").fill("顺丰速运");
      await dialog.getByLabel("运单号").fill("SF1234567890");
      await screenshot(m.page, "after-sale-02-ship-dialog");
      await dialog.getByTestId("ship-submit").click();
      await dialog.waitFor({ state: "hidden" });
      await expectAttribute(row.getByTestId("order-status"), "data-status", "shipped");
      await expectText(row.getByTestId("shipment"), /顺丰速运.*SF1234567890/);
      await screenshot(m.page, "after-sale-03-merchant-orders-shipped");

      // The sales page counts the sale.
      await m.page.getByRole("link", { name: "销售概况" }).click();
      await expectText(m.page.locator("h1"), /销售概况/);
      await expectText(m.page.locator("main"), new RegExp(name));
      await screenshot(m.page, "after-sale-04-sales");
      assert.deepEqual(m.consoleErrors(), []);

      // The shopper sees it shipped, confirms receipt and reviews the line with 5 stars.
      await openOrderFromList(s.page, orderId);
      await expectAttribute(s.page.getByTestId("order-status"), "data-status", "shipped");
      await s.page.getByTestId("after-sale").waitFor();
      await screenshot(s.page, "after-sale-05-order-shipped");
      await s.page.getByRole("button", { name: "确认收货" }).click();
      await expectAttribute(s.page.getByTestId("order-status"), "data-status", "completed");
      const reviews = s.page.getByTestId("order-reviews");
      await reviews.getByRole("button", { name: "写评价" }).click();
      const form = s.page.getByRole("form", { name: `评价 ${name}` });
      // The radios are visually hidden behind their stars: click the fifth star, as a shopper does.
      const fifthStar = form.locator(".star-picker label").nth(4);
      await fifthStar.click();
      await expectAttribute(fifthStar, "class", "on");
      await expectCount(form.locator('input[type="radio"][value="5"]:checked'), 1);
      await form.getByLabel(/评价内容/).fill(reviewText);
      await screenshot(s.page, "after-sale-06-order-review-form");
      await form.getByRole("button", { name: "发表评价" }).click();
      await expectText(s.page.getByTestId("review-posted"), /感谢您的评价/);
      await screenshot(s.page, "after-sale-07-order-completed-reviewed");

      // The product page shows the rating and the review.
      await visit(s.page, `/products/${encodeURIComponent(productId)}`);
      await expectAttribute(
        s.page.getByTestId("product-rating"),
        "aria-label",
        "5.0 分（满分 5 分），共 1 条评价",
      );
      await expectText(s.page.getByTestId("sold-count"), /已售 1/);
      const review = s.page.getByTestId("review").filter({ hasText: reviewText });
      await expectCount(review, 1);
      await expectText(review, /李娜/);
      assert.equal(
        await review.getByRole("img", { name: "评分 5（满分 5 分）" }).count(),
        1,
        "the review shows its 5 stars",
      );
      await screenshot(s.page, "after-sale-08-product-rated");
      assert.deepEqual(s.consoleErrors(), []);
    } finally {
      await m.context.close();
      await s.context.close();
    }
  });

  it("a return is requested and approved and the stock comes back", async (t) => {
    if (skip) return t.skip(skip);
    // Setup through the API (buying in the browser is the first test's and shop.e2e.ts's):
    // the merchant's product, and a paid order of 2 units of it.
    const product = await api.createProduct(merchant.accessToken, `${TAG} 竹编果篮`, 5900, STOCK);
    const shopper = await api.register("after-sale-return", "王芳");
    await api.addToCart(shopper.accessToken, product.id, 2);
    const { id: orderId } = await api.checkout(shopper.accessToken);
    await api.call(
      "POST",
      `/orders/${encodeURIComponent(orderId)}/pay`,
      { card: { number: "4242424242424242", expMonth: 12, expYear: 2034, cvv: "123" } },
      shopper.accessToken,
      { "Idempotency-Key": `e2e-${api.RUN}-return-pay` },
    );
    assert.equal(await stockOf(product.id), STOCK - 2);

    const a = await openPage(browser!, DESKTOP, ZH);
    const s = await openPage(browser!, DESKTOP, ZH);
    try {
      // The admin ships it from the admin orders page.
      await logIn(a.page, api.ADMIN_EMAIL, api.ADMIN_PASSWORD);
      await menu(a.page, "nav-admin");
      const row = a.page.locator(`[data-testid="admin-order"][data-order-id="${orderId}"]`);
      await row.waitFor();
      await row.getByTestId("advance-order").click();
      await expectAttribute(row.getByTestId("order-status"), "data-status", "shipped");

      // The shopper asks for a return with a reason.
      await logIn(s.page, shopper.email, shopper.password);
      await visit(s.page, `/orders/${encodeURIComponent(orderId)}`);
      await expectAttribute(s.page.getByTestId("order-status"), "data-status", "shipped");
      await s.page.getByRole("button", { name: "申请售后" }).click();
      await s.page.getByLabel("退货原因").fill("果篮有一处开裂");
      await screenshot(s.page, "after-sale-09-return-form");
      await s.page.getByRole("button", { name: "提交售后申请" }).click();
      await expectAttribute(s.page.getByTestId("order-status"), "data-status", "return_requested");
      await expectAttribute(s.page.getByTestId("return-status"), "data-return-status", "requested");
      await expectText(s.page.getByTestId("return-status"), /原因：果篮有一处开裂/);
      await screenshot(s.page, "after-sale-10-return-requested");

      // The admin approves it: refunded, and the two units are back in stock.
      await visit(a.page, "/admin/orders?status=return_requested");
      await row.getByTestId("return-decision").waitFor();
      await expectText(row.getByTestId("return-status"), /果篮有一处开裂/);
      await screenshot(a.page, "after-sale-11-admin-return-requested");
      await row.getByRole("button", { name: "同意退货" }).click();
      await expectAttribute(row.getByTestId("order-status"), "data-status", "refunded");
      await expectStock(product.id, STOCK);
      assert.deepEqual(a.consoleErrors(), []);

      await openOrderFromList(s.page, orderId);
      await expectAttribute(s.page.getByTestId("order-status"), "data-status", "refunded");
      await expectAttribute(s.page.getByTestId("return-status"), "data-return-status", "approved");
      await screenshot(s.page, "after-sale-12-order-refunded");
      assert.deepEqual(s.consoleErrors(), []);
    } finally {
      await a.context.close();
      await s.context.close();
    }
  });
});
