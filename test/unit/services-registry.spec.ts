/**
 * lib/services.ts is the one list of the services: every schema under services/ is in it, under
 * its own name, and it says "database" exactly for the services that mix in DbMixin.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { ALL_SERVICES, DATABASE_SERVICES, SERVICE_REGISTRY } from "../../lib/services.ts";
import { ownsTables } from "../../mixins/db.mixin.ts";
import { loadService } from "../../services/node.ts";

const SERVICES_DIR = new URL("../../services/", import.meta.url);

describe("the service registry", () => {
  it("lists every service module under services/, once", () => {
    const modules = readdirSync(SERVICES_DIR).filter((f) => f.endsWith(".service.ts"));
    const listed = ALL_SERVICES.map((name) => SERVICE_REGISTRY[name].module);
    assert.deepEqual([...listed].sort(), [...modules].sort());
  });

  it("names each service as its schema does, and owns a database exactly where DbMixin is", async () => {
    for (const name of ALL_SERVICES) {
      const schema = await loadService(name);
      assert.equal(schema.name, name, `${SERVICE_REGISTRY[name].module} defines "${name}"`);
      assert.equal(
        ownsTables(schema),
        DATABASE_SERVICES.includes(name),
        `${name}: registry's "database" matches the schema's DbMixin`,
      );
    }
  });
});
