/**
 * lib/ is a graph without cycles (type-only and lazy imports count: a cycle of any kind makes
 * the modules one tangle), and it never imports up into services/ or mixins/, which build on it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Each .ts file under `dir` with the project files it imports (relative specifiers only). */
function importGraph(root: string, dir: string): Map<string, string[]> {
  const files = (readdirSync(join(root, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), "utf8"), true, true);
    graph.set(
      file,
      importedFiles
        .map((i) => i.fileName)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => relative(root, resolve(root, dirname(file), spec))),
    );
  }
  return graph;
}

/** Every cycle met by a depth-first walk, each as the path that closes it. */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string) => {
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) cycles.push([...path.slice(at), next]);
      else if (!done.has(next) && graph.has(next)) visit(next);
    }
    path.pop();
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return cycles;
}

describe("lib/ imports", () => {
  const graph = importGraph(ROOT, "lib");

  it("form no cycle", () => {
    assert.ok(graph.size > 50, "the walk found lib's files");
    assert.deepEqual(
      cyclesOf(graph).map((c) => c.join(" -> ")),
      [],
    );
  });

  it("never reach up into services/ or mixins/", () => {
    const upward = [...graph].flatMap(([file, imports]) =>
      imports.filter((i) => /^(services|mixins)\//.test(i)).map((i) => `${file} -> ${i}`),
    );
    assert.deepEqual(upward, []);
  });

  it("the check sees a cycle through a type-only import", () => {
    const graph = new Map([
      ["lib/a.ts", ["lib/b.ts"]],
      ["lib/b.ts", ["lib/c.ts"]],
      ["lib/c.ts", ["lib/a.ts"]],
    ]);
    assert.deepEqual(cyclesOf(graph), [["lib/a.ts", "lib/b.ts", "lib/c.ts", "lib/a.ts"]]);
    const source = 'import type { X } from "./b.ts";\nconst y = await import("./c.ts");';
    const found = ts.preProcessFile(source, true, true).importedFiles.map((i) => i.fileName);
    assert.deepEqual(found, ["./b.ts", "./c.ts"]);
  });
});
