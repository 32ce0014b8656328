/**
 * The gateway's view of access: the login whitelist, the Casbin enforcer and the blacklists,
 * rebuilt from a snapshot of the access service whenever its version changes. Versions are the
 * access service's change counter: snapshots are applied one at a time and never one older than
 * the one in force, so a slow snapshot of the ban cannot land after the unban's.
 */
import type { Enforcer } from "casbin";
import { IpBlocklist } from "./ip.ts";
import { buildEnforcer, defaultPolicy, isWhitelisted, type Rule } from "./policy.ts";

/** The shared-store key holding the version (a change counter) of the access lists and policy. */
export const ACCESS_VERSION_KEY = "access:revision";

/** A snapshot's version as a number: the change counter, 0 before the first change. */
export function versionNumber(version: string): number {
  const n = Number(version);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

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
  /** The snapshot being applied: the next one waits for it. */
  private applying: Promise<unknown> = Promise.resolve();
  private fromService = false;

  constructor(whitelist: readonly string[]) {
    this.whitelist = whitelist;
  }

  /** Starts from the policy file, before the access service has answered. */
  async useDefaults(): Promise<void> {
    this.enforcer = await buildEnforcer(defaultPolicy());
    this.decisions.clear();
  }

  /**
   * Applies the snapshot unless one at least as new is in force (true when applied). `rewind`
   * takes an older one too: the shared store lost the counter and it starts again.
   */
  apply(snapshot: AccessSnapshot, opts: { rewind?: boolean } = {}): Promise<boolean> {
    const run = this.applying.then(async () => {
      const older = versionNumber(snapshot.version) <= versionNumber(this.version);
      if (this.fromService && older && !opts.rewind) return false;
      const enforcer = await buildEnforcer(snapshot.policy);
      this.enforcer = enforcer;
      this.banned = new Set(snapshot.bannedUsers);
      this.blocked = new IpBlocklist(snapshot.blockedIps);
      this.decisions = new Map();
      this.version = snapshot.version;
      this.fromService = true;
      return true;
    });
    this.applying = run.catch(() => undefined);
    return run;
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
    // The enforcer and the cache of one version: a snapshot applied while this decision is made
    // must not get the old version's answer in its cache.
    const { enforcer, decisions } = this;
    const known = decisions.get(key);
    if (known !== undefined) return known;
    const allowed = enforcer ? await enforcer.enforce(role, path, method) : false;
    if (decisions.size > 10_000) decisions.clear();
    decisions.set(key, allowed);
    return allowed;
  }
}
