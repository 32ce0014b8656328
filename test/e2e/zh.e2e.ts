/**
 * End-to-end: the app speaks Chinese to a zh-CN browser and English to an en-US one.
 * A Chinese shopper searches, buys with a Chinese address chosen in the province → city →
 * district picker, and sees Chinese throughout (html lang, headings, ¥ prices); the pages are
 * photographed on a desktop (1366×900) and a phone (390×844).
 * Run with the others: `npm run test:e2e` (see shop.e2e.ts for running against another shop).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { pick } from "./lib/address.ts";
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

// A two-character word inside longer names (无线蓝牙耳机): what a Chinese shopper types.
const QUERY = process.env.E2E_ZH_QUERY ?? "耳机";
const HAN = /[\u4e00-\u9fff]/;

let browser: Browser | undefined;
let skip: string | false = false;

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
  }
});

after(async () => {
  await browser?.close();
});

async function htmlLang(page: Page): Promise<string> {
  return page.evaluate<string>("document.documentElement.lang");
}

async function logIn(page: Page, account: api.Account): Promise<void> {
  await visit(page, "/login");
  await page.getByTestId("login-email").fill(account.email);
  await page.getByTestId("login-password").fill(account.password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("account-menu").waitFor();
}

/** 广东省 → 深圳市 → 南山区, a mobile number with +86 and spaces, a street in Chinese. */
async function fillChineseAddress(page: Page): Promise<void> {
  await page.getByTestId("address-name").fill("张伟");
  await page.getByTestId("address-phone").fill("+86 138 0013 8000");
  await pick(page, "address-province", "44");
  await pick(page, "address-city", "4403");
  await pick(page, "address-district", "440305");
  await page.getByTestId("address-line1").fill("科技园南区 科苑路 15 号 2 栋 1201");
}

