import { PASSWORD_MAX, PASSWORD_MIN } from "../../auth/password-limits.ts";
import { ROLES } from "../../auth/tokens.ts";
import { pageParams } from "../../pagination.ts";
import type { RouteDef } from "../route.ts";
import { object, page, text, timestamp } from "../schema.ts";

/** A user id as the routes take it (path): the account's numeric id. */
export const userIdRule = {
  type: "string",
  numeric: true,
  max: 20,
  description: "a user's id",
  example: "42",
} as const;

const roleRule = { type: "enum", values: [...ROLES] } as const;
/** A new password: the policy's length; blank and too common ones are refused by the action. */
const newPassword = {
  type: "string",
  min: PASSWORD_MIN,
  max: PASSWORD_MAX,
  description: `${PASSWORD_MIN}–${PASSWORD_MAX} characters, not blank, not a commonly used password`,
} as const;
const displayName = {
  type: "string",
  trim: true,
  max: 100,
  optional: true,
  description: "shown name (trimmed); the email's local part when left out at registration",
} as const;

/** A user as every route presents one (lib/users/models.ts publicUser): never a password hash. */
const user = object(
  {
    id: { type: "string", pattern: "^\\d+$", description: "the account's id" },
    email: { type: "string", description: "trimmed, Unicode NFC, lower-cased" },
    name: text,
    role: { type: "string", enum: [...ROLES] },
    createdAt: timestamp,
  },
  [],
  { title: "User" },
);

/** A logged-in session (lib/users/sessions.ts IssuedSession). */
const session = object(
  {
    user,
    accessToken: { type: "string", description: "JWT for `Authorization: Bearer`" },
    refreshToken: {
      type: "string",
      description: "opaque; exchanged once at POST /api/auth/refresh",
    },
    expiresIn: {
      type: "integer",
      minimum: 1,
      description: "seconds until the access token expires",
    },
  },
  [],
  { title: "Session" },
);

export const identityRoutes: RouteDef[] = [
  {
    method: "POST",
    path: "/auth/register",
    action: "users.register",
    access: "public",
    status: 201,
    location: () => "/api/users/me",
    summary: "Create an account and log in",
    description:
      "A customer account. The email is stored trimmed and lower-cased; one account per email " +
      "(409 `EMAIL_TAKEN`). A password on the common-password list → 422 `PASSWORD_TOO_COMMON`.",
    tag: "Identity",
    params: {
      email: { type: "email", normalize: true, max: 254, example: "ada@example.com" },
      password: newPassword,
      name: displayName,
    },
    errors: ["EMAIL_TAKEN", "PASSWORD_TOO_COMMON"],
    response: session,
  },
  {
    method: "POST",
    path: "/auth/login",
    action: "users.login",
    access: "public",
    summary: "Log in with email and password",
    description:
      "The same 401 `INVALID_CREDENTIALS` for an unknown email and a wrong password. Repeated " +
      "failures make the account wait (429 `RATE_LIMITED` with Retry-After), except for " +
      "addresses that logged in to it before. A banned account gets 403 `USER_BANNED`.",
    tag: "Identity",
    params: {
      email: { type: "string", max: 254, trim: true, example: "ada@example.com" },
      password: { type: "string", min: 1, max: PASSWORD_MAX },
    },
    // The gateway hands no session to a banned account (services/api.service.ts onAfterCall).
    errors: ["INVALID_CREDENTIALS", "USER_BANNED"],
    response: session,
  },
  {
    method: "POST",
    path: "/auth/refresh",
    action: "users.refresh",
    access: "public",
    summary: "Exchange a refresh token for new tokens (rotation)",
    description:
      "The presented token is dead afterwards; presenting it again revokes the whole session, " +
      "except within a short grace after its rotation, when it gets the same new pair. A " +
      "banned account gets 403 `USER_BANNED`.",
    tag: "Identity",
    params: { refreshToken: { type: "string", min: 1, max: 512 } },
    errors: ["INVALID_REFRESH_TOKEN", "USER_BANNED"],
    response: session,
  },
  {
    method: "POST",
    path: "/auth/logout",
    action: "users.logout",
    access: "user",
    status: 204,
    summary: "Revoke the current session on every node",
    tag: "Identity",
    params: {},
  },
  {
    method: "GET",
    path: "/users/me",
    action: "users.me",
    access: "user",
    summary: "The caller's profile",
    tag: "Identity",
    params: {},
    errors: ["ACCOUNT_DELETED"],
    response: user,
  },
  {
    method: "PATCH",
    path: "/users/me",
    action: "users.updateMe",
    access: "user",
    summary: "Change name or password",
    description:
      "A new password needs `currentPassword` (422 `VALIDATION_ERROR` without it, " +
      "`INVALID_CURRENT_PASSWORD` when wrong) and ends every other session of the account.",
    tag: "Identity",
    params: {
      name: displayName,
      password: { ...newPassword, optional: true },
      currentPassword: { type: "string", min: 1, max: PASSWORD_MAX, optional: true },
    },
    errors: ["ACCOUNT_DELETED", "PASSWORD_TOO_COMMON", "INVALID_CURRENT_PASSWORD"],
    response: user,
  },
  {
    method: "DELETE",
    path: "/users/me",
    action: "users.deleteMe",
    access: "user",
    status: 204,
    summary: "Delete the caller's account; its tokens die at once",
    tag: "Identity",
    params: {},
    errors: ["ACCOUNT_DELETED"],
  },
  {
    method: "GET",
    path: "/admin/users",
    action: "users.list",
    access: ["admin"],
    summary: "List users (admin)",
    description: "Newest first; `q` searches the email and the name.",
    tag: "Administration",
    params: {
      ...pageParams,
      q: { type: "string", trim: true, max: 100, optional: true },
      role: { ...roleRule, optional: true },
    },
    response: page(user),
  },
  {
    method: "PATCH",
    path: "/admin/users/:id",
    action: "users.setRole",
    access: ["admin"],
    summary: "Change a user's role (admin)",
    description: "A changed role ends the user's sessions, so it applies at once.",
    tag: "Administration",
    params: { id: userIdRule, role: roleRule },
    errors: ["NOT_FOUND"],
    response: user,
  },
];
