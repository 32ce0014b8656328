/**
 * Which language the app speaks: the one the shopper chose in the header (remembered in
 * localStorage), else the browser's first preference (`zh*` → Simplified Chinese, anything else →
 * English). Chinese is the shop's first language.
 */
export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_KEY = "shop.language";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** zh, zh-CN, zh-Hans-SG, zh-TW → zh-CN; en-US, fr, "" → en. */
export function languageOf(tag: string): Language {
  return /^zh\b/i.test(tag.trim()) ? "zh-CN" : "en";
}

/** The browser's first preference (navigator.languages, then navigator.language). */
export function browserLanguage(
  nav: Pick<Navigator, "languages" | "language"> | undefined,
): Language {
  const first = nav?.languages?.[0] ?? nav?.language ?? "zh-CN";
  return languageOf(first);
}

export function storedLanguage(): Language | null {
  try {
    const value = globalThis.localStorage?.getItem(LANGUAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

export function rememberLanguage(language: Language): void {
  try {
    globalThis.localStorage?.setItem(LANGUAGE_KEY, language);
  } catch {
    // Private mode or a full store: the choice lasts for this page only.
  }
}

/** The language to start in. */
export function initialLanguage(): Language {
  return storedLanguage() ?? browserLanguage(globalThis.navigator);
}
