/**
 * Card checks a processor makes before it charges anything: Luhn checksum, expiry, CVV length.
 * Pure functions; the card number itself is never stored (only its last four digits and brand).
 */

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvv: string;
}

export type CardBrand =
  "visa" | "mastercard" | "amex" | "discover" | "unionpay" | "jcb" | "unknown";

export interface CardProblem {
  field: "number" | "expMonth" | "expYear" | "cvv";
  type: "INVALID_CARD_NUMBER" | "CARD_EXPIRED" | "INVALID_EXPIRY" | "INVALID_CVV";
  message: string;
}

/** Digits only: spaces and dashes people type are ignored. */
export function normalizeCardNumber(number: string): string {
  return number.replace(/[\s-]/g, "");
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function cardBrand(digits: string): CardBrand {
  if (/^4/.test(digits)) return "visa";
  if (/^(5[1-5]|2(2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/.test(digits)) return "mastercard";
  if (/^3[47]/.test(digits)) return "amex";
  if (/^(6011|65|64[4-9])/.test(digits)) return "discover";
  if (/^62/.test(digits)) return "unionpay";
  if (/^35(2[89]|[3-8]\d)/.test(digits)) return "jcb";
  return "unknown";
}

/** A two-digit year means this century. */
export function fullYear(expYear: number): number {
  return expYear < 100 ? 2000 + expYear : expYear;
}

/** A card is good through the last day of its expiry month (UTC). */
export function isExpired(expMonth: number, expYear: number, now: Date): boolean {
  const year = fullYear(expYear);
  const firstOfNextMonth = Date.UTC(year, expMonth, 1);
  return now.getTime() >= firstOfNextMonth;
}

/** Every problem with a card, in field order; an empty list means the card may be charged. */
export function cardProblems(card: CardInput, now: Date): CardProblem[] {
  const problems: CardProblem[] = [];
  const digits = normalizeCardNumber(card.number);
  if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) {
    problems.push({
      field: "number",
      type: "INVALID_CARD_NUMBER",
      message: "The card number is not valid",
    });
  }
  const year = fullYear(card.expYear);
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) {
    problems.push({
      field: "expMonth",
      type: "INVALID_EXPIRY",
      message: "The expiry month is not valid",
    });
  } else if (!Number.isInteger(year) || year > now.getUTCFullYear() + 25) {
    problems.push({
      field: "expYear",
      type: "INVALID_EXPIRY",
      message: "The expiry year is not valid",
    });
  } else if (isExpired(card.expMonth, card.expYear, now)) {
    problems.push({ field: "expYear", type: "CARD_EXPIRED", message: "The card has expired" });
  }
  const cvvLength = cardBrand(digits) === "amex" ? 4 : 3;
  if (!new RegExp(`^\\d{${cvvLength}}$`).test(card.cvv)) {
    problems.push({
      field: "cvv",
      type: "INVALID_CVV",
      message: `The security code must be ${cvvLength} digits`,
    });
  }
  return problems;
}

export function last4(number: string): string {
  return normalizeCardNumber(number).slice(-4);
}