describe("web app in Chinese and English", () => {
  it("a zh-CN shopper searches, buys with a Chinese address and sees Chinese throughout (desktop)", async (t) => {
    if (skip) return t.skip(skip);
    const shopper = await api.register("zh", "张伟");
    const { page, context, consoleErrors } = await openPage(browser!, DESKTOP, "zh-CN");
    try {
      await page.goto(`${SHOP_URL}/`);
      await expectText(page.locator("h1"), /发现你喜欢的好物/);
      assert.equal(await htmlLang(page), "zh-CN");
      await expectText(page.getByTestId("nav-login"), /登录/);
      await screenshot(page, "zh-01-home-desktop");

      await logIn(page, shopper);
      await page.getByTestId("search-input").fill(QUERY);
      await page.getByTestId("search-submit").click();
      await expectText(page.locator("h1"), /搜索结果/);
      await expectText(page.getByTestId("result-count"), /共 \d+ 件商品/);
      await expectCount(page.getByTestId("product-card"), 1);
      await expectText(page.getByTestId("product-price"), /^¥\d[\d,]*\.\d{2}$/);
      await screenshot(page, "zh-02-search-desktop");

      await page.getByTestId("product-card").first().getByRole("link").click();
      await expectText(page.getByTestId("add-to-cart"), /加入购物车/);
      await expectText(page.getByTestId("product-price"), /^¥\d[\d,]*\.\d{2}$/);
      await page.getByTestId("add-to-cart").click();
      await expectText(page.getByTestId("cart-count"), /^1$/);
      await screenshot(page, "zh-03-product-desktop");

      await page.getByRole("link", { name: /^购物车，/ }).click();
      await expectText(page.locator("h1"), /我的购物车/);
      await expectText(page.getByTestId("cart-subtotal"), /^¥\d[\d,]*\.\d{2}$/);
      await screenshot(page, "zh-04-cart-desktop");
      await page.getByTestId("go-to-checkout").click();

      await page.getByTestId("checkout-form").waitFor();
      await expectText(page.locator("h1"), /确认订单/);
      await expectText(page.locator("legend").first(), /收货地址/);
      // A wrong number is caught before anything is sent.
      await page.getByTestId("address-phone").fill("12345");
      await page.getByTestId("pay-later").click();
      await expectAttribute(page.getByTestId("address-phone"), "aria-invalid", "true");
      await expectText(page.locator(".field-error").first(), /11 位手机号码/);
      await fillChineseAddress(page);
      await page.getByRole("button", { name: /使用测试卡 4242 4242 4242 4242/ }).click();
      await screenshot(page, "zh-05-checkout-desktop");
      await page.getByTestId("pay-button").click();

      await page.waitForURL(/\/orders\/[^/]+$/);
      await expectAttribute(page.getByTestId("order-status"), "data-status", "paid");
      await expectText(page.getByTestId("order-status"), /已付款/);
      await expectText(page.getByTestId("order-notice"), /付款成功/);
      await expectText(page.getByTestId("order-address"), /广东省 深圳市 南山区/);
      await expectText(page.getByTestId("order-total"), /^¥\d[\d,]*\.\d{2}$/);
      await expectText(page.locator("h1"), /^订单 /);
      assert.equal(await htmlLang(page), "zh-CN");
      await screenshot(page, "zh-06-order-paid-desktop");

      // What the shop stored: the Chinese shape of API.md's Address.
      const list = await api.call<{ rows: { address: Record<string, string> }[] }>(
        "GET",
        "/orders",
        undefined,
        shopper.accessToken,
      );
      assert.deepEqual(list.rows[0].address, {
        name: "张伟",
        phone: "+86 138 0013 8000",
        province: "广东省",
        city: "深圳市",
        district: "南山区",
        line1: "科技园南区 科苑路 15 号 2 栋 1201",
        country: "CN",
      });
      const body = await page.evaluate<string>("document.body.innerText");
      assert.match(body, HAN);
      assert.deepEqual(consoleErrors(), []);
    } finally {
      await context.close();
    }
  });

  it("a zh-CN shopper on a phone sees the Chinese pages and the picker", async (t) => {
    if (skip) return t.skip(skip);
    const shopper = await api.register("zh-phone", "李娜");
    const results = await api.call<{ rows: api.Product[] }>(
      "GET",
      `/products?q=${encodeURIComponent(QUERY)}&pageSize=1`,
    );
    assert.ok(results.rows[0], `the catalog has a product for ${QUERY}`);
    await api.addToCart(shopper.accessToken, results.rows[0].id, 2);
    const { page, context, consoleErrors } = await openPage(browser!, PHONE, "zh-CN");
    try {
      await page.goto(`${SHOP_URL}/`);
      await expectText(page.locator("h1"), /发现你喜欢的好物/);
      await screenshot(page, "zh-01-home-phone");
      await logIn(page, shopper);
      await visit(page, `/search?q=${encodeURIComponent(QUERY)}`);
      await expectCount(page.getByTestId("product-card"), 1);
      await screenshot(page, "zh-02-search-phone");
      await visit(page, "/cart");
      await expectText(page.locator("h1"), /我的购物车/);
      await screenshot(page, "zh-04-cart-phone");
      await visit(page, "/checkout");
      await page.getByTestId("checkout-form").waitFor();
      await fillChineseAddress(page);
      await expectText(page.getByTestId("checkout-total"), /^¥\d[\d,]*\.\d{2}$/);
      await screenshot(page, "zh-05-checkout-phone");
      await page.getByTestId("pay-later").click();
      await page.waitForURL(/\/orders\/[^/]+$/);
      await expectAttribute(page.getByTestId("order-status"), "data-status", "pending");
      await expectText(page.getByTestId("order-status"), /待付款/);
      await expectText(page.getByTestId("order-countdown"), /^\d+:\d{2}$/);
      await screenshot(page, "zh-06-order-pending-phone");
      assert.deepEqual(consoleErrors(), []);
    } finally {
      await context.close();
    }
  });

  it("an en-US browser sees English, and the header switch to 简体中文 is remembered", async (t) => {
    if (skip) return t.skip(skip);
    const { page, context, consoleErrors } = await openPage(browser!, DESKTOP, "en-US");
    const categoryCalls: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/categories")) categoryCalls.push(request.method());
    });
    try {
      await page.goto(`${SHOP_URL}/`);
      await expectText(page.locator("h1"), /Find something you'll love/);
      assert.equal(await htmlLang(page), "en");
      await expectText(page.getByTestId("nav-login"), /^Log in$/);
      await screenshot(page, "en-01-home-desktop");

      await page.getByTestId("language-switch").selectOption("zh-CN");
      await expectText(page.locator("h1"), /发现你喜欢的好物/);
      assert.equal(await htmlLang(page), "zh-CN");
      // The categories are asked for again, in the new language.
      assert.ok(categoryCalls.length >= 2, "the categories were loaded again");
      await page.goto(`${SHOP_URL}/search?q=${encodeURIComponent(QUERY)}`);
      await expectText(page.locator("h1"), /搜索结果/);
      assert.equal(await htmlLang(page), "zh-CN", "the choice survives a reload");

      await page.getByTestId("language-switch").selectOption("en");
      await expectText(page.locator("h1"), /Results for/);
      await expectText(page.getByTestId("result-count"), /^\d[\d,]* products?$/);
      assert.deepEqual(consoleErrors(), []);
    } finally {
      await context.close();
    }
  });
});
