/**
 * Numbers and dates for people, in the app's language, through Intl: 2026年12月7日 00:45 in
 * Chinese, Dec 7, 2026, 12:45 AM in English. Formatters are cached per language.
 */
import { currentLanguage } from "../i18n/index.ts";

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

/** 12345 → "12,345". */
export function formatNumber(n: number, options: Intl.NumberFormatOptions = {}): string {
  const language = currentLanguage();
  const key = `n|${language}|${JSON.stringify(options)}`;
  return cached(key, () => new Intl.NumberFormat(language, options)).format(n);
}

/** 0.125 → "12.5%". */
export function formatPercent(fraction: number, digits = 1): string {
  return formatNumber(fraction, { style: "percent", maximumFractionDigits: digits });
}

function formatWith(value: string | number | Date, options: Intl.DateTimeFormatOptions): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const language = currentLanguage();
  const key = `d|${language}|${JSON.stringify(options)}`;
  return cached(key, () => new Intl.DateTimeFormat(language, options)).format(date);
}

/** A moment: "2026年12月7日 00:45" / "Dec 7, 2026, 12:45 AM". */
export function formatDateTime(value: string | number | Date): string {
  return formatWith(value, { dateStyle: "medium", timeStyle: "short" });
}

/** A day: "2026年12月7日" / "Dec 7, 2026". */
export function formatDate(value: string | number | Date): string {
  return formatWith(value, { dateStyle: "medium" });
}

/** A time of day: "00:45:10" / "12:45:10 AM". */
export function formatTime(value: string | number | Date): string {
  return formatWith(value, { timeStyle: "medium" });
}
