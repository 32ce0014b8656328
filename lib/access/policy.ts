/**
 * Casbin policy: the model and default policy files, parsing policy lines, and building an
 * enforcer from a list of rules (the rules themselves live in the database at run time).
 */
import { readFileSync } from "node:fs";
import { newEnforcer, newModelFromString, Util, type Enforcer } from "casbin";

const CONFIG = new URL("../../config/", import.meta.url);

/** A policy rule as stored: ["p", role, path, method] or ["g", role, parentRole]. */
export type Rule = string[];

export const MODEL_TEXT = readFileSync(new URL("casbin/model.conf", CONFIG), "utf8");

export function defaultPolicy(): Rule[] {
  return parsePolicy(readFileSync(new URL("casbin/policy.csv", CONFIG), "utf8"));
}

/** Parses policy.csv lines (comments and blank lines skipped). */
export function parsePolicy(text: string): Rule[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split(",").map((s) => s.trim()));
}

/** Why a rule is unacceptable, or undefined when it is well-formed. */
export function ruleProblem(rule: Rule): string | undefined {
  if (rule.some((part) => part.length === 0 || part.length > 200 || part.includes(","))) {
    return "Every part of a rule must be 1-200 characters without commas";
  }
  if (rule[0] === "p") {
    if (rule.length !== 4) return 'A "p" rule is ["p", role, path, method]';
    if (!rule[2].startsWith("/")) return "The path of a rule starts with /";
    if (!["GET", "POST", "PUT", "PATCH", "DELETE", "*"].includes(rule[3])) {
      return "The method of a rule is GET, POST, PUT, PATCH, DELETE or *";
    }
    return undefined;
  }
  if (rule[0] === "g")
    return rule.length === 3 ? undefined : 'A "g" rule is ["g", role, parentRole]';
  return 'A rule starts with "p" (permission) or "g" (role inheritance)';
}

export async function buildEnforcer(rules: Rule[]): Promise<Enforcer> {
  const enforcer = await newEnforcer(newModelFromString(MODEL_TEXT));
  const p = rules.filter((r) => r[0] === "p").map((r) => r.slice(1));
  const g = rules.filter((r) => r[0] === "g").map((r) => r.slice(1));
  if (p.length) await enforcer.addPolicies(p);
  if (g.length) await enforcer.addGroupingPolicies(g);
  return enforcer;
}

/** Whitelist entries are "METHOD /path/pattern" with keyMatch2 patterns. */
export function loadWhitelist(path?: string): string[] {
  const file = path ? new URL(path, `file://${process.cwd()}/`) : new URL("access.json", CONFIG);
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { whitelist?: unknown };
  if (!Array.isArray(parsed.whitelist) || !parsed.whitelist.every((e) => typeof e === "string")) {
    throw new Error(`${file.pathname}: "whitelist" must be an array of "METHOD /path" strings`);
  }
  return parsed.whitelist as string[];
}

export function isWhitelisted(whitelist: readonly string[], method: string, path: string): boolean {
  return whitelist.some((entry) => {
    const [m, pattern] = entry.split(/\s+/, 2);
    return (m === method || m === "*") && Util.keyMatch2Func(path, pattern);
  });
}
