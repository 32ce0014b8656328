/**
 * Who is calling, as every service sees it: the gateway verifies the bearer token and puts the
 * user in `ctx.meta.user`; Moleculer carries the meta to every sub-call, so a service called by
 * another on the user's behalf sees the same caller. One meta type and one way to require a user
 * or a role (mixins/caller.mixin.ts gives services these as methods).
 */
import { ForbiddenError, UnauthorizedError } from "../errors.ts";
import type { Role } from "./tokens.ts";

/** The user behind a request: only the id and role ride along, never the profile. */
export interface Caller {
  id: string;
  role: Role;
}

/** What travels in ctx.meta from the gateway to the services (and on to their sub-calls). */
export interface CallerMeta {
  /** The verified token's user; null or absent for an anonymous request. */
  user?: Caller | null;
  /** The session (refresh-token family) of the token, for logout and password changes. */
  sessionId?: string;
  /** The client's address as the gateway saw it (TRUST_PROXY). */
  clientIp?: string;
  /** The request's Idempotency-Key header, on routes that take one. */
  idempotencyKey?: string;
  /** moleculer-web's answer controls, set by an action for its HTTP response. */
  $statusCode?: number;
  $responseHeaders?: Record<string, string>;
  $responseType?: string;
}

/** Anything that carries the meta: a Moleculer context, or a test's plain object. */
export interface WithCaller {
  meta: CallerMeta;
}

/** The calling user, or 401 UNAUTHORIZED for an anonymous request. */
export function requireUser(ctx: WithCaller): Caller {
  const user = ctx.meta.user;
  if (!user?.id) throw new UnauthorizedError();
  return user;
}

/** The calling user when they hold one of `roles`: 401 without a user, 403 FORBIDDEN otherwise. */
export function requireRole(ctx: WithCaller, roles: readonly Role[], message?: string): Caller {
  const user = requireUser(ctx);
  if (!roles.includes(user.role)) throw new ForbiddenError(message);
  return user;
}

/** The calling user's id (401 when anonymous). */
export function callerId(ctx: WithCaller): string {
  return String(requireUser(ctx).id);
}
