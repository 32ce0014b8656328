/**
 * The security headers of every answer of the gateway (API, web app, errors), set by helmet:
 * a Content-Security-Policy that runs only the shop's own scripts (the web app has no inline
 * script) and forbids framing, nosniff, no referrer, the cross-origin isolation headers, and
 * Strict-Transport-Security only when the request came over TLS (the socket's, or a trusted
 * proxy's X-Forwarded-Proto: HSTS over plain HTTP means nothing and would pin a test host).
 * Helmet has no Permissions-Policy, so that one header is written here.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";
import { isSecure, type TrustProxy } from "./proxy.ts";

const headers = helmet({
  contentSecurityPolicy: {
    directives: {
      "default-src": ["'self'"],
      "script-src": ["'self'"],
      "script-src-attr": ["'none'"],
      "object-src": ["'none'"],
      "base-uri": ["'self'"],
      "form-action": ["'self'"],
      "frame-ancestors": ["'none'"],
      // Product pictures are a path on the shop or an https URL (API.md).
      "img-src": ["'self'", "data:", "https:"],
      "connect-src": ["'self'"],
      // Plain-HTTP deployments (and the tests) would lose every asset to an upgrade.
      "upgrade-insecure-requests": null,
    },
  },
  referrerPolicy: { policy: "no-referrer" },
  xFrameOptions: { action: "deny" },
  strictTransportSecurity: false,
});

const hsts = helmet.strictTransportSecurity({ maxAge: 31_536_000, includeSubDomains: false });

/** What browser features the shop never uses. */
export const PERMISSIONS_POLICY =
  "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

const noop = () => undefined;

/** Sets the security headers on `res` (helmet's middlewares are synchronous). */
export function setSecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  trustProxy: TrustProxy,
): void {
  headers(req, res, noop);
  res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
  if (isSecure(req, trustProxy)) hsts(req, res, noop);
}
