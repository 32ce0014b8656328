/**
 * Checking a login: the account's backoff first (no hash for an address that must wait), then
 * the password against the account's hash, or a dummy hash for an unknown email so timing does
 * not tell which emails exist; the outcome feeds the backoff.
 */
import { dummyPasswordHash, verifyPassword } from "../auth/passwords.ts";
import { RateLimitedError } from "../errors.ts";
import type { KeyValueStore } from "../store/kv.ts";
import { normaliseEmail } from "./email.ts";
import {
  loginWaitMs,
  recordLoginFailure,
  recordLoginSuccess,
  type LoginBackoffSettings,
} from "./login-backoff.ts";
import type { User, UserModels } from "./models.ts";

export interface LoginDeps {
  models: UserModels;
  store: KeyValueStore;
  backoff: LoginBackoffSettings;
}

/** The account the credentials open, or null for wrong ones; 429 while the address must wait. */
export async function checkLogin(
  deps: LoginDeps,
  email: string,
  password: string,
  clientIp: string | undefined,
): Promise<User | null> {
  const address = normaliseEmail(email);
  const wait = await loginWaitMs(deps.store, address, clientIp);
  if (wait > 0) throw new RateLimitedError(Math.ceil(wait / 1000));
  const user = await deps.models.User.findOne({ where: { email: address } });
  const hash = user?.passwordHash ?? (await dummyPasswordHash());
  const ok = await verifyPassword(hash, password);
  if (!user || !ok) {
    await recordLoginFailure(deps.store, deps.backoff, address);
    return null;
  }
  await recordLoginSuccess(deps.store, address, clientIp);
  return user;
}
