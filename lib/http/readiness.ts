/**
 * Readiness of a gateway node (GET /api/ready): it is ready when every route it publishes can
 * answer. Each check is "ok" or "error: <why>"; the node is ready when all are "ok".
 * - database, cache, transporter: they answer (probed by the gateway);
 * - access: the policy and blacklists came from the access service (not only the policy file);
 * - services: every action of the route table has a live endpoint. A service publishes its
 *   actions only once its `started` is over, so the catalog is seeded when products' are there.
 */

/** The actions of `published` that no live node serves, sorted. */
export function missingActions(
  published: readonly string[],
  isAvailable: (action: string) => boolean,
): string[] {
  return [...new Set(published)].filter((action) => !isAvailable(action)).sort();
}

/** The `services` check: "ok", or which actions have no endpoint (the first few). */
export function servicesCheck(missing: readonly string[]): string {
  if (missing.length === 0) return "ok";
  const shown = missing.slice(0, 5).join(", ");
  const more = missing.length > 5 ? ` and ${missing.length - 5} more` : "";
  return `error: not available: ${shown}${more}`;
}

/** The `access` check: the access lists were loaded from the access service. */
export function accessCheck(version: string): string {
  return version === "defaults" ? "error: access lists not loaded from the access service" : "ok";
}

/** The answer of GET /api/ready. */
export function readiness(checks: Record<string, string>): {
  ready: boolean;
  body: { status: "ok" | "unavailable"; checks: Record<string, string> };
} {
  const ready = Object.values(checks).every((c) => c === "ok");
  return { ready, body: { status: ready ? "ok" : "unavailable", checks } };
}
