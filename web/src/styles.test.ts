/** Rules of the style sheet that keep text readable. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";

// The test runs from web/ (npm test --prefix web).
const css = readFileSync("src/styles.css", "utf8");

describe("styles.css", () => {
  it("never breaks a word that fits its line (“(cus tomer)”): long tokens wrap only when they must", () => {
    expect(css).not.toMatch(/word-break:\s*break-all/);
    expect(css).toMatch(/overflow-wrap:\s*anywhere/);
  });
});
