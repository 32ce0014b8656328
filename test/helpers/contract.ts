/**
 * The document checked against reality: every HTTP answer the tests get from a shop is validated
 * against the OpenAPI document (the same one `GET /api/openapi.json` serves, built from the route
 * table) with openapi-backend. An undocumented status, error type, header or body field throws,
 * so the test that got it fails — the document cannot drift from what the gateway sends.
 *
 * Set CONTRACT_CHECK=off to switch it off while debugging (never in CI).
 */
import { readFileSync } from "node:fs";
import ajvFormats from "ajv-formats";
import { OpenAPIBackend, type Document, type SetMatchType } from "openapi-backend";
import { buildOpenApi } from "../../lib/http/openapi.ts";
import { routes } from "../../lib/http/routes/index.ts";

const ROOT = new URL("../../", import.meta.url);
const VERSION = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")).version as string;

/** The document the gateway serves. */
export const document = buildOpenApi(routes, VERSION);

/** Headers any answer may carry without the document naming them (HTTP's own, and helmet's). */
const GENERAL_HEADERS = new Set([
  "access-control-allow-origin",
  "cache-control",
  "connection",
  "content-encoding",
  "content-length",
  "content-security-policy",
  "content-type",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "cross-origin-embedder-policy",
  "date",
  "etag",
  "keep-alive",
  "last-modified",
  "origin-agent-cluster",
  "permissions-policy",
  "referrer-policy",
  "strict-transport-security",
  "transfer-encoding",
  "vary",
  "x-content-type-options",
  "x-dns-prefetch-control",
  "x-download-options",
  "x-frame-options",
  "x-permitted-cross-domain-policies",
  "x-xss-protection",
]);

// A CommonJS plugin (module.exports = plugin), which its types declare as a default export.
const addFormats = ajvFormats as unknown as typeof ajvFormats.default;

let api: OpenAPIBackend | undefined;
function backend(): OpenAPIBackend {
  if (!api) {
    api = new OpenAPIBackend({
      definition: structuredClone(document) as unknown as Document,
      strict: true,
      quick: true,
      validate: true,
      ajvOpts: { strict: false, allErrors: true },
      // date-time, email, uri…: checked, not ignored.
      customizeAjv: (ajv) => {
        addFormats(ajv);
        return ajv;
      },
    });
    api.init();
  }
  return api;
}

interface ResponseHeaderDoc {
  headers?: Record<string, unknown>;
  content?: Record<string, unknown>;
}

/**
 * Throws when an answer does not match the document. Paths outside /api, and paths no route has
 * (a 404 from the router), are not the document's to judge.
 */
export function checkAnswer(
  method: string,
  url: string,
  status: number,
  headers: Headers,
  body: unknown,
): void {
  if (process.env.CONTRACT_CHECK === "off") return;
  const { pathname, search } = new URL(url, "http://shop");
  if (!pathname.startsWith("/api/")) return;
  const verb = method.toUpperCase() === "HEAD" ? "get" : method.toLowerCase();
  const operation = backend().matchOperation({
    method: verb,
    path: pathname,
    query: search,
    headers: {},
  });
  if (!operation) return;
  const where = `${method} ${pathname} → ${status} (${operation.operationId})`;
  const responses = (operation.responses ?? {}) as Record<string, ResponseHeaderDoc>;
  const doc = responses[String(status)];
  if (!doc) {
    throw new Error(
      `contract: ${where} is not documented; the route documents ${Object.keys(responses).join(", ")}. ` +
        `Body: ${JSON.stringify(body).slice(0, 300)}`,
    );
  }
  const declared = new Set(Object.keys(doc.headers ?? {}).map((h) => h.toLowerCase()));
  const undeclared = [...headers.keys()].filter((h) => !GENERAL_HEADERS.has(h) && !declared.has(h));
  if (undeclared.length > 0) {
    throw new Error(`contract: ${where} sent undocumented headers: ${undeclared.join(", ")}`);
  }
  const headerCheck = backend().validateResponseHeaders(Object.fromEntries(headers), operation, {
    statusCode: status,
    setMatchType: "any" as SetMatchType,
  });
  if (headerCheck.errors) {
    throw new Error(`contract: ${where} headers: ${JSON.stringify(headerCheck.errors)}`);
  }
  if (method.toUpperCase() === "HEAD" || status === 204) return;
  const media = Object.keys(doc.content ?? {});
  const type = (headers.get("content-type") ?? "").split(";")[0].trim();
  if (!media.includes(type)) {
    throw new Error(
      `contract: ${where} answered ${type || "no content type"}, documented ${media}`,
    );
  }
  if (type !== "application/json") return;
  const result = backend().validateResponse(body, operation, status);
  if (result.errors) {
    throw new Error(
      `contract: ${where} body does not match the document: ${JSON.stringify(result.errors).slice(0, 800)}; ` +
        `body: ${JSON.stringify(body).slice(0, 600)}`,
    );
  }
}
