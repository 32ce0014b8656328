/**
 * Compression: the web app's scripts go out pre-compressed (brotli or gzip, by Accept-Encoding,
 * with Vary) and decode to the very bytes of the file; API JSON answers above 1 KiB are
 * compressed when the client asks, small ones never; no Accept-Encoding gets identity.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { startShop, type TestShop } from "../helpers/shop.ts";
import { testModes } from "../helpers/infra.ts";

const modes = await testModes();
const DIST = fileURLToPath(new URL("../../web/dist/", import.meta.url));

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with exactly these headers (fetch would add and undo Accept-Encoding itself). */
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

function decode(res: Raw): Buffer {
  const coding = res.headers["content-encoding"];
  if (coding === "br") return brotliDecompressSync(res.body);
  if (coding === "gzip") return gunzipSync(res.body);
  return res.body;
}

const varies = (res: Raw) => /accept-encoding/i.test(String(res.headers.vary ?? ""));

for (const mode of modes) {
  describe(`compression (${mode})`, () => {
    let shop: TestShop;
    let mainScript: string;

    before(async () => {
      assert.ok(existsSync(DIST + "index.html"), "web/dist is built (npm run build --prefix web)");
      const html = readFileSync(DIST + "index.html", "utf8");
      // The largest script the page loads first (the entry, or a chunk it preloads).
      const named = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
      assert.ok(named.length, "index.html names its scripts");
      mainScript = named.sort(
        (a, b) => statSync(DIST + b.slice(1)).size - statSync(DIST + a.slice(1)).size,
      )[0];
      shop = await startShop(mode);
    });
    after(() => shop?.stop());

    it("sends the main script in brotli, then gzip, by Accept-Encoding, decoding to the file", async () => {
      const file = readFileSync(DIST + mainScript.slice(1));
      assert.ok(file.length > 100_000);
      const br = await get(shop.url + mainScript, { "accept-encoding": "gzip, deflate, br" });
      assert.equal(br.status, 200);
      assert.equal(br.headers["content-encoding"], "br");
      assert.match(String(br.headers["content-type"]), /^text\/javascript/);
      assert.ok(varies(br));
      assert.ok(br.body.length < file.length / 2, `${br.body.length} of ${file.length} bytes`);
      assert.equal(Number(br.headers["content-length"]), br.body.length);
      assert.match(String(br.headers["cache-control"]), /immutable/);
      assert.deepEqual(decode(br), file);

      const gz = await get(shop.url + mainScript, { "accept-encoding": "gzip;q=1, br;q=0.5" });
      assert.equal(gz.status, 200);
      assert.equal(gz.headers["content-encoding"], "gzip");
      assert.match(String(gz.headers["content-type"]), /^text\/javascript/);
      assert.ok(varies(gz));
      assert.deepEqual(decode(gz), file);
    });

    it("sends a deep link's page (the SPA fallback) compressed too, and as it is when not asked", async () => {
      const file = readFileSync(DIST + "index.html");
      const br = await get(`${shop.url}/search?q=tea`, {
        accept: "text/html",
        "accept-encoding": "gzip, deflate, br",
      });
      assert.equal(br.status, 200);
      assert.equal(br.headers["content-encoding"], "br");
      assert.match(String(br.headers["content-type"]), /^text\/html/);
      assert.ok(varies(br));
      assert.deepEqual(decode(br), file);
      const plain = await get(`${shop.url}/orders/12`, { accept: "text/html" });
      assert.equal(plain.status, 200);
      assert.equal(plain.headers["content-encoding"], undefined);
      assert.deepEqual(plain.body, file);
    });

    it("sends the script as it is without Accept-Encoding", async () => {
      const file = readFileSync(DIST + mainScript.slice(1));
      const plain = await get(shop.url + mainScript);
      assert.equal(plain.status, 200);
      assert.equal(plain.headers["content-encoding"], undefined);
      assert.match(String(plain.headers["content-type"]), /^text\/javascript/);
      assert.ok(varies(plain));
      assert.deepEqual(plain.body, file);
    });

    it("compresses a big JSON answer when asked, with Vary, and not otherwise", async () => {
      for (const [accept, coding] of [
        ["br, gzip", "br"],
        ["gzip", "gzip"],
      ] as const) {
        const res = await get(shop.url + "/api/openapi.json", { "accept-encoding": accept });
        assert.equal(res.status, 200);
        assert.equal(res.headers["content-encoding"], coding);
        assert.ok(varies(res));
        const doc = JSON.parse(decode(res).toString("utf8"));
        assert.ok(doc.paths, "the decoded answer is the OpenAPI document");
        assert.ok(decode(res).length > 1024);
        assert.ok(res.body.length < decode(res).length);
      }
      const plain = await get(shop.url + "/api/openapi.json");
      assert.equal(plain.status, 200);
      assert.equal(plain.headers["content-encoding"], undefined);
      assert.ok(JSON.parse(plain.body.toString("utf8")).paths);
    });

    it("compresses a big JSON list", async () => {
      const res = await get(shop.url + "/api/categories", { "accept-encoding": "br" });
      assert.equal(res.status, 200);
      const list = JSON.parse(decode(res).toString("utf8"));
      assert.ok(decode(res).length > 1024, `the category list is ${decode(res).length} bytes`);
      assert.ok(Array.isArray(list) || Array.isArray(list.items));
      assert.equal(res.headers["content-encoding"], "br");
    });

    it("never compresses a small JSON answer", async () => {
      const res = await get(shop.url + "/api/health", { "accept-encoding": "br, gzip" });
      assert.equal(res.status, 200);
      assert.equal(res.headers["content-encoding"], undefined);
      assert.deepEqual(JSON.parse(res.body.toString("utf8")), { status: "ok" });
    });
  });
}
