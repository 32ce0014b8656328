/**
 * users: identity. Accounts, password login, refresh-token sessions, roles.
 * Owns the tables `users` and `refresh_tokens`.
 */
import { availableParallelism } from "node:os";
import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { Op, UniqueConstraintError } from "sequelize";
import {
  dummyPasswordHash,
  hashPassword,
  passwordProblem,
  tooCommon,
  verifyPassword,
} from "../lib/auth/passwords.ts";
import type { CallerMeta } from "../lib/auth/caller.ts";
import type { Role } from "../lib/auth/tokens.ts";
import {
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  UnprocessableError,
  type TypeOf,
} from "../lib/errors.ts";
import { pageWindow, toPage, type PageRequest } from "../lib/pagination.ts";
import { paramsOf } from "../lib/http/routes/index.ts";
import { countLogin } from "../lib/observability/metrics.ts";
import { platformOf } from "../lib/platform.ts";
import { HASH_THREAD_NICE, lowerPoolPriority } from "../lib/auth/hash-priority.ts";
import { defineUserModels, publicUser, type UserModels } from "../lib/users/models.ts";
import { SAFE_READ_RETRY } from "../lib/resilience/retry.ts";
import {
  issueSession,
  revokeFamily,
  revokeUserSessions,
  rotateSession,
  type SessionDeps,
} from "../lib/users/sessions.ts";
import { normaliseEmail } from "../lib/users/email.ts";
import { checkLogin, type LoginDeps } from "../lib/users/login.ts";
import { CallerMixin, type CallerMethods } from "../mixins/caller.mixin.ts";
import { DbMixin, type DbVars } from "../mixins/db.mixin.ts";
import { addressActions, initAccount } from "./users/addresses.actions.ts";

type Ctx<P = unknown> = Context<P, CallerMeta>;

interface RegisterParams {
  email: string;
  password: string;
  name?: string;
}
interface LoginParams {
  email: string;
  password: string;
}
interface UpdateMeParams {
  name?: string;
  password?: string;
  currentPassword?: string;
}
interface ListParams extends PageRequest {
  q?: string;
  role?: Role;
}

/** argon2 is the heaviest work here: bounded so logins cannot starve the node's other calls. */
// One hash per spare core: measured on 2 cores, 4 at once left logins/s unchanged but tripled
// other routes' p99 (docs/benchmarks.md); hashing still runs on libuv's pool, off the event loop,
// whose threads run at a lower priority than the loop (lib/auth/hash-priority.ts).
const PASSWORD_BULKHEAD = {
  enabled: true,
  concurrency: Math.max(1, availableParallelism() - 1),
  maxQueueSize: 500,
};

interface UsersVars extends DbVars<UserModels> {
  sessions: SessionDeps;
  loginDeps: LoginDeps;
}
interface UsersMethods extends CallerMethods {
  requireAccount(ctx: Ctx): Promise<InstanceType<UserModels["User"]>>;
}

