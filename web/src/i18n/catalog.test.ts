/**
 * Every string of the app is in both catalogs: the two have the same keys (plural forms aside:
 * English has `_one` and `_other`, Chinese only `_other`), and every key the source asks for
 * (`t("…")`, `i18n.t("…")`, `i18nKey="…"`) is in both.
 */
import { describe, expect, it } from "vitest";
import en from "./en.json";
import zhCN from "./zh-CN.json";

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** "a.b_one" style paths of the leaves, plural suffixes dropped. */
function keysOf(tree: object, prefix = ""): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object") for (const key of keysOf(v, path)) out.add(key);
    else out.add(path.replace(PLURAL, ""));
  }
  return out;
}

function leaves(tree: object, prefix = ""): [string, unknown][] {
  return Object.entries(tree).flatMap(([k, v]) =>
    v && typeof v === "object"
      ? leaves(v, prefix ? `${prefix}.${k}` : k)
      : [[prefix ? `${prefix}.${k}` : k, v]],
  );
}

/** The app's source files (tests aside) as text, by path. */
const sources = import.meta.glob<string>(["../**/*.{ts,tsx}", "!../**/*.test.{ts,tsx}"], {
  query: "?raw",
  import: "default",
  eager: true,
});

/** The literal keys the source asks for. */
function usedKeys(): Map<string, string> {
  const used = new Map<string, string>();
  const call = /\bt\(\s*["'`]([^"'`$]+)["'`]|i18nKey=["']([^"']+)["']/g;
  for (const [file, text] of Object.entries(sources)) {
    for (const m of text.matchAll(call)) used.set(m[1] ?? m[2], file);
  }
  return used;
}

const english = keysOf(en);
const chinese = keysOf(zhCN);

describe("the string catalogs", () => {
  it("have the same keys in Chinese and in English", () => {
    expect(
      [...english].filter((k) => !chinese.has(k)),
      "missing from zh-CN.json",
    ).toEqual([]);
    expect(
      [...chinese].filter((k) => !english.has(k)),
      "missing from en.json",
    ).toEqual([]);
  });

  it("hold every key the source asks for", () => {
    const used = usedKeys();
    expect(used.size).toBeGreaterThan(200);
    const missing = [...used]
      .filter(([key]) => !english.has(key) || !chinese.has(key))
      .map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it("give English both plural forms and no empty text", () => {
    for (const [key, text] of [...leaves(en), ...leaves(zhCN)]) {
      expect(typeof text === "string" && text.trim().length > 0, key).toBe(true);
    }
    for (const [key] of leaves(en).filter(([k]) => k.endsWith("_other"))) {
      expect(english.has(key.replace(PLURAL, "")), key).toBe(true);
      expect(
        leaves(en).some(([k]) => k === key.replace(/_other$/, "_one")),
        key,
      ).toBe(true);
    }
  });

  it("give every count the source passes its plural forms (no “1 items”)", () => {
    const counted = new Map<string, string>();
    const call = /\bt\(\s*["'`]([^"'`$]+)["'`],\s*\{[^}]*\bcount\b/g;
    for (const [file, text] of Object.entries(sources)) {
      for (const m of text.matchAll(call)) counted.set(m[1], file);
    }
    expect(counted.size).toBeGreaterThan(10);
    const leafKeys = new Set([...leaves(en), ...leaves(zhCN)].map(([k]) => k));
    const enKeys = new Set(leaves(en).map(([k]) => k));
    const zhKeys = new Set(leaves(zhCN).map(([k]) => k));
    const missing = [...counted]
      .filter(
        ([key]) =>
          !enKeys.has(`${key}_one`) || !enKeys.has(`${key}_other`) || !zhKeys.has(`${key}_other`),
      )
      .map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
    expect(leafKeys.size).toBeGreaterThan(0);
  });

  it("say 1 item, 2 items in English and 件 in Chinese", async () => {
    const { i18n } = await import("./index.ts");
    const en = i18n.getFixedT("en");
    const zh = i18n.getFixedT("zh-CN");
    expect([1, 2].map((count) => en("orders.items", { count }))).toEqual(["1 item", "2 items"]);
    expect([1, 2].map((count) => en("search.count", { count }))).toEqual([
      "1 product",
      "2 products",
    ]);
    expect([1, 2].map((count) => en("layout.cart", { count }))).toEqual([
      "Cart, 1 item",
      "Cart, 2 items",
    ]);
    expect([1, 2].map((count) => zh("orders.items", { count }))).toEqual(["共 1 件", "共 2 件"]);
  });

  it("are Chinese in zh-CN.json (a copied English string is a missing translation)", () => {
    const same = leaves(zhCN).filter(([key, text]) => {
      const english = leaves(en).find(([k]) => k === key || k === key.replace(/_other$/, "_one"));
      const words = String(text).replace(/\{\{[^}]*\}\}|<[^>]*>/g, "");
      return /[A-Za-z]{4,}/.test(words) && english?.[1] === text;
    });
    // Allowed: the name of the English language itself.
    expect(same.map(([k]) => k)).toEqual(["layout.languageName.en"]);
  });
});
