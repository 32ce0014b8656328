/** What the gateway reads off a raw HTTP request, as plain functions. */
import type { IncomingMessage } from "node:http";

/** The client's address: the socket's, unless a trusted proxy sets X-Forwarded-For. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? "unknown";
}

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