const UsersService: ServiceSchema<ServiceSettingSchema, UsersMethods, UsersVars> = {
  name: "users",
  mixins: [DbMixin(defineUserModels), CallerMixin],

  actions: {
    ...addressActions,

    /** Creates a customer account and returns a logged-in session. */
    register: {
      bulkhead: PASSWORD_BULKHEAD,
      params: paramsOf("users.register"),
      async handler(ctx: Ctx<RegisterParams>) {
        const { password: secret, name } = ctx.params;
        const address = normaliseEmail(ctx.params.email);
        const problem = passwordProblem(secret);
        if (problem) throw fieldError("password", problem);
        if (tooCommon(secret)) throw commonPassword();
        if (await this.models.User.findOne({ where: { email: address }, attributes: ["id"] })) {
          throw emailTaken();
        }
        let user;
        try {
          user = await this.models.User.create({
            email: address,
            name: name ?? address.split("@")[0],
            passwordHash: await hashPassword(secret),
            role: "customer",
          });
        } catch (err) {
          if (err instanceof UniqueConstraintError) throw emailTaken();
          throw err;
        }
        return issueSession(this.sessions, user);
      },
    },

    /** Logs in with email and password; the same answer for an unknown email and a wrong password. */
    login: {
      bulkhead: PASSWORD_BULKHEAD,
      params: paramsOf("users.login"),
      async handler(ctx: Ctx<LoginParams>) {
        const { email: address, password: secret } = ctx.params;
        const user = await checkLogin(this.loginDeps, address, secret, ctx.meta.clientIp);
        countLogin(this.broker, user ? "success" : "failure");
        if (!user) throw new UnauthorizedError("Invalid email or password", "INVALID_CREDENTIALS");
        return issueSession(this.sessions, user);
      },
    },

    /** Rotates a refresh token into a new access/refresh pair. */
    refresh: {
      params: paramsOf("users.refresh"),
      handler(ctx: Ctx<{ refreshToken: string }>) {
        return rotateSession(this.sessions, ctx.params.refreshToken);
      },
    },

    /** Ends the caller's session on every node. */
    logout: {
      params: paramsOf("users.logout"),
      async handler(ctx: Ctx) {
        if (!ctx.meta.sessionId) throw new UnauthorizedError();
        await revokeFamily(this.sessions, ctx.meta.sessionId);
        return null;
      },
    },

    /** The caller's profile. */
    me: {
      retryPolicy: SAFE_READ_RETRY,
      params: paramsOf("users.me"),
      async handler(ctx: Ctx) {
        return publicUser(await this.requireAccount(ctx));
      },
    },

    /** Changes the caller's name and/or password (the latter needs the current password). */
    updateMe: {
      bulkhead: PASSWORD_BULKHEAD,
      params: paramsOf("users.updateMe"),
      async handler(ctx: Ctx<UpdateMeParams>) {
        const user = await this.requireAccount(ctx);
        const { name, password: next, currentPassword } = ctx.params;
        if (next !== undefined) {
          const problem = passwordProblem(next);
          if (problem) throw fieldError("password", problem);
          if (tooCommon(next)) throw commonPassword();
          if (currentPassword === undefined) {
            throw fieldError(
              "currentPassword",
              "The current password is required to set a new one",
            );
          }
          if (!(await verifyPassword(user.passwordHash, currentPassword))) {
            throw fieldError(
              "currentPassword",
              "The current password is wrong",
              "INVALID_CURRENT_PASSWORD",
            );
          }
          user.passwordHash = await hashPassword(next);
        }
        if (name !== undefined) user.name = name;
        await user.save();
        // A new password ends every other session; this one goes on.
        if (next !== undefined)
          await revokeUserSessions(this.sessions, user.id, ctx.meta.sessionId);
        return publicUser(user);
      },
    },

    /** Deletes the caller's account; its tokens stop working at once. */
    deleteMe: {
      params: paramsOf("users.deleteMe"),
      async handler(ctx: Ctx) {
        const user = await this.requireAccount(ctx);
        await revokeUserSessions(this.sessions, user.id);
        await platformOf(this.broker).revocations.revokeUser(user.id);
        await this.models.RefreshToken.destroy({ where: { userId: user.id } });
        await user.destroy();
        this.broker.emit("user.deleted", { userId: user.id });
        return null;
      },
    },

    /** Lists users for administrators. */
    list: {
      params: paramsOf("users.list"),
      async handler(ctx: Ctx<ListParams>) {
        const { page, pageSize, limit, offset } = pageWindow(ctx.params);
        const where: Record<string | symbol, unknown> = {};
        if (ctx.params.role) where.role = ctx.params.role;
        // An email is searched as it is stored (normaliseEmail); LIKE ignores case for names.
        const q = normaliseEmail(ctx.params.q);
        if (q) {
          const like = `%${q.replace(/[\\%_]/g, "\\$&")}%`;
          where[Op.or] = [{ email: { [Op.like]: like } }, { name: { [Op.like]: like } }];
        }
        const { rows, count } = await this.models.User.findAndCountAll({
          where,
          order: [["id", "DESC"]],
          limit,
          offset,
        });
        return toPage(rows.map(publicUser), count, page, pageSize);
      },
    },

    /** Changes a user's role (admin); the user's sessions end so the new role applies at once. */
    setRole: {
      params: paramsOf("users.setRole"),
      async handler(ctx: Ctx<{ id: string; role: Role }>) {
        const user = await this.models.User.findByPk(ctx.params.id);
        if (!user) throw new NotFoundError("User", ctx.params.id);
        if (user.role !== ctx.params.role) {
          user.role = ctx.params.role;
          await user.save();
          await revokeUserSessions(this.sessions, user.id);
        }
        return publicUser(user);
      },
    },

    /** Internal: a user's public profile by id. */
    get: {
      visibility: "public",
      retryPolicy: SAFE_READ_RETRY,
      params: { id: { type: "string", max: 20 } },
      async handler(ctx: Ctx<{ id: string }>) {
        const user = await this.models.User.findByPk(ctx.params.id);
        if (!user) throw new NotFoundError("User", ctx.params.id);
        return publicUser(user);
      },
    },

    /** Internal: ends every session of a user (bans); their access tokens stop at once. */
    revokeSessions: {
      visibility: "public",
      params: { userId: { type: "string", max: 20 } },
      async handler(ctx: Ctx<{ userId: string }>) {
        await revokeUserSessions(this.sessions, ctx.params.userId);
        return { revoked: true };
      },
    },

    /** Internal: answers when the users database answers (used by gateway readiness). */
    ping: {
      visibility: "public",
      retryPolicy: SAFE_READ_RETRY,
      async handler() {
        await this.db.query("SELECT 1");
        return { database: "ok", nodeID: this.broker.nodeID };
      },
    },
  },

  methods: {
    /** The caller's account row (401 when anonymous or when the account is gone). */
    async requireAccount(ctx: Ctx) {
      const user = await this.models.User.findByPk(this.callerId(ctx));
      // A token may outlive its account by a few milliseconds across nodes.
      if (!user) throw new UnauthorizedError("This account no longer exists", "ACCOUNT_DELETED");
      return user;
    },
  },

  created() {
    const platform = platformOf(this.broker);
    initAccount(this);
    this.sessions = {
      sequelize: this.db,
      models: this.models,
      tokens: platform.tokens,
      revocations: platform.revocations,
      refreshTtlSeconds: platform.config.refreshTokenTtlSeconds,
      store: platform.store,
      reuseGraceMs: platform.config.refreshReuseGraceSeconds * 1000,
    };
    this.loginDeps = {
      models: this.models,
      store: platform.store,
      backoff: {
        free: platform.config.rateLimits.loginAccount,
        maxDelayMs: platform.config.loginBackoffMaxSeconds * 1000,
      },
    };
  },

  async started() {
    const { adminEmail, adminPassword, databaseDialect } = platformOf(this.broker).config;
    if (databaseDialect !== "sqlite") {
      // Starts libuv's pool (and makes the timing-safe dummy hash) before lowering its threads.
      await dummyPasswordHash();
      const lowered = lowerPoolPriority();
      if (lowered > 0) this.logger.info(`Password hashing threads at nice ${HASH_THREAD_NICE}`);
    }
    if (!adminEmail || !adminPassword) return;
    const address = normaliseEmail(adminEmail);
    if (await this.models.User.findOne({ where: { email: address } })) return;
    try {
      await this.models.User.create({
        email: address,
        name: "Administrator",
        passwordHash: await hashPassword(adminPassword),
        role: "admin",
      });
      this.logger.info(`Admin account ${address} created from ADMIN_EMAIL`);
    } catch (err) {
      // Another users node bootstrapped it first.
      if (!(err instanceof UniqueConstraintError)) throw err;
    }
  },
};

function emailTaken(): ConflictError {
  return new ConflictError("An account with this email already exists", "EMAIL_TAKEN");
}

function commonPassword(): UnprocessableError {
  const message = "This password is too common: it is among the first guesses of any attacker";
  return new UnprocessableError(message, "PASSWORD_TOO_COMMON", [{ field: "password", message }]);
}

function fieldError(
  field: string,
  message: string,
  type: TypeOf<422> = "VALIDATION_ERROR",
): UnprocessableError {
  return new UnprocessableError(message, type, [{ field, message }]);
}

export default UsersService;
