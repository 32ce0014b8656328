/**
 * Gives a service that owns tables its database the same way everywhere: `this.db`, the node's
 * Sequelize connection (opened and migrated by lib/platform.ts before the broker starts), and
 * `this.models`, made by the service's own `define` from it, both set before the service's own
 * created() runs (Moleculer runs a mixin's lifecycle handlers first).
 *
 * Only types come from sequelize here: a node that hosts no such service never loads it.
 */
import type { Service, ServiceSchema } from "moleculer";
import type { Sequelize } from "sequelize";
import { databaseOf } from "../lib/platform.ts";

/** What the mixin adds to `this`; a service lists it in its vars type. */
export interface DbVars<Models> {
  db: Sequelize;
  models: Models;
}

const made = new WeakSet<Partial<ServiceSchema>>();

/** `define` makes the service's models on the node's connection (lib/<service>/models.ts). */
export function DbMixin<Models>(define: (db: Sequelize) => Models): Partial<ServiceSchema> {
  const mixin = {
    created(this: Service & DbVars<Models>) {
      this.db = databaseOf(this.broker);
      this.models = define(this.db);
    },
  } as Partial<ServiceSchema>;
  made.add(mixin);
  return mixin;
}

/** Whether a service schema owns tables (mixes DbMixin in): lib/services.ts must say so too. */
export function ownsTables(schema: Partial<ServiceSchema>): boolean {
  return (schema.mixins ?? []).some((m) => made.has(m));
}
