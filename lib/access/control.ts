/**
 * The gateway's view of access: the login whitelist, the Casbin enforcer and the blacklists,
 * rebuilt from a snapshot of the access service whenever its version changes.
 */
import type { Enforcer } from "casbin";
import { IpBlocklist } from "./ip.ts";
import { buildEnforcer, defaultPolicy, isWhitelisted, type Rule } from "./policy.ts";

/** The shared-store key holding the version of the access lists and policy. */
export const ACCESS_VERSION_KEY = "access:version";

export interface AccessSnapshot {
  version: string;
  policy: Rule[];
  bannedUsers: string[];
  blockedIps: string[];
}

export class AccessControl {
  readonly whitelist: readonly string[];
  version = "defaults";
  private enforcer: Enforcer | undefined;
  private banned = new Set<string>();
  private blocked = new IpBlocklist([]);
  /** Decisions per (role, method, path); the key space is small and the policy rarely changes. */
  private decisions = new Map<string, boolean>();

  constructor(whitelist: readonly string[]) {
    this.whitelist = whitelist;
  }

  /** Starts from the policy file, before the access service has answered. */
  async useDefaults(): Promise<void> {
    this.enforcer = await buildEnforcer(defaultPolicy());
    this.decisions.clear();
  }

  async apply(snapshot: AccessSnapshot): Promise<void> {
    const enforcer = await buildEnforcer(snapshot.policy);
    this.enforcer = enforcer;
    this.banned = new Set(snapshot.bannedUsers);
    this.blocked = new IpBlocklist(snapshot.blockedIps);
    this.decisions = new Map();
    this.version = snapshot.version;
  }

  isWhitelisted(method: string, path: string): boolean {
    return isWhitelisted(this.whitelist, method, path);
  }

  isBanned(userId: string): boolean {
    return this.banned.has(userId);
  }

  isBlocked(address: string): boolean {
    return this.blocked.has(address);
  }

  async allows(role: string, method: string, path: string): Promise<boolean> {
    const key = `${role} ${method} ${path}`;
    const known = this.decisions.get(key);
    if (known !== undefined) return known;
    const allowed = this.enforcer ? await this.enforcer.enforce(role, path, method) : false;
    if (this.decisions.size > 10_000) this.decisions.clear();
    this.decisions.set(key, allowed);
    return allowed;
  }
}
