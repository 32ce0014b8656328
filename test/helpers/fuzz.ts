/**
 * The schema-driven fuzz suite's machinery: the operations of /api/openapi.json, a fast-check
 * arbitrary of requests for each (path params, query strings, JSON bodies, tokens of every role),
 * sending one with a deadline, and what makes an answer wrong (a 5xx, an error outside the API's
 * shape, a hang).
 */
import fc from "fast-check";
import { bodyValue, pathValue, queryValue, type Schema } from "./fuzz-values.ts";

export type Role = "customer" | "merchant" | "admin";
export type Caller = Role | "anonymous" | "bad-token";

export interface Operation {
  method: string;
  /** OpenAPI path, e.g. /api/products/{id}. */
  path: string;
  pathParams: string[];
  query: Record<string, Schema>;
  body?: Schema;
  access: "public" | "user" | Role[];
  idempotent: boolean;
  successStatus: number;
}

export interface FuzzRequest {
  method: string;
  /** Path and query, encoded. */
  url: string;
  caller: Caller;
  /** The JSON text sent, if any. */
  body?: string;
  idempotencyKey?: string;
}

export interface Reply {
  status: number;
  contentType: string;
  text: string;
  ms: number;
}

/** Every operation of the OpenAPI document. */
export function operationsOf(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(byMethod)) {
      const params: any[] = op.parameters ?? [];
      const success = Object.keys(op.responses).find((s) => s.startsWith("2")) ?? "200";
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === "path").map((p) => p.name),
        query: Object.fromEntries(
          params.filter((p) => p.in === "query").map((p) => [p.name, p.schema]),
        ),
        body: op.requestBody?.content?.["application/json"]?.schema,
        access: op["x-access"],
        idempotent: params.some((p) => p.in === "header" && p.name === "Idempotency-Key"),
        successStatus: Number(success),
      });
    }
  }
  return ops;
}

export const nameOf = (op: Operation) => `${op.method} ${op.path}`;

/** The role a route is meant for: most requests come with it, so validation is reached. */
function rightCaller(op: Operation): Caller {
  if (op.access === "public") return "anonymous";
  if (op.access === "user") return "customer";
  return op.access[0];
}

export interface RequestSpace {
  /** Real values for path params, by param name (`id` depends on the path). */
  pathValues(op: Operation, param: string): readonly string[];
  /** Replaces values that would break the suite's own fixtures (its users, its address). */
  guard?(op: Operation, req: FuzzRequest, parts: { path: Record<string, string> }): boolean;
}

/** Encodes text for a URL; a lone surrogate (not encodable) is sent as U+FFFD. */
const enc = (s: string) =>
  encodeURIComponent(
    s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"),
  );

/** The arbitrary of requests for one operation. */
export function requestsFor(op: Operation, space: RequestSpace): fc.Arbitrary<FuzzRequest> {
  const callers: Caller[] = ["anonymous", "bad-token", "customer", "merchant", "admin"];
  const caller = fc.oneof(
    { weight: 8, arbitrary: fc.constant(rightCaller(op)) },
    { weight: 2, arbitrary: fc.constantFrom(...callers) },
  );
  const path = fc.record(
    Object.fromEntries(op.pathParams.map((p) => [p, pathValue(space.pathValues(op, p))])),
  );
  const queryEntries = Object.entries(op.query);
  const query = fc.record(
    Object.fromEntries(
      queryEntries.map(([name, schema]) => [
        name,
        fc.option(queryValue(schema), { nil: undefined, freq: 2 }),
      ]),
    ),
  );
  const extraQuery = fc.option(
    fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 })),
    { nil: undefined, freq: 5 },
  );
  const key = fc.oneof(
    { weight: 8, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 64 }) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, "", "k".repeat(256), "k".repeat(255)) },
  );
  return fc
    .record({
      caller,
      path,
      query,
      extraQuery,
      // fetch sends no body with a GET.
      body: op.method === "GET" ? fc.constant(undefined) : bodyValue(op.body),
      key: op.idempotent ? key : fc.constant(undefined),
    })
    .map(({ caller: who, path: params, query: q, extraQuery: extra, body, key: k }) => {
      let url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => enc(params[name]));
      const pairs: string[] = [];
      for (const [name, value] of Object.entries(q)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) pairs.push(`${name}=${enc(v)}`);
      }
      if (extra) pairs.push(`${enc(extra[0])}=${enc(extra[1])}`);
      if (pairs.length) url += "?" + pairs.join("&");
      const req: FuzzRequest = { method: op.method, url, caller: who };
      if (body !== undefined) req.body = JSON.stringify(body);
      if (k !== undefined) req.idempotencyKey = k;
      return { req, params };
    })
    .filter(({ req, params }) => space.guard?.(op, req, { path: params }) ?? true)
    .map(({ req }) => req);
}

