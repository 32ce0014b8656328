/**
 * Shoppers for the authenticated scenarios. Registering 2,000 buyers through the API would hash
 * 2,000 passwords with argon2 (a minute of CPU on this machine, and not what those scenarios
 * measure), so the accounts are written straight into the users table with one precomputed hash of
 * BENCH_PASSWORD, and their access tokens are signed with the run's JWT secret by the same code as
 * the users service (lib/auth/tokens.ts). Logins (the login scenario) verify the real hash.
 */
import { randomUUID } from "node:crypto";
import mysql from "mysql2/promise";
import { loadConfig } from "../../lib/config.ts";
import { hashPassword } from "../../lib/auth/passwords.ts";
import { signAccessToken } from "../../lib/auth/tokens.ts";

export const BENCH_PASSWORD = "bench-password-1234";

export interface Shopper {
  id: string;
  email: string;
  token: string;
}

let passwordHash: Promise<string> | undefined;

/** Creates `count` customer accounts named `<prefix>-<n>@bench.test`, with access tokens. */
export async function createShoppers(
  databaseUrl: string,
  env: Record<string, string>,
  prefix: string,
  count: number,
): Promise<Shopper[]> {
  passwordHash ??= hashPassword(BENCH_PASSWORD);
  const hash = await passwordHash;
  const config = loadConfig(env);
  const settings = {
    secret: config.jwtSecret,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    accessTtlSeconds: config.accessTokenTtlSeconds,
  };
  const db = await mysql.createConnection(databaseUrl);
  try {
    const emails = Array.from({ length: count }, (_, i) => `${prefix}-${i}@bench.test`);
    for (let i = 0; i < emails.length; i += 500) {
      const rows = emails
        .slice(i, i + 500)
        .map((email) => [email, email.split("@")[0], hash, "customer", new Date(), new Date()]);
      await db.query(
        "INSERT INTO users (email, name, passwordHash, role, createdAt, updatedAt) VALUES ?",
        [rows],
      );
    }
    const [found] = await db.query("SELECT id, email FROM users WHERE email IN (?)", [emails]);
    const ids = new Map(
      (found as Array<{ id: number; email: string }>).map((r) => [r.email, r.id]),
    );
    return emails.map((email) => {
      const id = String(ids.get(email));
      return {
        id,
        email,
        token: signAccessToken(settings, { id, role: "customer" }, randomUUID()),
      };
    });
  } finally {
    await db.end();
  }
}
