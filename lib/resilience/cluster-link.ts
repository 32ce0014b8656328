/**
 * The cluster link middleware (cluster mode, moleculer.config.ts): how a node behaves when it
 * loses NATS, and when a peer dies without saying goodbye.
 * - While this node's NATS connection is down, a call to another node fails at once with 503
 *   `SERVICE_UNAVAILABLE` (the gateway adds Retry-After) instead of waiting the request timeout,
 *   and the calls waiting for an answer when it dropped fail the same way. nats.js reconnects by
 *   itself; calls go through again as soon as it has.
 * - A call to another node that has not answered after SUSPECT_AFTER_MS makes this node ask NATS
 *   whether that node still holds its subscription (nats-link.ts). When it does not, the node is
 *   dropped from the registry now rather than after the heartbeat timeout: its pending calls
 *   are rejected with Moleculer's retryable REQUEST_REJECTED, so reads with a retry policy
 *   (retry.ts) run again on another instance and everything else answers 503 at once.
 */
import type { Context, Middleware, ServiceBroker } from "moleculer";
import { UnavailableError } from "../errors.ts";
import { NatsLink, type NatsClient } from "./nats-link.ts";

/** A remote call slower than this makes the caller check that its node is still connected. */
export const SUSPECT_AFTER_MS = 500;
/** How long the check waits for NATS (a dead peer's answer, "no responders", is immediate). */
const PROBE_TIMEOUT_MS = 1_000;

interface Transit {
  connected?: boolean;
  tx?: {
    client?: unknown;
    getTopicName(cmd: string, nodeID: string): string;
    serialize(packet: {
      type: string;
      target: string;
      payload: Record<string, unknown>;
    }): Uint8Array;
  };
  pendingRequests: Map<string, { reject(err: Error): void }>;
  removePendingRequest(id: string): void;
}

interface Registry {
  nodes: { disconnected(nodeID: string, unexpected: boolean): void };
}

const links = new WeakMap<ServiceBroker, NatsLink>();

/** Whether the node can reach the cluster (true without a transporter: one process). */
export function transporterConnected(broker: ServiceBroker): boolean {
  const transit = broker.transit as unknown as Transit | undefined;
  if (!transit) return true;
  const link = links.get(broker);
  return transit.connected !== false && (link ? link.connected : true);
}

/** The answer to a call made while this node has no transporter connection. */
export function clusterUnreachable(): UnavailableError {
  return new UnavailableError(
    "This node has lost its connection to the cluster, try again shortly",
    "SERVICE_UNAVAILABLE",
    { dependency: "transporter" },
  );
}

export function ClusterLinkMiddleware(): Middleware {
  let broker: ServiceBroker;
  let link: NatsLink | undefined;
  const probing = new Set<string>();
  const transit = () => broker.transit as unknown as Transit;

  /** The connection dropped: nothing already sent will be answered. */
  const failPending = () => {
    const t = transit();
    for (const [id, req] of [...t.pendingRequests]) {
      t.removePendingRequest(id);
      req.reject(clusterUnreachable());
    }
  };

  const suspect = (nodeID: string) => {
    const tx = transit().tx;
    if (!link || !tx || probing.has(nodeID)) return;
    probing.add(nodeID);
    const ping = tx.serialize({
      type: "PING",
      target: nodeID,
      payload: { time: Date.now(), id: `link-probe-${broker.nodeID}` },
    });
    void link
      .nobodyListens(tx.getTopicName("PING", nodeID), ping, PROBE_TIMEOUT_MS)
      .then((gone) => {
        if (!gone) return;
        broker.logger.warn(`Node '${nodeID}' has lost its NATS connection: dropped at once`);
        (broker.registry as unknown as Registry).nodes.disconnected(nodeID, true);
      })
      .finally(() => probing.delete(nodeID));
  };

  return {
    name: "ClusterLink",

    created(b: ServiceBroker) {
      broker = b;
    },

    started() {
      const client = transit()?.tx?.client;
      if (!isNatsClient(client)) return;
      link = new NatsLink(client, failPending);
      links.set(broker, link);
    },

    remoteAction(next: (ctx: Context) => Promise<unknown>) {
      return function clusterLink(ctx: Context) {
        if (link && !link.connected) return Promise.reject(clusterUnreachable());
        const answer = next(ctx);
        if (!link || !ctx.nodeID) return answer;
        const nodeID = ctx.nodeID;
        const timer = setTimeout(() => suspect(nodeID), SUSPECT_AFTER_MS);
        return answer.finally(() => clearTimeout(timer));
      };
    },
  } as unknown as Middleware;
}

function isNatsClient(client: unknown): client is NatsClient {
  const c = client as Partial<NatsClient> | undefined;
  return (
    typeof c?.status === "function" &&
    typeof c.request === "function" &&
    typeof c.isClosed === "function" &&
    typeof c.closed === "function"
  );
}
