import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const readme = () => readFileSync(new URL("README.md", root), "utf8");

/** The TypeScript files under these folders of the project (those that exist), with their text. */
function sources(...folders: string[]): Array<{ file: string; text: string }> {
  return folders
    .filter((f) => existsSync(new URL(f + "/", root)))
    .flatMap((f) =>
      (readdirSync(new URL(f + "/", root), { recursive: true }) as string[])
        .filter((name) => name.endsWith(".ts"))
        .map((name) => ({
          file: `${f}/${name}`,
          text: readFileSync(new URL(`${f}/${name}`, root), "utf8"),
        })),
    );
}

/** String constants (`NAME = "x"`) and constant objects' entries (`TOPICS.key` → "x"). */
function constants(files: Array<{ text: string }>): Map<string, string> {
  const known = new Map<string, string>();
  for (const { text } of files) {
    for (const m of text.matchAll(/const\s+([A-Z][A-Z0-9_]*)\s*=\s*"([^"]+)"/g)) {
      known.set(m[1], m[2]);
    }
    for (const m of text.matchAll(/const\s+([A-Z][A-Z0-9_]*)\s*=\s*\{([^}]*)\}\s*as const/g)) {
      for (const e of m[2].matchAll(/(\w+):\s*"([^"]+)"/g)) known.set(`${m[1]}.${e[1]}`, e[2]);
    }
  }
  return known;
}

/** The names an expression may evaluate to: its string literals, a template as a pattern. */
function namesOf(expression: string, known: Map<string, string>): Array<string | RegExp> {
  const single = /^"([^"]+)"$/.exec(expression);
  if (single) return [single[1]];
  // A choice (`a ? "order.cancelled" : "order.refunded"`): the dotted names in it.
  const literals = [...expression.matchAll(/"([\w-]+(?:\.[\w-]+)+)"/g)].map((m) => m[1]);
  if (literals.length > 0) return literals;
  const template = /^`([^`]+)`$/.exec(expression);
  if (template) {
    const parts = template[1]
      .split(/\$\{[^}]+\}/)
      .map((p) => p.replace(/[.*+?^$()|[\]\\]/g, "\\$&"));
    return [new RegExp(`^${parts.join("[\\w-]+")}$`)];
  }
  const value = known.get(expression);
  assert.ok(value, `cannot tell which event or topic ${expression} is`);
  return [value];
}

describe("README", () => {
  it("documents every environment variable the configuration reads", () => {
    const config = readFileSync(new URL("lib/config.ts", root), "utf8");
    const names = [...config.matchAll(/read\.\w+\(\s*"([A-Z][A-Z0-9_]+)"/g)].map((m) => m[1]);
    assert.ok(names.length > 20, "found the variables");
    const missing = names.filter((n) => !readme().includes("`" + n + "`"));
    assert.deepEqual(missing, [], "undocumented variables");
  });

  it("lists every event emitted and every outbox topic written, and no other, in its events table", () => {
    const files = sources("services", "mixins", "lib");
    const known = constants(files);
    const used: Array<{ name: string | RegExp; where: string }> = [];
    for (const { file, text } of files) {
      for (const m of text.matchAll(/\.(?:emit|broadcast|broadcastLocal)\(\s*([^,]+?)\s*,/g)) {
        for (const name of namesOf(m[1], known)) used.push({ name, where: file });
      }
      for (const m of text.matchAll(/\.(?:add|addOwned)\(\s*\w+\s*,\s*([A-Z][\w.]*)\s*,/g)) {
        for (const name of namesOf(m[1], known)) used.push({ name, where: file });
      }
    }
    assert.ok(used.length >= 10, `found the events and topics (${used.length})`);

    const text = readme();
    const start = text.indexOf("\n### Events\n");
    assert.ok(start >= 0, 'the README has an "### Events" section');
    const section = text.slice(start + 1).split(/\n##/)[0];
    const documented = section
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .flatMap((line) => [...line.split("|")[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));

    const matches = (name: string | RegExp, doc: string) =>
      typeof name === "string" ? name === doc : name.test(doc);
    const missing = used
      .filter((u) => !documented.some((d) => matches(u.name, d)))
      .map((u) => `${u.name} (${u.where})`);
    assert.deepEqual(missing, [], "events or topics missing from the README's events table");
    const stale = documented.filter((d) => !used.some((u) => matches(u.name, d)));
    assert.deepEqual(stale, [], "the README's events table lists what nothing emits or writes");
  });
});
