/**
 * `npm run gen:api-types`: the web app's API types, generated from the OpenAPI document the
 * gateway serves (openapi-typescript), into web/src/api/schema.d.ts. The web app names its types
 * from there (web/src/api/types.ts), so a field added to a route row reaches the web app's type
 * check. test/unit/web-api-types.spec.ts fails when the file is stale; `--check` does the same.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { webApiTypes } from "../lib/http/web-types.ts";

const target = new URL("../web/src/api/schema.d.ts", import.meta.url);
const text = await webApiTypes();
if (process.argv.includes("--check")) {
  const current = readFileSync(target, "utf8");
  if (current !== text) {
    process.stderr.write("web/src/api/schema.d.ts is stale: run npm run gen:api-types\n");
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote web/src/api/schema.d.ts (${text.length} bytes)\n`);
}
