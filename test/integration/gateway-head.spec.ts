/**
 * HEAD of every GET route of the route table (and of the web app) answers like GET: the same
 * status, Content-Type and (on success) Content-Length, and no body; anonymously and as an
 * administrator.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { routes } from "../../lib/http/routes/index.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { testModes } from "../helpers/infra.ts";
import { client } from "../helpers/http.ts";

const modes = await testModes();

/** Every GET path of the route table with sample parameters, plus the web app. */
const GET_PATHS = [
  ...routes
    .filter((r) => r.method === "GET")
    .map((r) => "/api" + r.path.replace(":id.svg", "1.svg").replace(":id", "1")),
  "/",
  "/orders/12",
];

async function answer(url: string, method: "GET" | "HEAD", token?: string) {
  const headers: Record<string, string> = { accept: "text/html,application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method, headers, signal: AbortSignal.timeout(10_000) });
  const body = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    length: res.headers.get("content-length"),
    body,
  };
}

for (const mode of modes) {
  describe(`HEAD on GET routes (${mode})`, () => {
    let shop: TestShop;
    let token: string;
    before(async () => {
      shop = await startShop(mode, { env: { SEED_ON_START: "true" } });
      const login = await client(shop.url).post("/api/auth/login", ADMIN);
      token = login.body.accessToken;
    });
    after(() => shop?.stop());

    for (const as of ["anonymous", "admin"] as const) {
      it(`answers HEAD like GET without a body (${as})`, async () => {
        for (const path of GET_PATHS) {
          // The stream answers an administrator with an endless body.
          if (as === "admin" && path.endsWith("/stream")) continue;
          const auth = as === "admin" ? token : undefined;
          const get = await answer(shop.url + path, "GET", auth);
          const head = await answer(shop.url + path, "HEAD", auth);
          assert.equal(head.status, get.status, `HEAD ${path}: ${get.status} for GET`);
          if (/^\/(api\/(products|health|categories|pictures)|$)/.test(path)) {
            assert.equal(head.status, 200, `HEAD ${path}`);
          }
          assert.equal(head.type, get.type, `HEAD ${path}: Content-Type`);
          // Dynamic answers (the cluster view, readiness) may differ in length between calls.
          // Content-Length on every 200 (an error answer may omit it, RFC 9110 §9.3.2).
          const length = get.length ?? String(Buffer.byteLength(get.body));
          if (head.status === 200 || head.length !== null) {
            assert.equal(head.length === null, false, `HEAD ${path}: Content-Length`);
            if (!/ready|cluster|metrics/.test(path)) assert.equal(head.length, length, path);
          }
          assert.equal(head.body, "", `HEAD ${path} has no body`);
        }
      });
    }
  });
}
