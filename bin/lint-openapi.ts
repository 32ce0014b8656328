/**
 * `npm run lint:openapi`: builds the OpenAPI document from the route table (as the gateway serves
 * it) and lints it with Redocly's `recommended` ruleset (@redocly/openapi-core, the engine of
 * `redocly lint`). Any error or warning fails, so CI keeps the document clean.
 */
import { readFileSync } from "node:fs";
import { createConfig, formatProblems, getTotals, lintFromString } from "@redocly/openapi-core";
import { buildOpenApi } from "../lib/http/openapi.ts";
import { routes } from "../lib/http/routes/index.ts";

const root = new URL("../", import.meta.url);
const { version } = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as {
  version: string;
};
const source = JSON.stringify(buildOpenApi(routes, version), null, 2);
const config = await createConfig({ extends: ["recommended"] });
const problems = await lintFromString({ source, absoluteRef: "openapi.json", config });
const totals = getTotals(problems);
formatProblems(problems, { format: "stylish", totals, version: "openapi-core", maxProblems: 200 });
const paths = Object.keys(JSON.parse(source).paths).length;
process.stdout.write(
  `openapi.json: ${paths} paths, ${totals.errors} errors, ${totals.warnings} warnings (Redocly recommended)\n`,
);
process.exitCode = totals.errors + totals.warnings > 0 ? 1 : 0;
