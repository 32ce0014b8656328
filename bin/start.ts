/**
 * `npm start`: runs one node of the shop. With no environment set it is the whole shop in one
 * process (SQLite, in-memory cache); with TRANSPORTER/DATABASE_URL/REDIS_URL/SERVICES it is one
 * node of a cluster.
 */
// First: tracing must be installed before the modules it instruments are loaded.
import "../lib/observability/tracing-init.ts";
import { existsSync } from "node:fs";

if (existsSync(".env")) process.loadEnvFile(".env");

async function main(): Promise<void> {
  // Imported here, not at the top, so that mysql2 and ioredis load after tracing-init.
  const { loadConfig } = await import("../lib/config.ts");
  const { createNode } = await import("../services/node.ts");
  const config = loadConfig();
  const node = await createNode(config);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    node.broker.logger.info(`${signal} received: draining in-flight requests and stopping`);
    try {
      await node.stop();
      process.exit(0);
    } catch (err) {
      console.error("Error while stopping:", (err as Error).message);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await node.start();
  // A parent process (tests, supervisors) learns that this node is up without parsing logs.
  process.send?.({ type: "started", nodeID: node.broker.nodeID });
}

main().catch((err: unknown) => {
  if ((err as Error)?.name === "ConfigError") {
    console.error((err as Error).message);
  } else {
    console.error(`Cannot start: ${(err as Error).message}`);
  }
  process.exit(1);
});
