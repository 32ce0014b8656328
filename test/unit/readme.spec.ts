import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);

describe("README", () => {
  it("documents every environment variable the configuration reads", () => {
    const config = readFileSync(new URL("lib/config.ts", root), "utf8");
    const readme = readFileSync(new URL("README.md", root), "utf8");
    const names = [...config.matchAll(/read\.\w+\(\s*"([A-Z][A-Z0-9_]+)"/g)].map((m) => m[1]);
    assert.ok(names.length > 20, "found the variables");
    const missing = names.filter((n) => !readme.includes("`" + n + "`"));
    assert.deepEqual(missing, [], "undocumented variables");
  });
});
