import type { RouteDef } from "../route.ts";

const admin = ["admin"] as const;
const rule = {
  type: "array",
  items: { type: "string" },
  minItems: 3,
  maxItems: 4,
  description: '["p", role, path, method] or ["g", role, parentRole]',
};

export const accessRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/admin/access",
    action: "access.overview",
    access: admin,
    summary: "The access lists: login whitelist and blacklists of users and addresses",
    tag: "Administration",
  },
  {
    method: "PUT",
    path: "/admin/access/blacklist/users/:id",
    action: "access.banUser",
    access: admin,
    summary: "Ban a user: 403 USER_BANNED on every call, on every node, at once",
    tag: "Administration",
  },
  {
    method: "DELETE",
    path: "/admin/access/blacklist/users/:id",
    action: "access.unbanUser",
    access: admin,
    summary: "Lift a ban; idempotent (200 also when the user is not banned)",
    tag: "Administration",
  },
  {
    method: "PUT",
    path: "/admin/access/blacklist/ips/:ip",
    action: "access.blockIp",
    access: admin,
    summary:
      "Block an address or CIDR range (URL-encoded) on every route: dotted-quad IPv4 or IPv6, with an optional /prefix; anything else → 422",
    tag: "Administration",
  },
  {
    method: "DELETE",
    path: "/admin/access/blacklist/ips/:ip",
    action: "access.unblockIp",
    access: admin,
    summary: "Unblock an address or range; idempotent (200 also when it is not blocked)",
    tag: "Administration",
  },
  {
    method: "GET",
    path: "/admin/access/policy",
    action: "access.policy",
    access: admin,
    summary: "The Casbin policy rules in force",
    tag: "Administration",
  },
  {
    method: "POST",
    path: "/admin/access/policy",
    action: "access.addRule",
    access: admin,
    summary: "Add a policy rule (applies on every gateway within a second)",
    tag: "Administration",
    body: { rule },
    requiredBody: ["rule"],
  },
  {
    method: "POST",
    path: "/admin/access/policy/remove",
    action: "access.removeRule",
    access: admin,
    summary: "Remove a policy rule",
    tag: "Administration",
    body: { rule },
    requiredBody: ["rule"],
  },
];
