import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, brotliDecompressSync } from "node:zlib";
import {
  chooseEncoding,
  encodeBody,
  jsonCoding,
  precompressedVariant,
} from "../../lib/http/compression.ts";

describe("chooseEncoding", () => {
  it("prefers brotli when both are taken alike", () => {
    assert.equal(chooseEncoding("gzip, deflate, br, zstd"), "br");
  });
  it("follows q values", () => {
    assert.equal(chooseEncoding("br;q=0.5, gzip"), "gzip");
    assert.equal(chooseEncoding("br;q=0, gzip;q=0.1"), "gzip");
  });
  it("sends identity without a header or an acceptable coding", () => {
    assert.equal(chooseEncoding(undefined), null);
    assert.equal(chooseEncoding(""), null);
    assert.equal(chooseEncoding("deflate"), null);
    assert.equal(chooseEncoding("identity"), null);
    assert.equal(chooseEncoding("br;q=0, gzip;q=0"), null);
  });
  it("takes * and x-gzip, and only the codings available", () => {
    assert.equal(chooseEncoding("*"), "br");
    assert.equal(chooseEncoding("x-gzip"), "gzip");
    assert.equal(chooseEncoding("br, gzip", ["gzip"]), "gzip");
    assert.equal(chooseEncoding("*;q=0, identity"), null);
  });
  it("keeps identity when the client prefers it", () => {
    assert.equal(chooseEncoding("identity, gzip;q=0.5"), null);
  });
});

describe("precompressedVariant", () => {
  const folder = mkdtempSync(join(tmpdir(), "assets-"));
  mkdirSync(join(folder, "assets"));
  writeFileSync(join(folder, "assets/app.js"), "x");
  writeFileSync(join(folder, "assets/app.js.br"), "b");
  writeFileSync(join(folder, "assets/app.js.gz"), "g");
  writeFileSync(join(folder, "assets/only-gz.css"), "x");
  writeFileSync(join(folder, "assets/only-gz.css.gz"), "g");
  writeFileSync(join(folder, "small.js"), "x");

  it("serves the .br beside a file with its type and Vary", () => {
    assert.deepEqual(precompressedVariant(folder, "GET", "/assets/app.js?v=1", "gzip, br"), {
      url: "/assets/app.js.br?v=1",
      headers: {
        Vary: "Accept-Encoding",
        "Content-Encoding": "br",
        "Content-Type": "text/javascript; charset=utf-8",
      },
    });
  });
  it("serves the .gz when that is what exists or what the client takes", () => {
    assert.equal(
      precompressedVariant(folder, "GET", "/assets/app.js", "gzip")?.url,
      "/assets/app.js.gz",
    );
    assert.equal(
      precompressedVariant(folder, "GET", "/assets/only-gz.css", "br, gzip")?.headers[
        "Content-Type"
      ],
      "text/css; charset=utf-8",
    );
  });
  it("says Vary but serves the file itself to a client taking no coding", () => {
    assert.deepEqual(precompressedVariant(folder, "GET", "/assets/app.js", undefined), {
      headers: { Vary: "Accept-Encoding" },
    });
  });
  it("leaves alone files without variants, other methods and paths out of the folder", () => {
    assert.equal(precompressedVariant(folder, "GET", "/small.js", "br"), null);
    assert.equal(precompressedVariant(folder, "POST", "/assets/app.js", "br"), null);
    assert.equal(precompressedVariant(folder, "GET", "/%2e%2e/%2e%2e/etc/passwd.js", "br"), null);
    assert.equal(precompressedVariant(folder, "GET", "/%E0%A4%A.js", "br"), null);
  });
});

describe("jsonCoding", () => {
  const json = "application/json; charset=utf-8";
  it("compresses big JSON answers for a client that asks", () => {
    assert.equal(jsonCoding(json, undefined, 200, 5000, "gzip, br"), "br");
    assert.equal(jsonCoding("application/problem+json", undefined, 200, 5000, "gzip"), "gzip");
  });
  it("never small ones, other types, coded ones, bodiless statuses or without Accept-Encoding", () => {
    assert.equal(jsonCoding(json, undefined, 200, 1023, "br"), null);
    assert.equal(jsonCoding("text/html", undefined, 200, 5000, "br"), null);
    assert.equal(jsonCoding(json, "gzip", 200, 5000, "br"), null);
    assert.equal(jsonCoding(json, undefined, 304, 5000, "br"), null);
    assert.equal(jsonCoding(json, undefined, 200, 5000, undefined), null);
  });
});

describe("encodeBody", () => {
  it("round-trips in both codings", () => {
    const body = Buffer.from(JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => i) }));
    assert.deepEqual(brotliDecompressSync(encodeBody(body, "br")), body);
    assert.deepEqual(gunzipSync(encodeBody(body, "gzip")), body);
  });
});
