import type { RouteDef } from "../route.ts";
import { object } from "../schema.ts";
import { userIdRule } from "./identity.ts";

const admin = ["admin"] as const;

/** A policy rule as the routes take it (lib/access/policy.ts `ruleProblem` checks the rest). */
const ruleRule = {
  type: "array",
  items: { type: "string", min: 1, max: 200 },
  min: 3,
  max: 4,
  description: '["p", role, path, method] or ["g", role, parentRole]; parts without commas',
  example: ["p", "merchant", "/api/merchant/*", "GET"],
} as const;

/** An address or range (path, URL-encoded); `normaliseCidr` refuses anything else with a 422. */
const ipRule = {
  type: "string",
  min: 2,
  max: 64,
  description: "dotted-quad IPv4 or IPv6, with an optional /prefix, URL-encoded",
  example: "203.0.113.0/24",
} as const;

const strings = { type: "array", items: { type: "string" } };
const rules = object(
  {
    rules: {
      type: "array",
      description: "in the order they were added",
      items: { type: "array", items: { type: "string" }, minItems: 3, maxItems: 4 },
    },
  },
  [],
  { title: "PolicyRules" },
);
const cidr = { type: "string", description: "as stored: the address with its /prefix" };

export const accessRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/admin/access",
    action: "access.overview",
    access: admin,
    summary: "The access lists: login whitelist and blacklists of users and addresses",
    tag: "Administration",
    params: {},
    response: object(
      {
        whitelist: { ...strings, description: '"METHOD /path" patterns open without a login' },
        blacklist: object({
          users: { type: "array", items: { type: "string", pattern: "^\\d+$" } },
          ips: { type: "array", items: cidr },
        }),
      },
      [],
      { title: "AccessLists" },
    ),
  },
  {
    method: "PUT",
    path: "/admin/access/blacklist/users/:id",
    action: "access.banUser",
    access: admin,
    summary: "Ban a user",
    description:
      "The user gets 403 `USER_BANNED` on every call, on every node, at once, and their " +
      "sessions end. An unknown user → 404; the caller themselves → 422 `CANNOT_BAN_SELF`.",
    tag: "Administration",
    params: { id: userIdRule },
    errors: ["CANNOT_BAN_SELF", "NOT_FOUND"],
    response: object({ banned: { const: true }, userId: { type: "string" } }),
  },
  {
    method: "DELETE",
    path: "/admin/access/blacklist/users/:id",
    action: "access.unbanUser",
    access: admin,
    summary: "Lift a ban; idempotent (200 also when the user is not banned)",
    tag: "Administration",
    params: { id: userIdRule },
    response: object({ banned: { const: false }, userId: { type: "string" } }),
  },
  {
    method: "PUT",
    path: "/admin/access/blacklist/ips/:ip",
    action: "access.blockIp",
    access: admin,
    summary: "Block an address or CIDR range on every route",
    description:
      "Dotted-quad IPv4 or IPv6, with an optional /prefix, URL-encoded; anything else → 422 " +
      "`VALIDATION_ERROR`.",
    tag: "Administration",
    params: { ip: ipRule },
    response: object({ blocked: { const: true }, ip: cidr }),
  },
  {
    method: "DELETE",
    path: "/admin/access/blacklist/ips/:ip",
    action: "access.unblockIp",
    access: admin,
    summary: "Unblock an address or range; idempotent (200 also when it is not blocked)",
    tag: "Administration",
    params: { ip: ipRule },
    response: object({ blocked: { const: false }, ip: cidr }),
  },
  {
    method: "GET",
    path: "/admin/access/policy",
    action: "access.policy",
    access: admin,
    summary: "The Casbin policy rules in force",
    tag: "Administration",
    params: {},
    response: rules,
  },
  {
    method: "POST",
    path: "/admin/access/policy",
    action: "access.addRule",
    access: admin,
    summary: "Add a policy rule (applies on every gateway within a second)",
    description: "A malformed rule → 422 `INVALID_RULE`. The answer is every rule in force.",
    tag: "Administration",
    params: { rule: ruleRule },
    errors: ["INVALID_RULE"],
    response: rules,
  },
  {
    method: "POST",
    path: "/admin/access/policy/remove",
    action: "access.removeRule",
    access: admin,
    summary: "Remove a policy rule",
    description: "A rule not in force → 404. The answer is every rule left.",
    tag: "Administration",
    params: { rule: ruleRule },
    errors: ["NOT_FOUND"],
    response: rules,
  },
];
