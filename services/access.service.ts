/**
 * access: who may do what. Owns the Casbin policy and the blacklists of users and addresses;
 * every change bumps a version (a counter in the shared store) and is applied by every gateway
 * node before the admin's call returns; a node that did not answer catches up through its
 * version poll.
 * Owns the tables `access_policy`, `access_policy_defaults`, `banned_users`, `blocked_ips`.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { normaliseCidr } from "../lib/access/ip.ts";
import { applyDefaults } from "../lib/access/defaults.ts";
import { defineAccessModels, ruleOf, rowOf, type AccessModels } from "../lib/access/models.ts";
import { defaultPolicy, loadWhitelist, ruleProblem, type Rule } from "../lib/access/policy.ts";
import { ACCESS_VERSION_KEY, type AccessSnapshot } from "../lib/access/control.ts";
import { NotFoundError, UnprocessableError } from "../lib/errors.ts";
import { paramsOf } from "../lib/http/routes/index.ts";
import { platformOf } from "../lib/platform.ts";
import type { CallerMeta } from "../lib/auth/caller.ts";
import { DbMixin, type DbVars } from "../mixins/db.mixin.ts";

type Ctx<P = unknown> = Context<P, CallerMeta>;

interface AccessVars extends DbVars<AccessModels> {
  whitelist: string[];
}
interface AccessMethods {
  changed(): Promise<string>;
  snapshot(): Promise<AccessSnapshot>;
  publish(snapshot: AccessSnapshot): Promise<void>;
  applyDefaults(): Promise<number>;
}

/** The version counter never expires in practice (a gateway copes with a reset anyway). */
const VERSION_TTL_MS = 100 * 365 * 86_400_000;
/** How long a change waits for each gateway node to apply it. */
const PUSH_TIMEOUT_MS = 5_000;

