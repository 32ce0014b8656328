/** The web app's API types are generated from the document, and never stale. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";
import { webApiTypes } from "../../lib/http/web-types.ts";

it("web/src/api/schema.d.ts is what npm run gen:api-types makes of the current document", async () => {
  const current = readFileSync(new URL("../../web/src/api/schema.d.ts", import.meta.url), "utf8");
  const fresh = await webApiTypes();
  assert.ok(
    current === fresh,
    "web/src/api/schema.d.ts is stale: run `npm run gen:api-types` and commit the result",
  );
  assert.match(current, /Cart: \{/, "named schemas become named types");
});
