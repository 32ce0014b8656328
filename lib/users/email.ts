/**
 * The one spelling of an email address. Every place that stores, finds, limits or searches an
 * account by its email (register, login, the login limits, the admin bootstrap, the admin user
 * search) goes through normaliseEmail, so " E", "\tE", "E\n" and "e" are one account and one
 * rate-limit counter.
 */

/** Trims white space, composes Unicode (NFC) and lower-cases. Anything not a string is "". */
export function normaliseEmail(value: unknown): string {
  if (typeof value !== "string") return "";
  return value.trim().normalize("NFC").toLowerCase();
}
