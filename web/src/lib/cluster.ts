/**
 * GET /api/admin/cluster, read leniently: API.md names what the live view holds (nodes, services
 * and their instances, per-action request rate, error rate, latency, circuit-breaker state) but
 * not its exact shape, so arrays or maps keyed by id, and the usual spellings of each figure,
 * are all accepted. The shape the web app suggests is in web/README.md.
 */

export type BreakerState = "closed" | "open" | "half-open";

export interface ClusterNode {
  id: string;
  hostname: string | null;
  ips: string[];
  available: boolean;
  local: boolean;
  cpu: number | null;
  uptime: number | null;
  services: string[];
}

export interface ServiceInstance {
  nodeId: string;
  available: boolean;
}

export interface ClusterService {
  name: string;
  version: string | null;
  instances: ServiceInstance[];
}

export interface ActionStat {
  name: string;
  nodeId: string | null;
  requestRate: number | null;
  /** Fraction of calls that failed, 0..1. */
  errorRate: number | null;
  latencyMean: number | null;
  latencyP95: number | null;
  latencyP99: number | null;
  breaker: BreakerState | null;
}

export interface Breaker {
  nodeId: string | null;
  action: string;
  state: BreakerState;
}

export interface ClusterView {
  nodes: ClusterNode[];
  services: ClusterService[];
  actions: ActionStat[];
  breakers: Breaker[];
  totals: { requestRate: number | null; errorRate: number | null; latencyP95: number | null };
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function num(...values: unknown[]): number | null {
  for (const v of values) {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  }
  return null;
}

function str(...values: unknown[]): string | null {
  for (const v of values) {
    if (typeof v === "string" && v) return v;
    if (typeof v === "number") return String(v);
  }
  return null;
}

/** An array, or a map whose keys become the `key` field of each entry. */
function entries(value: unknown, key: string): Obj[] {
  if (Array.isArray(value)) return value.map((v) => (isObj(v) ? v : { [key]: v }));
  if (isObj(value)) {
    return Object.entries(value).map(([k, v]) =>
      isObj(v) ? { [key]: k, ...v } : { [key]: k, value: v },
    );
  }
  return [];
}

/**
 * Moleculer's own actions ($node.*), the gateway's dispatcher (api.rest: it runs for every HTTP
 * request beside the action it calls) and moleculer-web's route management are never listed.
 */
export function isInternalAction(name: string): boolean {
  return name.startsWith("$") || ["api.rest", "api.addRoute", "api.removeRoute"].includes(name);
}

export function breakerState(value: unknown): BreakerState | null {
  if (isObj(value)) return breakerState(value.state ?? value.status);
  if (typeof value !== "string") return null;
  const v = value.toLowerCase().replace(/[_\s]/g, "-");
  if (v === "closed" || v === "close") return "closed";
  if (v === "open") return "open";
  if (v === "half-open" || v === "halfopen") return "half-open";
  return null;
}

function readNode(o: Obj): ClusterNode {
  const ips = o.ipList ?? o.ips ?? o.ip ?? o.addresses;
  const cpu = isObj(o.cpu) ? num(o.cpu.usage, o.cpu.utilization) : num(o.cpu, o.cpuUsage);
  return {
    id: str(o.id, o.nodeID, o.nodeId, o.name) ?? "unknown",
    hostname: str(o.hostname, o.host),
    ips: Array.isArray(ips) ? ips.map(String) : typeof ips === "string" ? [ips] : [],
    available: o.available !== false && o.status !== "down" && o.online !== false,
    local: o.local === true,
    cpu,
    uptime: num(o.uptime, o.uptimeSeconds),
    services: entries(o.services, "name")
      .map((s) => str(s.name, s.fullName))
      .filter((s): s is string => !!s),
  };
}

function readService(o: Obj): ClusterService {
  const instances = entries(o.instances ?? o.nodes, "nodeId").map((i) => ({
    nodeId: str(i.nodeId, i.nodeID, i.node, i.id, i.value) ?? "unknown",
    available: i.available !== false && i.up !== false,
  }));
  return {
    name: str(o.name, o.fullName) ?? "unknown",
    version: str(o.version),
    instances,
  };
}

function readAction(o: Obj): ActionStat {
  const latency = o.latency;
  const lat = isObj(latency) ? latency : {};
  const requests = isObj(o.requests) ? o.requests : {};
  const errors = isObj(o.errors) ? o.errors : {};
  const requestRate = num(o.requestRate, o.rps, o.rate, o.requestsPerSecond, requests.rate);
  // GET /api/admin/cluster sends errorRatio (0..1) beside errorRate (errors per second).
  let errorRate = "errorRatio" in o ? num(o.errorRatio) : num(o.errorRate, errors.ratio);
  if (errorRate === null && "errorRatio" in o) {
    if (num(o.errorRate) === 0) errorRate = 0;
  } else if (errorRate === null) {
    const errorsPerSecond = num(o.errorsPerSecond, o.errorsRate, errors.rate);
    if (errorsPerSecond !== null && requestRate) errorRate = errorsPerSecond / requestRate;
    else if (errorsPerSecond === 0) errorRate = 0;
  }
  if (errorRate !== null && errorRate > 1) errorRate = errorRate / 100;
  return {
    name: str(o.name, o.action) ?? "unknown",
    nodeId: str(o.nodeId, o.nodeID, o.node),
    requestRate,
    errorRate,
    latencyMean: num(
      typeof latency === "number" ? latency : null,
      lat.mean,
      lat.avg,
      o.latencyMean,
      o.mean,
      o.latencyMs,
    ),
    latencyP95: num(lat.p95, lat["95"], o.latencyP95, o.p95),
    latencyP99: num(lat.p99, lat["99"], o.latencyP99, o.p99),
    breaker: breakerState(o.breaker ?? o.circuitBreaker ?? o.breakerState ?? o.cb),
  };
}

export function normalizeCluster(raw: unknown): ClusterView {
  const root = isObj(raw) ? raw : {};
  const nodes = entries(root.nodes, "id").map(readNode);
  let services = entries(root.services, "name").map(readService);
  if (services.length === 0) {
    // Derive services from the nodes that host them.
    const byName = new Map<string, ClusterService>();
    for (const node of nodes) {
      for (const name of node.services) {
        const s = byName.get(name) ?? { name, version: null, instances: [] };
        s.instances.push({ nodeId: node.id, available: node.available });
        byName.set(name, s);
      }
    }
    services = [...byName.values()];
  }
  const actions = entries(root.actions ?? root.metrics, "name")
    .map(readAction)
    .filter((a) => !isInternalAction(a.name));
  const breakers: Breaker[] = [];
  for (const b of entries(root.breakers ?? root.circuitBreakers, "action")) {
    const state = breakerState(b.state ?? b.value ?? b.status);
    let action = str(b.action, b.name) ?? "unknown";
    let nodeId = str(b.nodeId, b.nodeID, b.node);
    if (!nodeId && action.includes(":"))
      [nodeId, action] = action.split(/:(.*)/s, 2) as [string, string];
    if (state) breakers.push({ nodeId, action, state });
  }
  for (const a of actions) {
    if (a.breaker && !breakers.some((b) => b.action === a.name && b.nodeId === a.nodeId)) {
      breakers.push({ nodeId: a.nodeId, action: a.name, state: a.breaker });
    }
  }
  const t = isObj(root.totals) ? root.totals : {};
  // The API's summary: requests per second over the listed actions (one HTTP request once).
  const summary = isObj(root.summary) ? root.summary : {};
  const rates = actions.map((a) => a.requestRate).filter((r): r is number => r !== null);
  const summed = rates.length ? rates.reduce((x, y) => x + y, 0) : null;
  let weightedErrors: number | null = null;
  if (summed) {
    weightedErrors =
      actions.reduce((acc, a) => acc + (a.requestRate ?? 0) * (a.errorRate ?? 0), 0) / summed;
  } else if (summed === 0) weightedErrors = 0;
  const p95s = actions.map((a) => a.latencyP95).filter((r): r is number => r !== null);
  let totalErrorRate = num(t.errorRate);
  if (totalErrorRate !== null && totalErrorRate > 1) totalErrorRate /= 100;
  return {
    nodes,
    services: services.sort((a, b) => a.name.localeCompare(b.name)),
    actions: actions.sort((a, b) => a.name.localeCompare(b.name)),
    breakers,
    totals: {
      requestRate: num(t.requestRate, t.rps, summary.requestRate) ?? summed,
      errorRate: totalErrorRate ?? weightedErrors,
      latencyP95: num(t.latencyP95, t.p95) ?? (p95s.length ? Math.max(...p95s) : null),
    },
  };
}