/** Sends a request; `undefined` when no answer came within `timeoutMs` (a hang). */
export async function send(
  base: string,
  req: FuzzRequest,
  token: string | undefined,
  timeoutMs: number,
): Promise<Reply | undefined> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (req.body !== undefined) headers["content-type"] = "application/json";
  if (req.idempotencyKey !== undefined) headers["idempotency-key"] = req.idempotencyKey;
  const started = Date.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(base + req.url, {
      method: req.method,
      headers,
      body: req.body,
      signal,
    });
    const contentType = res.headers.get("content-type") ?? "";
    // A stream (server-sent events) answers once its headers arrive; its body never ends.
    if (res.ok && contentType.startsWith("text/event-stream")) {
      await res.body?.cancel();
      return { status: res.status, contentType, text: "", ms: Date.now() - started };
    }
    return { status: res.status, contentType, text: await res.text(), ms: Date.now() - started };
  } catch (err) {
    if (signal.aborted) return undefined;
    throw err;
  }
}

const ERROR_KEYS = new Set(["name", "message", "code", "type", "data"]);

/** What is wrong with an answer, if anything. */
export function problemWith(op: Operation, reply: Reply | undefined): string | undefined {
  if (!reply) return "no answer within the deadline (a hang)";
  const { status } = reply;
  if (status >= 500) return `a ${status} for bad input`;
  if (status >= 200 && status < 300) {
    if (status !== op.successStatus) return `success ${status}, documented ${op.successStatus}`;
    if (reply.contentType.includes("json") && reply.text && !parses(reply.text))
      return "a success body that is not JSON";
    return undefined;
  }
  if (status < 400) return `status ${status}`;
  if (!reply.contentType.startsWith("application/json")) {
    return `an error answered as ${reply.contentType || "no content type"}`;
  }
  let body: any;
  try {
    body = JSON.parse(reply.text);
  } catch {
    return "an error body that is not JSON";
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return "an error body that is not an object";
  const extra = Object.keys(body).filter((k) => !ERROR_KEYS.has(k));
  if (extra.length) return `error keys outside {name, message, code, type, data}: ${extra}`;
  if (typeof body.name !== "string" || !body.name) return "an error without a name";
  if (typeof body.message !== "string") return "an error without a message";
  if (body.code !== status) return `error code ${body.code} on a ${status}`;
  if (typeof body.type !== "string" || !/^[A-Z][A-Z0-9_]*$/.test(body.type))
    return `error type ${JSON.stringify(body.type)} is not SCREAMING_SNAKE`;
  return undefined;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A request as a reader (and curl) can replay it. */
export function describeRequest(req: FuzzRequest, reply: Reply | undefined): string {
  const lines = [`${req.method} ${clip(req.url)}  (as ${req.caller})`];
  if (req.idempotencyKey !== undefined) lines.push(`Idempotency-Key: ${req.idempotencyKey}`);
  if (req.body !== undefined) lines.push(`body: ${clip(req.body)}`);
  if (reply) lines.push(`→ ${reply.status} ${reply.contentType} ${clip(reply.text)}`);
  return lines.join("\n");
}

const clip = (s: string) => (s.length > 600 ? `${s.slice(0, 600)}… (${s.length} chars)` : s);

/** A stable seed per operation from the suite's seed, so adding a route changes no other's inputs. */
export function seedFor(base: number, op: Operation): number {
  let h = base | 0;
  for (const ch of nameOf(op)) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}
