/**
 * Who may read a gateway's GET /metrics on the API port (the public one). The exposition is big
 * (~180 KB) and costs CPU, so it is never open there in production:
 * - METRICS_TOKEN set: `Authorization: Bearer <token>` required (401 otherwise);
 * - else in production: not served (404); scrape every node on METRICS_PORT instead (a production
 *   cluster node serves it there by default);
 * - else (development, tests): open, for a look with curl.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export type MetricsExposure = "open" | "token" | "off";

export function gatewayMetricsExposure(config: {
  nodeEnv: string;
  metricsToken: string | undefined;
}): MetricsExposure {
  if (config.metricsToken !== undefined) return "token";
  return config.nodeEnv === "production" ? "off" : "open";
}

/** True when the Authorization header carries the token (compared in constant time). */
export function carriesMetricsToken(authorization: unknown, token: string): boolean {
  if (typeof authorization !== "string") return false;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) return false;
  // Hashes have equal lengths, so the comparison reveals neither the token nor its length.
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}
