/** What the gateway reads off a raw HTTP request, as plain functions. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** The client's address behind the trusted proxies (TRUST_PROXY): see proxy.ts. */
export { clientAddress } from "./proxy.ts";

/**
 * A browser loading a page of the web app (/orders/12): GET or HEAD of a path outside /api and
 * /metrics, without a file extension, asking for HTML. It gets index.html; anything else that
 * matched no route is a 404.
 */
export function isPageLoad(method: string | undefined, path: string, accept: unknown): boolean {
  return (
    (method === "GET" || method === "HEAD") &&
    !path.startsWith("/api/") &&
    path !== "/metrics" &&
    !/\.[a-z0-9]+$/i.test(path) &&
    String(accept ?? "").includes("text/html")
  );
}

/** The probes (liveness, readiness): answered even on a connection past its address's cap. */
export function isProbe(url: string | undefined): boolean {
  const path = (url ?? "").split("?")[0];
  return path === "/api/health" || path === "/api/ready";
}

/**
 * HEAD is GET without a body (RFC 9110): the request goes on as a GET, so every GET route, the
 * web app and the static files answer it, with GET's status and headers (Content-Length too);
 * Node sends no body for a HEAD request. `originalMethod` keeps "HEAD" for the access log.
 */
export function answerHeadAsGet(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== "HEAD") return;
  req.method = "GET";
  (req as IncomingMessage & { originalMethod?: string }).originalMethod = "HEAD";
  const end = res.end;
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    const sized = typeof chunk === "string" || Buffer.isBuffer(chunk);
    if (sized && !this.headersSent && !this.hasHeader("Content-Length")) {
      this.setHeader("Content-Length", Buffer.byteLength(chunk));
    }
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse["end"];
}

/**
 * The language an Accept-Language header prefers among those the shop speaks (`zh`, `en`): the
 * one of highest quality (`en-US,en;q=0.9,zh;q=0.8` → en); Chinese without a header or a match.
 */
export function preferredLanguage(acceptLanguage: unknown): "zh" | "en" {
  let best: { lang: "zh" | "en"; q: number } = { lang: "zh", q: 0 };
  for (const part of String(acceptLanguage ?? "").split(",")) {
    const [tag, ...attrs] = part.trim().toLowerCase().split(";");
    const lang = tag.split("-")[0];
    if (lang !== "zh" && lang !== "en") continue;
    const qAttr = attrs.map((a) => a.trim()).find((a) => a.startsWith("q="));
    const q = qAttr ? Number(qAttr.slice(2)) : 1;
    if (Number.isFinite(q) && q > best.q) best = { lang, q };
  }
  return best.lang;
}
