/**
 * The app's one i18n instance (i18next + react-i18next): catalogs in ./zh-CN.json and ./en.json,
 * plurals by Intl.PluralRules, `<html lang>` kept in step with the language.
 *
 * Chinese, the shop's first language, comes with the app. English is a chunk of its own, fetched
 * only by whoever reads English (main.tsx waits for `languageReady` before the first render; the
 * switch in the header fetches it before it switches): nobody downloads a catalog they never read.
 */
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { initialLanguage, rememberLanguage, type Language } from "./language.ts";
import zhCN from "./zh-CN.json";

export const i18n = i18next.createInstance();

const LATER: Record<Exclude<Language, "zh-CN">, () => Promise<{ default: object }>> = {
  en: () => import("./en.json"),
};

/** Fetches a language's catalog, once. */
export async function loadLanguage(language: Language): Promise<void> {
  if (language === "zh-CN" || i18n.hasResourceBundle(language, "translation")) return;
  const { default: catalog } = await LATER[language]();
  i18n.addResourceBundle(language, "translation", catalog);
}

const startIn = initialLanguage();
void i18n.use(initReactI18next).init({
  resources: { "zh-CN": { translation: zhCN } },
  partialBundledLanguages: true,
  lng: "zh-CN",
  fallbackLng: false,
  supportedLngs: ["zh-CN", "en"],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
  react: { useSuspense: false },
});

function setDocumentLanguage(language: string): void {
  if (typeof document !== "undefined") document.documentElement.lang = language;
}
setDocumentLanguage(i18n.language);
i18n.on("languageChanged", setDocumentLanguage);

/** Settles once the language the visitor starts in is loaded and in use. */
export const languageReady: Promise<void> =
  startIn === "zh-CN"
    ? Promise.resolve()
    : loadLanguage(startIn).then(
        () => i18n.changeLanguage(startIn).then(() => undefined),
        // Offline or a failed chunk: the page shows in Chinese rather than not at all.
        () => undefined,
      );

/** The language now in use. */
export function currentLanguage(): Language {
  return i18n.language === "en" ? "en" : "zh-CN";
}

/** Switches the app's language and remembers the choice. */
export async function switchLanguage(language: Language): Promise<void> {
  await loadLanguage(language);
  rememberLanguage(language);
  await i18n.changeLanguage(language);
}
