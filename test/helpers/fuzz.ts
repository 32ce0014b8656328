/**
 * The schema-driven fuzz suite's machinery: the operations of /api/openapi.json, a fast-check
 * arbitrary of requests for each (path params, query strings, JSON bodies, tokens of every role),
 * sending one with a deadline, and what makes an answer wrong (a 5xx, an error outside the API's
 * shape, a hang).
 */
import fc from "fast-check";
import {
  bodyValue,
  pathValue,
  queryValue,
  validObject,
  validValue,
  wrongPathValue,
  wrongQueryValue,
  wrongValue,
  type Schema,
} from "./fuzz-values.ts";

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

/** The parts of an OpenAPI document that the fuzzer reads. */
interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
}
interface OpenApiOperation {
  parameters?: { in: string; name: string; schema: Schema }[];
  responses: Record<string, unknown>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  "x-access": Operation["access"];
}

/** Every operation of the OpenAPI document (as served: JSON of the shape above). */
export function operationsOf(document: unknown): Operation[] {
  const doc = document as OpenApiDoc;
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const params = op.parameters ?? [];
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

interface Parts {
  caller: Caller;
  path: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  extraQuery?: [string, string];
  body: unknown;
  key?: string;
}

/**
 * The arbitrary of requests for one operation: mostly a valid request with one part wrong (a
 * path param, a query param, a body field, nested fields included, an extra key, the whole
 * body), so the wrong part reaches the code past validation of the rest; sometimes chaos
 * (everything random at once).
 */
export function requestsFor(op: Operation, space: RequestSpace): fc.Arbitrary<FuzzRequest> {
  return fc
    .oneof(
      { weight: 4, arbitrary: oneWrong(op, space) },
      { weight: 1, arbitrary: chaos(op, space) },
    )
    .map((parts) => ({ parts, req: toRequest(op, parts) }))
    .filter(({ req, parts }) => space.guard?.(op, req, { path: parts.path }) ?? true)
    .map(({ req }) => req);
}

function callerFor(op: Operation): fc.Arbitrary<Caller> {
  const callers: Caller[] = ["anonymous", "bad-token", "customer", "merchant", "admin"];
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(rightCaller(op)) },
    { weight: 2, arbitrary: fc.constantFrom(...callers) },
  );
}

const KEY = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, "", "k".repeat(256), "k".repeat(255)) },
);

function validParts(op: Operation, space: RequestSpace): fc.Arbitrary<Parts> {
  const valid = (p: string) => {
    const pool = space.pathValues(op, p);
    return pool.length ? fc.constantFrom(...pool) : pathValue([]);
  };
  return fc.record({
    caller: callerFor(op),
    path: fc.record(Object.fromEntries(op.pathParams.map((p) => [p, valid(p)]))),
    query: fc.record(
      Object.fromEntries(
        Object.entries(op.query).map(([name, schema]) => [
          name,
          fc.option(
            validValue(schema).map((v) => String(v)),
            { nil: undefined },
          ),
        ]),
      ),
    ),
    // fetch sends no body with a GET.
    body: op.method === "GET" || !op.body ? fc.constant(undefined) : validObject(op.body),
    key: op.idempotent ? KEY : fc.constant(undefined),
  });
}

const MISSING = Symbol("missing");

type Target = ["path" | "query" | "body", string] | ["extra-query" | "whole-body", ""];

function oneWrong(op: Operation, space: RequestSpace): fc.Arbitrary<Parts> {
  const targets: Target[] = [
    ...op.pathParams.map((p): Target => ["path", p]),
    ...Object.keys(op.query).map((q): Target => ["query", q]),
    ["extra-query", ""],
  ];
  if (op.method !== "GET") {
    targets.push(["whole-body", ""]);
    for (const f of Object.keys(op.body?.properties ?? {})) targets.push(["body", f]);
  }
  return fc.tuple(validParts(op, space), fc.constantFrom(...targets)).chain(([parts, target]) => {
    const [where, name] = target;
    switch (where) {
      case "path":
        return wrongPathValue().map((v) => ({ ...parts, path: { ...parts.path, [name]: v } }));
      case "query":
        return wrongQueryValue(op.query[name]).map((v) => ({
          ...parts,
          query: { ...parts.query, [name]: v },
        }));
      case "body": {
        const required = (op.body!.required ?? []).includes(name);
        return fc
          .oneof(
            { weight: required ? 1 : 0, arbitrary: fc.constant(MISSING) },
            { weight: 6, arbitrary: wrongValue(op.body!.properties![name]) },
          )
          .map((value) => {
            const body: Record<string, unknown> = { ...(parts.body as object) };
            if (value === MISSING) delete body[name];
            else body[name] = value;
            return { ...parts, body };
          });
      }
      case "whole-body":
        return bodyValue(op.body).map((body) => ({ ...parts, body }));
      default:
        return fc
          .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }))
          .map((extraQuery) => ({ ...parts, extraQuery }));
    }
  });
}

function chaos(op: Operation, space: RequestSpace): fc.Arbitrary<Parts> {
  return fc.record({
    caller: callerFor(op),
    path: fc.record(
      Object.fromEntries(op.pathParams.map((p) => [p, pathValue(space.pathValues(op, p))])),
    ),
    query: fc.record(
      Object.fromEntries(
        Object.entries(op.query).map(([name, schema]) => [
          name,
          fc.option(queryValue(schema), { nil: undefined, freq: 2 }),
        ]),
      ),
    ),
    body: op.method === "GET" ? fc.constant(undefined) : bodyValue(op.body),
    key: op.idempotent ? KEY : fc.constant(undefined),
  });
}

function toRequest(op: Operation, parts: Parts): FuzzRequest {
  let url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => enc(parts.path[name]));
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(parts.query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) pairs.push(`${name}=${enc(v)}`);
  }
  if (parts.extraQuery) pairs.push(`${enc(parts.extraQuery[0])}=${enc(parts.extraQuery[1])}`);
  if (pairs.length) url += "?" + pairs.join("&");
  const req: FuzzRequest = { method: op.method, url, caller: parts.caller };
  if (parts.body !== undefined) req.body = JSON.stringify(parts.body);
  if (parts.key !== undefined) req.idempotencyKey = parts.key;
  return req;
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
  let body: Record<string, unknown>;
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
