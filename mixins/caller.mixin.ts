/**
 * Gives a service the caller checks of lib/auth/caller.ts as methods: `this.requireUser(ctx)`,
 * `this.requireRole(ctx, roles, message?)` and `this.callerId(ctx)`. Same errors everywhere:
 * 401 UNAUTHORIZED without a user, 403 FORBIDDEN for a user without the role.
 */
import type { ServiceSchema } from "moleculer";
import {
  callerId,
  requireRole,
  requireUser,
  type Caller,
  type WithCaller,
} from "../lib/auth/caller.ts";
import type { Role } from "../lib/auth/tokens.ts";

/** The methods this mixin adds; a service lists them in its methods type. */
export interface CallerMethods {
  requireUser(ctx: WithCaller): Caller;
  requireRole(ctx: WithCaller, roles: readonly Role[], message?: string): Caller;
  callerId(ctx: WithCaller): string;
}

const methods: CallerMethods = { requireUser, requireRole, callerId };

export const CallerMixin: Partial<ServiceSchema> = {
  methods: { ...methods },
};
