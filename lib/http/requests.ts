/** What the gateway reads off a raw HTTP request, as plain functions. */

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
