/**
 * Revocation of access tokens before they expire: by session (logout, refresh-token reuse) or by
 * user (account deletion, ban, password change). Entries live only as long as an access token
 * can, so the store stays small. Shared store → every gateway node sees a revocation at once.
 */
import type { KeyValueStore } from "../store/kv.ts";
import type { AccessClaims } from "./tokens.ts";

export class Revocations {
  private readonly store: KeyValueStore;
  private readonly ttlMs: number;

  constructor(store: KeyValueStore, accessTtlSeconds: number) {
    this.store = store;
    // One extra minute covers clock skew between nodes.
    this.ttlMs = (accessTtlSeconds + 60) * 1000;
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.store.set(`rv:s:${sessionId}`, "1", this.ttlMs);
  }

  /** Every access token of the user issued up to now stops working. */
  async revokeUser(userId: string, now = Date.now()): Promise<void> {
    await this.store.set(`rv:u:${userId}`, String(Math.floor(now / 1000)), this.ttlMs);
  }

  /**
   * Whether the token was revoked; "unknown" when the store cannot say (Redis lost). A token
   * whose revocation cannot be checked is never accepted: the caller fails closed.
   */
  async status(claims: AccessClaims): Promise<"valid" | "revoked" | "unknown"> {
    try {
      return (await this.isRevoked(claims)) ? "revoked" : "valid";
    } catch {
      return "unknown";
    }
  }

  async isRevoked(claims: AccessClaims): Promise<boolean> {
    const [session, user] = await this.store.mget([
      `rv:s:${claims.sessionId}`,
      `rv:u:${claims.userId}`,
    ]);
    if (session !== null) return true;
    return user !== null && claims.issuedAt <= Number(user);
  }
}
