/**
 * Password hashing (argon2id at OWASP's minimum or stronger) and the password policy: NIST SP
 * 800-63B §3.1.1.2 — at least 8 characters, no composition rules, and never a password from a
 * list of commonly used or breached ones.
 */
import argon2 from "argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import { PASSWORD_MAX, PASSWORD_MIN } from "./password-limits.ts";

export { PASSWORD_MAX, PASSWORD_MIN };

/** OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** True when the password matches; never throws for a malformed hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword("not-a-real-password-just-for-timing");
  return dummyHash;
}

/** Returns the reason a password is unacceptable, or undefined when it is fine. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN) return `Password must be at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `Password must be at most ${PASSWORD_MAX} characters`;
  if (password.trim().length === 0) return "Password must not be blank";
  return undefined;
}

/**
 * The common-password list of zxcvbn-ts (MIT, maintained): about 49,000 passwords ranked by how
 * often they appear in breach corpora, lower case. A password is too common when it is on the
 * list ignoring case (`Password` is as weak as `password`).
 */
let common: Set<string> | undefined;
export function tooCommon(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"]);
  return common.has(password.toLowerCase()) || common.has(password.trim().toLowerCase());
}
