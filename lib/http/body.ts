/**
 * Reading a JSON request body at the gateway. The gateway reads a body only once it knows the
 * route exists and the caller may call it (after authentication and authorization), reads at
 * most the route's limit (413 past it, before a byte reaches the transporter), and checks its
 * shape (depth, number of keys) before JSON.parse builds it, so an oversized or pathological
 * body costs the event loop next to nothing.
 */
import type { IncomingMessage } from "node:http";
import { parse as parseContentType } from "content-type";
import getRawBody from "raw-body";
import {
  BadRequestError,
  PayloadTooLargeError,
  UnprocessableError,
  UnsupportedMediaTypeError,
} from "../errors.ts";
import { bodyFieldsOf, type RouteDef } from "./route.ts";

/** A route with body fields takes this much unless its row says otherwise (API.md: ~16 KiB). */
export const DEFAULT_BODY_LIMIT = 16 * 1024;
/** A route without body fields: room for `{}` and a little more, nothing to parse. */
export const EMPTY_BODY_LIMIT = 1024;
/** No route takes more (API.md), which also keeps every call under NATS's max payload. */
export const MAX_BODY_LIMIT = 1024 * 1024;
/** Nesting of objects and arrays: real bodies are 3 deep (an address in a checkout). */
export const MAX_DEPTH = 16;
/** Object keys in the whole body: real bodies have a few dozen. */
export const MAX_KEYS = 256;

/** The most bytes of body this route reads. */
export function bodyLimitOf(def: RouteDef | undefined): number {
  const fields = def ? Object.keys(bodyFieldsOf(def)).length : 0;
  const limit = def?.bodyLimit ?? (fields > 0 ? DEFAULT_BODY_LIMIT : EMPTY_BODY_LIMIT);
  return Math.min(limit, MAX_BODY_LIMIT);
}

/** The request carries a body (Node's and type-is's rule: a length other than 0, or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * Reads and parses the body as a JSON object; undefined when there is none. Only
 * `application/json` (or `application/*+json`) in UTF-8, without a content encoding: the bodies
 * are small, so compression would only make room for zip bombs.
 */
export async function readJsonBody(
  req: IncomingMessage,
  limit: number,
): Promise<Record<string, unknown> | undefined> {
  if (!hasBody(req)) return undefined;
  checkHeaders(req);
  let text: string;
  try {
    text = await getRawBody(req, {
      limit,
      length: req.headers["content-length"],
      encoding: "utf-8",
    });
  } catch (err) {
    throw readError(err, limit);
  }
  return parseJsonObject(text);
}

function checkHeaders(req: IncomingMessage): void {
  const encoding = String(req.headers["content-encoding"] ?? "identity")
    .trim()
    .toLowerCase();
  if (encoding !== "identity") {
    throw new UnsupportedMediaTypeError(
      "Request bodies are not accepted with a Content-Encoding; send plain JSON",
      "UNSUPPORTED_ENCODING",
    );
  }
  let type: { type: string; parameters: Record<string, string> };
  try {
    type = parseContentType(String(req.headers["content-type"] ?? ""));
  } catch {
    type = { type: "", parameters: {} };
  }
  if (type.type !== "application/json" && !/^application\/[^/]+\+json$/.test(type.type)) {
    throw new UnsupportedMediaTypeError("Send the request body as application/json");
  }
  const charset = type.parameters.charset?.toLowerCase();
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
    throw new UnsupportedMediaTypeError("Send the request body in UTF-8", "UNSUPPORTED_CHARSET");
  }
}

function readError(err: unknown, limit: number): Error {
  const type = (err as { type?: string })?.type;
  if (type === "entity.too.large") {
    return new PayloadTooLargeError(
      `Request body is larger than this route takes (${limit} bytes)`,
      "PAYLOAD_TOO_LARGE",
      { limit },
    );
  }
  if (type === "request.aborted") return new BadRequestError("Request aborted", "REQUEST_ABORTED");
  return new BadRequestError("Request body could not be read", "BAD_REQUEST");
}

/** Parses a JSON object after checking its depth and key count on the text. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (text.trim() === "") return undefined;
  checkShape(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequestError("Request body is not valid JSON", "INVALID_JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BadRequestError("Request body must be a JSON object", "INVALID_JSON");
  }
  return value as Record<string, unknown>;
}

/**
 * One pass over the text, outside strings: the deepest nesting of `{`/`[` and the number of
 * object keys (`:`). Invalid JSON may pass here; JSON.parse rejects it next.
 */
export function checkShape(text: string, maxDepth = MAX_DEPTH, maxKeys = MAX_KEYS): void {
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > maxDepth) {
        throw new UnprocessableError(
          `Request body is nested deeper than ${maxDepth} levels`,
          "BODY_TOO_DEEP",
          { maxDepth },
        );
      }
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
    else if (c === 0x3a) {
      keys += 1;
      if (keys > maxKeys) {
        throw new UnprocessableError(
          `Request body has more than ${maxKeys} keys`,
          "TOO_MANY_KEYS",
          { maxKeys },
        );
      }
    }
  }
}

/** The action's parameters: the body's fields, overridden by the query and the path's. */
export function withBody(
  params: Record<string, unknown> | undefined,
  body: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!body) return params ?? {};
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    // An own "__proto__" key from JSON.parse must not become the prototype of the parameters.
    if (key !== "__proto__") merged[key] = value;
  }
  return Object.assign(merged, params);
}
