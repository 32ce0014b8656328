/**
 * End-to-end: the web app in Chromium against a running shop at SHOP_URL.
 * Run: npm ci --prefix test/e2e && SHOP_URL=http://localhost:3000 ADMIN_EMAIL=… ADMIN_PASSWORD=… \
 *      node --test --test-concurrency=1 test/e2e/*.e2e.ts      (Node ≥ 22.18: type stripping)
 * Screenshots go to test/artifacts/screenshots/.
 */
import { pick } from "./lib/address.ts";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as api from "./lib/api.ts";
import {
  DESKTOP,
  PHONE,
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

let browser: Browser | undefined;
let skip: string | false = false;
let products: api.Product[] = [];
const TAG = `E2E${api.RUN}`;
/** These scenarios read the English strings: an en-US browser (zh.e2e.ts is the Chinese one). */
const ENGLISH = "en-US";

before(async () => {
  // Run by `npm run test:e2e` (E2E_REQUIRED=1), a missing shop or browser is a failure, not a skip.
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
  // Two products of our own, so that the run does not depend on the seeded catalog.
  const adminAccount = await api.admin();
  products = [
    await api.createProduct(adminAccount.accessToken, `${TAG} Paper lantern`, 1999),
    await api.createProduct(adminAccount.accessToken, `${TAG} Porcelain teacup`, 2999),
  ];
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

/** A Chinese address through the picker: 北京市 → 北京市 (市辖区) → 东城区. */
async function fillAddress(page: Page): Promise<void> {
  await page.getByTestId("address-name").fill("Test Shopper");
  await page.getByTestId("address-phone").fill("13800000000");
  await pick(page, "address-province", "11");
  await pick(page, "address-city", "1101");
  await pick(page, "address-district", "110101");
  await page.getByTestId("address-line1").fill("1 Test Road");
}

async function useTestCard(page: Page, number: string): Promise<void> {
  await page.getByRole("button", { name: new RegExp(`Use test card ${number}`) }).click();
}

describe("web app", () => {
  it("a newcomer registers, searches, adds two products, checks out and pays (on a phone)", async (t) => {
    if (skip) return t.skip(skip);
    const { page, context, consoleErrors } = await openPage(browser!, PHONE, ENGLISH);
    try {
      await page.goto(`${SHOP_URL}/`);
      await page.getByTestId("search-input").waitFor();
      await screenshot(page, "01-home-phone");

      await page.getByTestId("nav-register").click();
      await page.getByTestId("register-name").fill("New Shopper");
      await page.getByTestId("register-email").fill(api.uniqueEmail("newcomer"));
      await page.getByTestId("register-password").fill("a-good-password");
      await page.getByTestId("register-submit").click();
      await page.getByTestId("account-menu").waitFor();

      await page.getByTestId("search-input").fill(TAG);
      await page.getByTestId("search-submit").click();
      const cards = page.getByTestId("product-card");
      await expectCount(cards, 2);
      await screenshot(page, "02-search-results-phone");

      for (const [i, product] of products.entries()) {
        await visit(page, `/search?q=${encodeURIComponent(TAG)}`);
        await page
          .getByTestId("product-card")
          .filter({ hasText: product.name })
          .getByRole("link")
          .click();
        await page.getByTestId("add-to-cart").click();
        await expectText(page.getByTestId("cart-count"), new RegExp(`^${i + 1}$`));
      }
      await screenshot(page, "03-product-phone");

      await page.getByRole("link", { name: /^Cart,/ }).click();
      await expectCount(page.getByTestId("cart-line"), 2);
      await expectText(page.getByTestId("cart-subtotal"), /49\.98/);
      await screenshot(page, "04-cart-phone");
      await page.getByTestId("go-to-checkout").click();

      await page.getByTestId("checkout-form").waitFor();
      await fillAddress(page);
      await useTestCard(page, "4242 4242 4242 4242");
      await screenshot(page, "05-checkout-phone");
      await page.getByTestId("pay-button").click();

      await page.waitForURL(/\/orders\/[^/]+$/);
      await expectAttribute(page.getByTestId("order-status"), "data-status", "paid");
      await expectText(page.getByTestId("cart-count"), /^0$/);
      await screenshot(page, "06-order-paid-phone");
      assert.deepEqual(consoleErrors(), []);
    } finally {
      await context.close();
    }
  });

  it("a declined card shows the reason and the order stays payable", async (t) => {
    if (skip) return t.skip(skip);
    const shopper = await api.register("declined");
    await api.addToCart(shopper.accessToken, products[0].id, 1);
    const { page, context, consoleErrors } = await openPage(browser!, DESKTOP, ENGLISH);
    try {
      await logIn(page, shopper.email, shopper.password);
      await visit(page, "/checkout");
      await page.getByTestId("checkout-form").waitFor();
      await fillAddress(page);
      await useTestCard(page, "4000 0000 0000 0002");
      await page.getByTestId("pay-button").click();

      await page.waitForURL(/\/orders\/[^/]+$/);
      await expectText(page.getByTestId("pay-error"), /declined/i);
      await expectAttribute(page.getByTestId("order-status"), "data-status", "pending");
      await page.getByTestId("pay-form").waitFor();
      await screenshot(page, "07-declined");

      // The same order can still be paid.
      await useTestCard(page, "4242 4242 4242 4242");
      await page.getByTestId("pay-button").click();
      await expectAttribute(page.getByTestId("order-status"), "data-status", "paid");
      assert.deepEqual(consoleErrors([402]), []);
    } finally {
      await context.close();
    }
  });

  it("a merchant creates a product that a shopper then finds", async (t) => {
    if (skip) return t.skip(skip);
    const adminAccount = await api.admin();
    const merchant = await api.register("merchant", "E2E Merchant");
    await api.setRole(adminAccount.accessToken, merchant.id, "merchant");
    const name = `${TAG} Bamboo fan`;

    const m = await openPage(browser!, DESKTOP, ENGLISH);
    try {
      await logIn(m.page, merchant.email, merchant.password);
      await visit(m.page, "/merchant/products");
      await m.page.getByTestId("new-product").click();
      await m.page.getByTestId("product-name-input").fill(name);
      await m.page.getByTestId("product-description-input").fill("Keeps you cool.");
      await m.page.getByTestId("product-price-input").fill("12.50");
      await m.page.getByTestId("product-stock-input").fill("7");
      await m.page.getByTestId("product-categories-input").fill("Home Appliances");
      await screenshot(m.page, "08-merchant-new-product");
      await m.page.getByTestId("product-save").click();
      await m.page.waitForURL(/\/merchant\/products$/);
      await expectCount(m.page.getByTestId("merchant-product").filter({ hasText: name }), 1);
      await screenshot(m.page, "09-merchant-products");
      assert.deepEqual(m.consoleErrors(), []);
    } finally {
      await m.context.close();
    }

    const s = await openPage(browser!, DESKTOP, ENGLISH);
    try {
      await s.page.goto(`${SHOP_URL}/`);
      await s.page.getByTestId("search-input").fill("Bamboo fan");
      await s.page.getByTestId("search-input").press("Enter");
      const card = s.page.getByTestId("product-card").filter({ hasText: name });
      await expectCount(card, 1);
      await card.getByRole("link").click();
      await expectText(s.page.getByTestId("product-title"), new RegExp(name));
      await expectText(s.page.getByTestId("product-price"), /12\.50/);
      assert.deepEqual(s.consoleErrors(), []);
    } finally {
      await s.context.close();
    }
  });

  it("an admin bans a shopper, whose next action shows the ban", async (t) => {
    if (skip) return t.skip(skip);
    const shopper = await api.register("banned");
    const s = await openPage(browser!, DESKTOP, ENGLISH);
    const a = await openPage(browser!, DESKTOP, ENGLISH);
    try {
      await logIn(s.page, shopper.email, shopper.password);
      await visit(s.page, `/products/${encodeURIComponent(products[1].id)}`);
      await s.page.getByTestId("add-to-cart").waitFor();

      await logIn(a.page, api.ADMIN_EMAIL, api.ADMIN_PASSWORD);
      await visit(a.page, "/admin/users");
      await a.page.getByTestId("user-search").fill(shopper.email);
      await a.page.getByTestId("user-search-submit").click();
      const row = a.page.locator(`[data-testid="admin-user"][data-email="${shopper.email}"]`);
      await row.getByTestId("ban-user").click();
      // Nothing happens before the admin confirms in the dialog.
      await a.page.getByRole("dialog", { name: /^Ban / }).getByTestId("confirm-ok").click();
      await expectAttribute(row, "data-banned", "true");
      await screenshot(a.page, "10-admin-banned");

      await s.page.getByTestId("add-to-cart").click();
      await expectText(s.page.getByRole("alert").filter({ hasText: /suspended/ }), /suspended/);
      await s.page.getByTestId("ban-banner").waitFor();
      await screenshot(s.page, "11-shopper-sees-ban");
      // Browsing still works: the catalog shows products, not the suspension.
      await visit(s.page, "/");
      await s.page.getByTestId("product-grid").waitFor();
      // The banner above the page says it; the page itself does not.
      assert.equal(
        await s.page
          .locator("main")
          .getByRole("alert")
          .filter({ hasText: /suspended/ })
          .count(),
        0,
      );
      await visit(s.page, `/products/${encodeURIComponent(products[1].id)}`);
      await s.page.getByTestId("product-title").waitFor();
      // A signed-in page explains, rather than a login page without a word.
      await visit(s.page, "/orders");
      await expectText(s.page.getByTestId("account-suspended"), /suspended/);
      // And so after a full page load (the session is then found banned on start).
      await s.page.goto(`${SHOP_URL}/orders`);
      await expectText(s.page.getByTestId("account-suspended"), /suspended/);
      assert.ok(new URL(s.page.url()).pathname === "/orders", "not sent to the login page");
      await screenshot(s.page, "11b-banned-orders");
      assert.deepEqual(s.consoleErrors([403]), []);

      // Unban again so that the account is usable for whoever looks at it next.
      await row.getByTestId("unban-user").click();
      await expectAttribute(row, "data-banned", "false");
      assert.deepEqual(a.consoleErrors(), []);
    } finally {
      await s.context.close();
      await a.context.close();
    }
  });

  it("the session survives a dead access token: concurrent calls share one refresh", async (t) => {
    if (skip) return t.skip(skip);
    const { page, context, consoleErrors } = await openPage(browser!, DESKTOP, ENGLISH);
    try {
      await logIn(page, api.ADMIN_EMAIL, api.ADMIN_PASSWORD);
      // As if the access token had expired on the server: the next calls get 401.
      await page.evaluate(
        `(() => { const t = JSON.parse(localStorage.getItem("shop.tokens")); t.accessToken = "expired"; localStorage.setItem("shop.tokens", JSON.stringify(t)); })()`,
      );
      const refreshes: string[] = [];
      page.on("request", (request) => {
        if (request.url().endsWith("/api/auth/refresh")) refreshes.push(request.method());
      });
      // The users page loads the users and the access lists at once.
      await visit(page, "/admin/users");
      await expectCount(page.getByTestId("admin-user"), 1);
      await page.getByTestId("account-menu").waitFor();
      assert.equal(refreshes.length, 1, "one refresh for the concurrent 401s");
      assert.deepEqual(consoleErrors([401]), []);
    } finally {
      await context.close();
    }
  });

  it("the monitoring page shows the nodes and updates by itself", async (t) => {
    if (skip) return t.skip(skip);
    const { page, context, consoleErrors } = await openPage(browser!, DESKTOP, ENGLISH);
    try {
      await logIn(page, api.ADMIN_EMAIL, api.ADMIN_PASSWORD);
      await page.getByTestId("account-menu").click();
      await page.getByTestId("nav-monitoring").click();
      await expectCount(page.getByTestId("monitoring-node"), 1);
      await expectText(page.getByTestId("monitoring-status"), /live/);
      await page.waitForTimeout(4500);
      await expectText(
        page.getByTestId("monitoring-status"),
        /live · updated (just now|[0-3] s ago)/,
      );
      await screenshot(page, "12-monitoring");
      assert.deepEqual(consoleErrors(), []);
    } finally {
      await context.close();
    }
  });

  it("a visitor loads the first screen only; a signed-in shopper's next pages come while idle", async (t) => {
    if (skip) return t.skip(skip);
    const { page, context, consoleErrors } = await openPage(browser!, DESKTOP, ENGLISH);
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    try {
      await page.goto(`${SHOP_URL}/`);
      await page.getByTestId("product-card").first().waitFor();
      await page.waitForTimeout(2_500);
      const firstScreen = scripts.length;
      // The entry, its libraries, its shared code, and the English catalog for this browser.
      assert.ok(firstScreen <= 5, `the first screen fetched ${scripts.join(", ")}`);
      assert.ok(
        !scripts.some((s) => /\/(Cart|Checkout|OrderDetail|Account)-/.test(s)),
        scripts.join(),
      );

      const shopper = await api.register("prefetch");
      await logIn(page, shopper.email, shopper.password);
      const deadline = Date.now() + 15_000;
      while (!scripts.some((s) => /\/Cart-/.test(s)) && Date.now() < deadline) {
        await page.waitForTimeout(200);
      }
      assert.ok(
        scripts.some((s) => /\/Cart-/.test(s)),
        `no cart page fetched: ${scripts.join()}`,
      );
      await page.waitForTimeout(500);
      const before = scripts.length;
      await page.getByRole("link", { name: /^Cart,/ }).click();
      await page.getByTestId("cart-empty").waitFor();
      assert.equal(scripts.length, before, "the cart page was there already");
      assert.deepEqual(consoleErrors(), []);
    } finally {
      await context.close();
    }
  });

  it("deep links load the app (the gateway's SPA fallback)", async (t) => {
    if (skip) return t.skip(skip);
    const { page, context, consoleErrors } = await openPage(browser!, DESKTOP, ENGLISH);
    try {
      await page.goto(`${SHOP_URL}/search?q=${encodeURIComponent(TAG)}`);
      await expectCount(page.getByTestId("product-card"), 2);
      assert.deepEqual(consoleErrors(), []);
    } finally {
      await context.close();
    }
  });
});
