/**
 * The readiness checks of the shared store and cache (Redis) and of the transporter (NATS), each
 * throwing an error that names what is lost; /api/ready answers 503 with them. Liveness
 * (/api/health) checks none of them: a node that lost Redis or NATS is alive and recovers by
 * itself, so restarting it would not help.
 */
import type { ServiceBroker } from "moleculer";
import type { KeyValueStore } from "../store/kv.ts";
import { clusterUnreachable, transporterConnected } from "./cluster-link.ts";

/** The key-value store and the action cacher's own Redis connection answer a PING. */
export async function checkCache(store: KeyValueStore, cacher: unknown): Promise<void> {
  await store.ping();
  const client = (cacher as { client?: { ping(): Promise<unknown> } } | null)?.client;
  if (!client) return;
  try {
    await client.ping();
  } catch (err) {
    throw new Error(`the action cache's redis connection: ${(err as Error).message}`);
  }
}

/** The node is connected to the transporter (NATS), as nats.js reports it. */
export async function checkTransporter(broker: ServiceBroker): Promise<void> {
  if (!transporterConnected(broker)) {
    throw new Error(`transporter (nats): ${clusterUnreachable().message}`);
  }
}
