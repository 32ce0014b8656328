/**
 * How the shipped default policy (config/casbin/policy.csv) reaches a running deployment: every
 * default rule is applied once. The database records which defaults were applied
 * (`access_policy_defaults`), so a rule added to the file in a new release is added at the next
 * start, while a default rule an admin removed stays removed (it was applied before).
 */
import { createHash } from "node:crypto";
import type { Sequelize } from "sequelize";
import { isLockError } from "../resilience/transient.ts";
import { transaction } from "../transactions.ts";
import { ruleOf, rowOf, type AccessModels } from "./models.ts";
import type { Rule } from "./policy.ts";

/** A rule's identity in `access_policy_defaults`: SHA-256 (hex) of its parts as a JSON array. */
export function ruleKey(rule: Rule): string {
  return createHash("sha256").update(JSON.stringify(rule)).digest("hex");
}

export interface DefaultsMerge {
  /** Default rules never applied before: record each as applied now. */
  record: Rule[];
  /** Of those, the ones missing from the policy: add each to it. */
  add: Rule[];
}

/**
 * What a start does with the shipped defaults, given the keys of the defaults applied before
 * and the policy as it is. Rules an admin added or removed are never touched: a default applied
 * before is skipped whether or not it is still in the policy, and a default an admin already
 * added by hand is only recorded.
 */
export function mergeDefaults(
  defaults: readonly Rule[],
  applied: Iterable<string>,
  current: readonly Rule[],
): DefaultsMerge {
  const done = new Set(applied);
  const present = new Set(current.map(ruleKey));
  const record: Rule[] = [];
  const add: Rule[] = [];
  for (const rule of defaults) {
    const key = ruleKey(rule);
    if (done.has(key)) continue;
    done.add(key); // a rule listed twice in the file is recorded and added once
    record.push(rule);
    if (!present.has(key)) add.push(rule);
  }
  return { record, add };
}

/**
 * Adds the default rules never applied before, in one transaction with their record; answers
 * how many rules it added. Access nodes starting at once: the record's primary key lets one
 * win (the others wait for its transaction, then fail on the key), and the losers read again
 * and find nothing left to do.
 */
export async function applyDefaults(
  sequelize: Sequelize,
  models: Pick<AccessModels, "PolicyRow" | "AppliedDefault">,
  defaults: readonly Rule[],
): Promise<number> {
  return transaction(
    sequelize,
    async (t) => {
      const applied = await models.AppliedDefault.findAll({
        attributes: ["ruleKey"],
        transaction: t,
      });
      const current = await models.PolicyRow.findAll({ transaction: t });
      const { record, add } = mergeDefaults(
        defaults,
        applied.map((a) => a.ruleKey),
        current.map(ruleOf),
      );
      if (record.length === 0) return 0;
      await models.AppliedDefault.bulkCreate(
        record.map((r) => ({ ruleKey: ruleKey(r), rule: r.join(", ") })),
        { transaction: t },
      );
      if (add.length) await models.PolicyRow.bulkCreate(add.map(rowOf), { transaction: t });
      return add.length;
    },
    // Another access node applying the same defaults at once: read again.
    { retry: (err) => lostRace(err) || isLockError(err) },
  );
}

/** Another access node recorded the same default first. */
function lostRace(err: unknown): boolean {
  return (err as { name?: string }).name === "SequelizeUniqueConstraintError";
}
