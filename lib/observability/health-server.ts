/**
 * Every node's own health endpoint on HEALTH_PORT, for Docker's HEALTHCHECK (deploy/probe.mjs)
 * and Kubernetes' httpGet probes: a bare node:http server, apart from the gateway's routes, so a
 * probe costs one small request instead of a process that loads the app.
 *
 *   GET /live   200 while the event loop turns (liveness never asks another component)
 *   GET /ready  200 when the node serves: its broker started and not stopping, the transporter
 *               connected, the database answering; else 503 naming the failed check
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { withTimeout } from "../timeout.ts";

export type CheckResult = "ok" | string;

export interface NodeHealth {
  /** Named readiness checks; each resolves "ok" or a short reason. */
  ready(): Promise<Record<string, CheckResult>>;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

const JSON_TYPE = "application/json; charset=utf-8";

export async function startHealthServer(
  port: number,
  host: string,
  health: NodeHealth,
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": JSON_TYPE, "Cache-Control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, { status: "error" });
    if (path === "/live") return send(200, { status: "ok" });
    if (path !== "/ready") return send(404, { status: "error" });
    health.ready().then(
      (checks) => {
        const ok = Object.values(checks).every((c) => c === "ok");
        send(ok ? 200 : 503, { status: ok ? "ok" : "unavailable", checks });
      },
      (err: Error) => send(503, { status: "unavailable", error: err.message }),
    );
  });
  // Probes come from the kubelet or the container itself: short-lived, never kept alive long.
  server.keepAliveTimeout = 1_000;
  server.headersTimeout = 5_000;
  server.requestTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Runs a check with a deadline; "ok" or the reason it failed. */
export async function check(run: () => Promise<unknown>, timeoutMs = 2_000): Promise<CheckResult> {
  try {
    await withTimeout(run(), timeoutMs, `timed out after ${timeoutMs} ms`);
    return "ok";
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}
