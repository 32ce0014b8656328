/**
 * Content coding: which encoding a client gets (Accept-Encoding), pre-compressed static files
 * (the web build writes `x.js.br` and `x.js.gz` beside `x.js`) and compressed JSON answers.
 */
import { statSync } from "node:fs";
import { extname, resolve, sep } from "node:path";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import type { IncomingMessage, ServerResponse } from "node:http";

export type Coding = "br" | "gzip";

/** File suffix of each pre-compressed variant. */
export const SUFFIX: Record<Coding, string> = { br: ".br", gzip: ".gz" };

/** Answers smaller than this go out as they are (compressing them gains nothing). */
export const JSON_THRESHOLD_BYTES = 1024;

/**
 * The coding to send, of those `available` (in the server's order of preference), for an
 * Accept-Encoding header: the one with the highest q; ties go to the server's order. No header,
 * nothing acceptable or `identity` preferred: null (send as is).
 */
export function chooseEncoding(
  header: string | string[] | undefined,
  available: readonly Coding[] = ["br", "gzip"],
): Coding | null {
  const value = Array.isArray(header) ? header.join(",") : header;
  if (!value) return null;
  const q = new Map<string, number>();
  for (const part of value.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Math.min(1, Number(m[1]) || 0);
    }
    q.set(name === "x-gzip" ? "gzip" : name, weight);
  }
  const star = q.get("*");
  let best: Coding | null = null;
  let bestQ = 0;
  for (const coding of available) {
    const w = q.get(coding) ?? star ?? 0;
    if (w > bestQ) {
      best = coding;
      bestQ = w;
    }
  }
  const identity = q.get("identity") ?? (star === 0 ? 0 : 1e-3);
  return best && bestQ >= identity ? best : null;
}

/** Content types of the files the web build pre-compresses. */
const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * For a GET of a static file with pre-compressed variants: the variant the client takes
 * (`url` to serve instead, with its headers), `vary` alone when it takes none; null when the
 * file has no variants.
 */
export function precompressedVariant(
  folder: string,
  method: string | undefined,
  url: string,
  acceptEncoding: string | string[] | undefined,
): { url?: string; headers: Record<string, string> } | null {
  if (method !== "GET" && method !== "HEAD") return null;
  const q = url.indexOf("?");
  const rawPath = q === -1 ? url : url.slice(0, q);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  const type = TYPES[extname(path).toLowerCase()];
  if (!type || path.includes("\0")) return null;
  const root = resolve(folder);
  const file = resolve(root, "." + path);
  if (!file.startsWith(root + sep)) return null;
  const available = (["br", "gzip"] as const).filter((c) => isFile(file + SUFFIX[c]));
  if (available.length === 0) return null;
  const vary = { Vary: "Accept-Encoding" };
  const coding = chooseEncoding(acceptEncoding, available);
  if (!coding) return { headers: vary };
  return {
    url: rawPath + SUFFIX[coding] + (q === -1 ? "" : url.slice(q)),
    headers: { ...vary, "Content-Encoding": coding, "Content-Type": type },
  };
}

type Serve = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Wraps serve-static: a file with a `.br`/`.gz` beside it goes out in the coding asked for. */
export function servePrecompressed(folder: string, serve: Serve): Serve {
  return (req, res, next) => {
    const variant = precompressedVariant(
      folder,
      req.method,
      req.url ?? "/",
      req.headers["accept-encoding"],
    );
    if (variant) {
      for (const [k, v] of Object.entries(variant.headers)) appendOrSet(res, k, v);
      if (variant.url) req.url = variant.url;
    }
    serve(req, res, next);
  };
}

function appendOrSet(res: ServerResponse, name: string, value: string): void {
  if (name === "Vary") {
    const prior = res.getHeader("Vary");
    if (prior && !/accept-encoding/i.test(String(prior))) {
      res.setHeader("Vary", `${String(prior)}, ${value}`);
      return;
    }
  }
  res.setHeader(name, value);
}

/** Compresses one body in a coding (brotli at a quality fit for answering on the fly). */
export function encodeBody(body: Buffer, coding: Coding): Buffer {
  return coding === "br"
    ? brotliCompressSync(body, {
        params: {
          [zlib.BROTLI_PARAM_QUALITY]: 4,
          [zlib.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzipSync(body, { level: 6 });
}

/**
 * Whether an answer is compressed: JSON, no coding yet, a status with a body, at least
 * `threshold` bytes, and a client that takes a coding.
 */
export function jsonCoding(
  contentType: unknown,
  contentEncoding: unknown,
  status: number,
  size: number,
  acceptEncoding: string | string[] | undefined,
  threshold = JSON_THRESHOLD_BYTES,
): Coding | null {
  if (contentEncoding || status === 204 || status === 304 || size < threshold) return null;
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(String(contentType ?? ""))) return null;
  return chooseEncoding(acceptEncoding);
}

/**
 * Makes this response compress a JSON body given whole to `res.end` (how moleculer-web and the
 * error handler answer) when it is big enough and the client asks. Bodies written in pieces
 * (streams, static files) are left alone.
 */
export function compressJsonAnswers(
  req: IncomingMessage,
  res: ServerResponse,
  threshold = JSON_THRESHOLD_BYTES,
): void {
  const end = res.end;
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    const [chunk] = args;
    if (
      !res.headersSent &&
      req.method !== "HEAD" &&
      (typeof chunk === "string" || Buffer.isBuffer(chunk))
    ) {
      const body = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      const json = /^application\/([\w.+-]*\+)?json\b/i.test(
        String(res.getHeader("Content-Type") ?? ""),
      );
      if (json) appendOrSet(res, "Vary", "Accept-Encoding");
      const coding = jsonCoding(
        res.getHeader("Content-Type"),
        res.getHeader("Content-Encoding"),
        res.statusCode,
        body.length,
        req.headers["accept-encoding"],
        threshold,
      );
      if (coding) {
        const encoded = encodeBody(body, coding);
        res.setHeader("Content-Encoding", coding);
        res.setHeader("Content-Length", encoded.length);
        const etag = res.getHeader("ETag");
        if (typeof etag === "string" && !etag.startsWith("W/")) res.setHeader("ETag", "W/" + etag);
        return (end as (...a: unknown[]) => ServerResponse).call(this, encoded);
      }
    }
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["end"];
}
