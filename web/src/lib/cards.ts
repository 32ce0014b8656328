/** The simulated processor's test cards, and the checks a card form makes before sending. */
import type { Card } from "../api/types.ts";
import { i18n } from "../i18n/index.ts";

export const TEST_CARDS = [
  // `outcome` names a catalog entry: card.outcome.ok …
  { number: "4242 4242 4242 4242", outcome: "ok" },
  { number: "4000 0000 0000 0002", outcome: "declined" },
  { number: "4000 0000 0000 9995", outcome: "insufficient" },
] as const;

export function digitsOnly(text: string): string {
  return text.replace(/\D/g, "");
}

/** "4242424242424242" → "4242 4242 4242 4242" (as typed, up to 19 digits). */
export function groupCardNumber(text: string): string {
  return digitsOnly(text)
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, "$1 ");
}

export function luhnValid(number: string): boolean {
  const digits = digitsOnly(number);
  if (digits.length < 12 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export interface CardFields {
  number: string;
  expiry: string;
  cvv: string;
}

/** "MM/YY" or "MM/YYYY" → month and four-digit year, or null. */
export function parseExpiry(text: string): { month: number; year: number } | null {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!match) return null;
  const month = Number(match[1]);
  let year = Number(match[2]);
  if (year < 100) year += 2000;
  if (month < 1 || month > 12) return null;
  return { month, year };
}

/** Field problems of a card form, keyed like the API's (`card.number`). Empty when fine. */
export function validateCard(fields: CardFields, now = new Date()): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!luhnValid(fields.number)) errors["card.number"] = i18n.t("card.error.number");
  const expiry = parseExpiry(fields.expiry);
  if (!expiry) errors["card.expiry"] = i18n.t("card.error.expiry");
  else {
    const current = now.getFullYear() * 12 + now.getMonth();
    if (expiry.year * 12 + expiry.month - 1 < current)
      errors["card.expiry"] = i18n.t("card.error.expired");
  }
  if (!/^\d{3,4}$/.test(fields.cvv.trim())) errors["card.cvv"] = i18n.t("card.error.cvv");
  return errors;
}

export function toCard(fields: CardFields): Card {
  const expiry = parseExpiry(fields.expiry) ?? { month: 0, year: 0 };
  return {
    number: digitsOnly(fields.number),
    expMonth: expiry.month,
    expYear: expiry.year,
    cvv: fields.cvv.trim(),
  };
}
