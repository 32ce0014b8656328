/**
 * The app's one i18n instance (i18next + react-i18next): catalogs in ./zh-CN.json and ./en.json,
 * plurals by Intl.PluralRules, `<html lang>` kept in step with the language.
 */
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en.json";
import { initialLanguage, rememberLanguage, type Language } from "./language.ts";
import zhCN from "./zh-CN.json";

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { "zh-CN": { translation: zhCN }, en: { translation: en } },
  lng: initialLanguage(),
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

/** The language now in use. */
export function currentLanguage(): Language {
  return i18n.language === "en" ? "en" : "zh-CN";
}

/** Switches the app's language and remembers the choice. */
export async function switchLanguage(language: Language): Promise<void> {
  rememberLanguage(language);
  await i18n.changeLanguage(language);
}
