import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { pictureUrlProblem } from "../../lib/products/picture-url.ts";

describe("product picture URLs", () => {
  it("accept a path on this shop or an https URL", () => {
    for (const url of ["/pictures/x.png", "/api/pictures/12.svg", "https://cdn.example/x.png"]) {
      assert.equal(pictureUrlProblem(url), undefined, url);
    }
  });

  it("refuse whatever a browser would load from another host, or not over https", () => {
    for (const url of [
      "/\\evil.example/x.png",
      "//evil.example/x.png",
      "/..//evil.example/x.png",
      "/\t/evil.example/x.png",
      "http://cdn.example/x.png",
      "https:evil.example/x.png",
      "https://user:secret@cdn.example/x.png",
      "javascript:alert(1)",
      "data:image/svg+xml,<svg/>",
      "pictures/x.png",
    ]) {
      assert.ok(pictureUrlProblem(url), JSON.stringify(url));
    }
  });
});