const AccessService: ServiceSchema<ServiceSettingSchema, AccessMethods, AccessVars> = {
  name: "access",
  mixins: [DbMixin(defineAccessModels)],

  actions: {
    /** Internal: everything a gateway needs to decide, with its version. */
    snapshot: {
      visibility: "public",
      handler() {
        return this.snapshot();
      },
    },

    /** The access lists (admin). */
    overview: {
      params: paramsOf("access.overview"),
      async handler() {
        const s = await this.snapshot();
        return {
          whitelist: this.whitelist,
          blacklist: { users: s.bannedUsers, ips: s.blockedIps },
        };
      },
    },

    /** Bans a user: 403 USER_BANNED on every call at once, and their sessions end. */
    banUser: {
      params: paramsOf("access.banUser"),
      async handler(ctx: Ctx<{ id: string }>) {
        if (ctx.meta.user?.id === ctx.params.id) {
          throw new UnprocessableError("You cannot ban yourself", "CANNOT_BAN_SELF");
        }
        await ctx.call("users.get", { id: ctx.params.id }); // 404 for an unknown user
        await this.models.BannedUser.findOrCreate({
          where: { userId: ctx.params.id },
          defaults: { userId: ctx.params.id, reason: null },
        });
        await this.changed();
        await ctx.call("users.revokeSessions", { userId: ctx.params.id });
        return { banned: true, userId: ctx.params.id };
      },
    },

    /** Lifts a ban; idempotent: lifting a ban that is not there is a 200 too (as unblockIp). */
    unbanUser: {
      params: paramsOf("access.unbanUser"),
      async handler(ctx: Ctx<{ id: string }>) {
        await this.models.BannedUser.destroy({ where: { userId: ctx.params.id } });
        await this.changed();
        return { banned: false, userId: ctx.params.id };
      },
    },

    /** Blocks an address or CIDR range on every route. */
    blockIp: {
      params: paramsOf("access.blockIp"),
      async handler(ctx: Ctx<{ ip: string }>) {
        const cidr = cidrOf(ctx.params.ip);
        await this.models.BlockedIp.findOrCreate({ where: { cidr }, defaults: { cidr } });
        await this.changed();
        return { blocked: true, ip: cidr };
      },
    },

    /**
     * Unblocks an address or range (as it was blocked); idempotent like unbanUser: an address
     * that is not blocked is a 200 too, and nothing changes.
     */
    unblockIp: {
      params: paramsOf("access.unblockIp"),
      async handler(ctx: Ctx<{ ip: string }>) {
        const cidr = cidrOf(ctx.params.ip);
        await this.models.BlockedIp.destroy({ where: { cidr } });
        await this.changed();
        return { blocked: false, ip: cidr };
      },
    },

    /** The Casbin policy rules (admin). */
    policy: {
      params: paramsOf("access.policy"),
      async handler() {
        return { rules: (await this.snapshot()).policy };
      },
    },

    /** Adds a policy rule; applies on every gateway within a second. */
    addRule: {
      params: paramsOf("access.addRule"),
      async handler(ctx: Ctx<{ rule: Rule }>) {
        const r = ctx.params.rule.map((s) => s.trim());
        const problem = ruleProblem(r);
        if (problem)
          throw new UnprocessableError(problem, "INVALID_RULE", [
            { field: "rule", message: problem },
          ]);
        await this.models.PolicyRow.findOrCreate({ where: rowOf(r), defaults: rowOf(r) });
        await this.changed();
        return { rules: (await this.snapshot()).policy };
      },
    },

    /** Removes a policy rule. */
    removeRule: {
      params: paramsOf("access.removeRule"),
      async handler(ctx: Ctx<{ rule: Rule }>) {
        const removed = await this.models.PolicyRow.destroy({
          where: rowOf(ctx.params.rule.map((s) => s.trim())),
        });
        if (removed === 0) throw new NotFoundError("Rule");
        await this.changed();
        return { rules: (await this.snapshot()).policy };
      },
    },
  },

  methods: {
    async snapshot() {
      // The version first: the rows read after it hold every change up to that version.
      const version = await platformOf(this.broker).store.get(ACCESS_VERSION_KEY);
      const [policy, banned, blocked] = await Promise.all([
        this.models.PolicyRow.findAll({ order: [["id", "ASC"]] }),
        this.models.BannedUser.findAll({ attributes: ["userId"] }),
        this.models.BlockedIp.findAll({ attributes: ["cidr"] }),
      ]);
      return {
        version: version ?? "initial",
        policy: policy.map(ruleOf),
        bannedUsers: banned.map((b) => String(b.userId)),
        blockedIps: blocked.map((b) => b.cidr),
      };
    },

    /** Publishes a committed change: a new version, in force on every gateway node on return. */
    async changed() {
      const { count } = await platformOf(this.broker).store.hit(ACCESS_VERSION_KEY, VERSION_TTL_MS);
      const snapshot = await this.snapshot();
      await this.publish(snapshot);
      return String(count);
    },

    /** Makes every gateway node apply the snapshot and waits for each (a lost one polls). */
    async publish(snapshot) {
      const gateways = new Set(
        this.broker.registry
          .getServiceList({ onlyAvailable: true })
          .flatMap((s) => (s.name === "api" && s.nodeID ? [s.nodeID] : [])),
      );
      const results = await Promise.allSettled(
        [...gateways].map((nodeID) =>
          this.broker.call("api.applyAccess", snapshot, {
            nodeID,
            timeout: PUSH_TIMEOUT_MS,
            retries: 0,
          }),
        ),
      );
      for (const r of results) {
        if (r.status === "rejected") {
          this.logger.warn(
            `A gateway did not apply access version ${snapshot.version}: ${r.reason}`,
          );
        }
      }
    },

    /** Adds the shipped default rules never applied before; answers how many. */
    applyDefaults() {
      return applyDefaults(this.db, this.models, defaultPolicy());
    },
  },

  created() {
    this.whitelist = loadWhitelist(platformOf(this.broker).config.accessWhitelistFile);
  },

  async started() {
    const added = await this.applyDefaults();
    if (added === 0) return;
    this.logger.info(`Added ${added} default policy rule(s) new in this release`);
    // Gateways already running hold the policy without them: a new version makes them reload.
    await this.changed().catch((err: Error) =>
      this.logger.warn(
        `Gateways learn of the new default rules at the next change: ${err.message}`,
      ),
    );
  },
};

function cidrOf(input: string): string {
  const cidr = normaliseCidr(input);
  if (!cidr) {
    throw new UnprocessableError("Not an IP address or CIDR range", "VALIDATION_ERROR", [
      { field: "ip", message: "Not an IP address or CIDR range" },
    ]);
  }
  return cidr;
}

export default AccessService;
