import { afterEach, describe, expect, it, vi } from "vitest";
import { i18n, switchLanguage } from "./index.ts";
import { browserLanguage, initialLanguage, LANGUAGE_KEY, languageOf } from "./language.ts";

afterEach(async () => {
  await i18n.changeLanguage("en");
});

describe("the app's language", () => {
  it("is Chinese for any zh browser language and English otherwise", () => {
    for (const tag of ["zh", "zh-CN", "zh-Hans-SG", "zh-TW", "ZH-cn"]) {
      expect(languageOf(tag), tag).toBe("zh-CN");
    }
    for (const tag of ["en-US", "en", "fr-FR", "ja", ""]) expect(languageOf(tag), tag).toBe("en");
  });

  it("follows the browser's first preference", () => {
    expect(browserLanguage({ languages: ["zh-CN", "en-US"], language: "zh-CN" })).toBe("zh-CN");
    expect(browserLanguage({ languages: ["en-US", "zh-CN"], language: "en-US" })).toBe("en");
    expect(browserLanguage({ languages: [], language: "zh-TW" })).toBe("zh-CN");
  });

  it("is the remembered choice when there is one", () => {
    localStorage.setItem(LANGUAGE_KEY, "zh-CN");
    expect(initialLanguage()).toBe("zh-CN");
    localStorage.setItem(LANGUAGE_KEY, "klingon");
    expect(initialLanguage()).toBe(browserLanguage(navigator));
  });

  it("switches, is remembered and sets <html lang>, with plurals by Intl.PluralRules", async () => {
    await switchLanguage("zh-CN");
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe("zh-CN");
    expect(document.documentElement.lang).toBe("zh-CN");
    expect(i18n.t("layout.cart", { count: 1 })).toBe("购物车，1 件商品");
    await switchLanguage("en");
    expect(document.documentElement.lang).toBe("en");
    expect(i18n.t("layout.cart", { count: 1 })).toBe("Cart, 1 item");
    expect(i18n.t("layout.cart", { count: 2 })).toBe("Cart, 2 items");
  });

  it("starts with Chinese alone; English is fetched once, by whoever reads it", async () => {
    vi.resetModules();
    localStorage.setItem(LANGUAGE_KEY, "zh-CN");
    const zhFirst = await import("./index.ts");
    await zhFirst.languageReady;
    expect(zhFirst.i18n.language).toBe("zh-CN");
    expect(zhFirst.i18n.hasResourceBundle("en", "translation")).toBe(false);
    await zhFirst.switchLanguage("en");
    expect(zhFirst.i18n.t("layout.cart", { count: 2 })).toBe("Cart, 2 items");

    vi.resetModules();
    localStorage.setItem(LANGUAGE_KEY, "en");
    const enFirst = await import("./index.ts");
    await enFirst.languageReady;
    expect(enFirst.i18n.language).toBe("en");
    expect(enFirst.i18n.t("layout.cart", { count: 1 })).toBe("Cart, 1 item");
  });
});
