/**
 * Money is an integer in minor units (fen, cents) everywhere in the API. These helpers turn it
 * into text for people (Intl.NumberFormat in the app's language with the amount's own currency:
 * ¥19.99) and parse what people type back into minor units, never through floats.
 */
import { currentLanguage } from "../i18n/index.ts";

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string, language = "en"): Intl.NumberFormat {
  const key = `${language}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(language, {
        style: "currency",
        currency,
        currencyDisplay: "narrowSymbol",
      });
    } catch {
      // An unknown currency code: fall back to two decimals and the code itself.
      f = new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    formatters.set(key, f);
  }
  return f;
}

/** How many decimals a currency's minor unit has (CNY 2, JPY 0). */
export function minorDigits(currency = "CNY"): number {
  return formatterFor(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** 1999, "CNY" → "¥19.99". */
export function formatMoney(minor: number, currency = "CNY"): string {
  const code = currency || "CNY";
  const digits = minorDigits(code);
  const major = minor / 10 ** digits;
  const formatter = formatterFor(code, currentLanguage());
  const text = formatter.format(major);
  return formatter.resolvedOptions().style === "currency" ? text : `${code} ${text}`;
}

/** "19.99" → 1999; "19" → 1900; "19.9" → 1990. Invalid or negative input → null. */
export function parseMoney(input: string, currency = "CNY"): number | null {
  const digits = minorDigits(currency);
  const text = input.trim().replace(/[,\s]/g, "");
  const pattern = digits > 0 ? new RegExp(`^(\\d+)(?:\\.(\\d{0,${digits}}))?$`) : /^(\d+)$/;
  const match = pattern.exec(text);
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? "").padEnd(digits, "0") || "0");
  const value = whole * 10 ** digits + fraction;
  return Number.isSafeInteger(value) ? value : null;
}

/** 1999 → "19.99": the major-unit text an edit field starts with. */
export function toMajorText(minor: number, currency = "CNY"): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 10 ** digits);
  const fraction = String(abs % 10 ** digits).padStart(digits, "0");
  return `${sign}${whole}.${fraction}`;
}
