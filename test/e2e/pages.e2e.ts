/**
 * Every page of the shopper, merchant and admin flows, at both sizes (desktop 1366×900, phone
 * 390×844): each is photographed (test/artifacts/screenshots/page-<name>-<size>.png) and scanned
 * with axe: a serious or critical violation fails. On the phone no page may be wider than the
 * screen, and a few phone promises are checked where they are kept (filters folded after choosing
 * a category, the buy bar on screen, the categories one row).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as api from "./lib/api.ts";
import {
  DESKTOP,
  PHONE,
  SHOP_URL,
  expectCount,
  launch,
  openPage,
  screenshot,
  visit,
  type Browser,
  type Page,
} from "./lib/browser.ts";

let browser: Browser | undefined;
let skip: string | false = false;
const TAG = `E2P${api.RUN}`;
const ENGLISH = "en-US";

interface World {
  products: api.Product[];
  shopper: api.Account;
  orderId: string;
  merchant: api.Account;
  merchantProduct: api.Product;
  categorySlug: string;
}
let world: World;

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
  const adminAccount = await api.admin();
  const products = [
    await api.createProduct(adminAccount.accessToken, `${TAG} Silk scarf with a long name`, 8999),
    await api.createProduct(adminAccount.accessToken, `${TAG} Jade bracelet`, 45900),
    await api.createProduct(adminAccount.accessToken, `${TAG} Oolong tea, 250 g tin`, 12800),
  ];
  // A shopper with a pending order of three lines, and two lines in the cart.
  const shopper = await api.register("pages", "Page Shopper");
  for (const [i, p] of products.entries()) await api.addToCart(shopper.accessToken, p.id, i + 1);
  const order = await api.checkout(shopper.accessToken);
  await api.addToCart(shopper.accessToken, products[0].id, 1);
  await api.addToCart(shopper.accessToken, products[2].id, 2);

  const merchant = await api.register("pages-merchant", "Page Merchant");
  await api.setRole(adminAccount.accessToken, merchant.id, "merchant");
  const merchantToken = (await api.login(merchant.email, merchant.password)).accessToken;
  const merchantProduct = await api.createProduct(merchantToken, `${TAG} Lacquer box`, 6600);
  const categories = await api.call<Array<{ slug: string; productCount: number }>>(
    "GET",
    "/categories",
  );
  const category = categories.find((c) => c.productCount > 0) ?? categories[0];
  world = {
    products,
    shopper,
    orderId: order.id,
    merchant,
    merchantProduct,
    categorySlug: category.slug,
  };
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

type Size = "desktop" | "phone";

/** No horizontal scrolling: the page is as wide as the window at most. */
async function assertFits(page: Page, name: string): Promise<void> {
  const [scroll, inner] = await page.evaluate<[number, number]>(
    "[document.documentElement.scrollWidth, window.innerWidth]",
  );
  assert.ok(scroll <= inner, `${name} is ${scroll} px wide on a ${inner} px screen`);
}

/**
 * Opens `path` (in the app, as a click would), waits for `ready` and for the spinners to go, then
 * photographs it, scans it with axe and, on the phone, checks that it fits the screen.
 */
async function check(
  page: Page,
  size: Size,
  name: string,
  path: string | null,
  ready: string,
): Promise<void> {
  if (path !== null) await visit(page, path);
  await page.getByTestId(ready).first().waitFor();
  await page.getByTestId("loading").first().waitFor({ state: "detached" });
  // From the top: a full-page photograph of a scrolled page draws the sticky header mid-page.
  await page.evaluate("window.scrollTo(0, 0)");
  await screenshot(page, `page-${name}-${size}`);
  if (size === "phone") await assertFits(page, name);
}

for (const [size, device] of [
  ["desktop", DESKTOP],
  ["phone", PHONE],
] as const) {
  describe(`every page, ${size}`, () => {
    it(`a visitor's pages are axe-clean${size === "phone" ? " and fit the screen" : ""}`, async (t) => {
      if (skip) return t.skip(skip);
      const { page, context, consoleErrors } = await openPage(browser!, device, ENGLISH);
      try {
        await page.goto(`${SHOP_URL}/`);
        await check(page, size, "home", null, "product-grid");
        if (size === "phone") {
          // The categories are one row that scrolls sideways: products show on the first screen.
          const top = await page.evaluate<number>(
            `document.querySelector('[data-testid="product-grid"]').getBoundingClientRect().top`,
          );
          assert.ok(top < 844, `the first products start at ${top} px, below the screen`);
        }
        await check(page, size, "search", `/search?q=${encodeURIComponent(TAG)}`, "product-card");
        await check(
          page,
          size,
          "category",
          `/search?category=${world.categorySlug}`,
          "product-grid",
        );
        const open = await page.evaluate<boolean>(`document.querySelector(".filters-panel").open`);
        assert.equal(open, size === "desktop", "filters open on a desktop only");
        await check(
          page,
          size,
          "product",
          `/products/${encodeURIComponent(world.products[0].id)}`,
          "product-title",
        );
        if (size === "phone") {
          const bottom = await page.evaluate<number>(
            `document.querySelector('[data-testid="buy-now"]').getBoundingClientRect().bottom`,
          );
          assert.ok(bottom <= 844, "the buy bar is on the screen");
        }
        await check(page, size, "login", "/login", "login-form");
        await check(page, size, "register", "/register", "register-form");
        await page.getByTestId("register-submit").click();
        await expectCount(page.getByTestId("field-error"), 2);
        await check(page, size, "register-errors", null, "field-error");
        await check(page, size, "not-found", "/no-such-page", "not-found");
        assert.deepEqual(consoleErrors(), []);
      } finally {
        await context.close();
      }
    });

    it(`a shopper's pages are axe-clean${size === "phone" ? " and fit the screen" : ""}`, async (t) => {
      if (skip) return t.skip(skip);
      const { page, context, consoleErrors } = await openPage(browser!, device, ENGLISH);
      try {
        await logIn(page, world.shopper.email, world.shopper.password);
        await check(page, size, "cart", "/cart", "cart-line");
        await check(page, size, "checkout", "/checkout", "checkout-form");
        await page.getByTestId("address-name").fill("");
        await page.getByTestId("pay-button").click();
        await check(page, size, "checkout-errors", null, "field-error");
        await check(page, size, "orders", "/orders", "order-row");
        await check(
          page,
          size,
          "order-three-lines",
          `/orders/${encodeURIComponent(world.orderId)}`,
          "pay-form",
        );
        await expectCount(page.getByTestId("order-item"), 3);
        assert.deepEqual(consoleErrors(), []);
      } finally {
        await context.close();
      }
    });

    it(`a merchant's pages are axe-clean${size === "phone" ? " and fit the screen" : ""}`, async (t) => {
      if (skip) return t.skip(skip);
      const { page, context, consoleErrors } = await openPage(browser!, device, ENGLISH);
      try {
        await logIn(page, world.merchant.email, world.merchant.password);
        await check(page, size, "merchant-products", "/merchant/products", "merchant-product");
        await check(page, size, "merchant-new", "/merchant/products/new", "product-form");
        await page.getByTestId("product-save").click();
        await check(page, size, "merchant-new-errors", null, "field-error");
        await check(
          page,
          size,
          "merchant-edit",
          `/merchant/products/${encodeURIComponent(world.merchantProduct.id)}/edit`,
          "product-form",
        );
        assert.deepEqual(consoleErrors(), []);
      } finally {
        await context.close();
      }
    });

    it(`an admin's pages are axe-clean${size === "phone" ? " and fit the screen" : ""}`, async (t) => {
      if (skip) return t.skip(skip);
      const { page, context, consoleErrors } = await openPage(browser!, device, ENGLISH);
      try {
        await logIn(page, api.ADMIN_EMAIL, api.ADMIN_PASSWORD);
        await check(page, size, "admin-orders", "/admin/orders", "admin-order");
        await check(
          page,
          size,
          "admin-users",
          `/admin/users?q=${encodeURIComponent(world.shopper.email)}`,
          "admin-user",
        );
        if (size === "phone") {
          const width = await page.evaluate<number>(
            `document.querySelector('[data-testid="user-search"]').getBoundingClientRect().width`,
          );
          assert.ok(width >= 150, `the users search box is ${width} px wide`);
        }
        // A ban asks first: the dialog is scanned too, and cancelled.
        await page.getByTestId("ban-user").first().click();
        await check(page, size, "admin-confirm-ban", null, "confirm-dialog");
        await page.getByTestId("confirm-cancel").click();
        await page.getByTestId("confirm-dialog").waitFor({ state: "detached" });
        await check(page, size, "admin-access", "/admin/access", "block-ip-input");
        await check(page, size, "admin-policy", "/admin/policy", "policy-rule");
        await check(page, size, "admin-monitoring", "/admin/monitoring", "monitoring-node");
        assert.deepEqual(consoleErrors(), []);
      } finally {
        await context.close();
      }
    });
  });
}
