/**
 * `npm run repl`: the Moleculer REPL.
 * - cluster mode (TRANSPORTER set): joins the cluster as a node hosting no services, so you can
 *   `nodes`, `services`, `actions`, `call products.get --id 1` on the live cluster;
 * - embedded mode: starts the whole shop in this process (HTTP included) and opens the REPL on it.
 */
import { existsSync } from "node:fs";
import { ServiceBroker } from "moleculer";
import brokerOptions from "../moleculer.config.ts";
import { ConfigError, loadConfig } from "../lib/config.ts";
import { createNode } from "../services/node.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

try {
  const config = loadConfig();
  if (config.transporter) {
    const broker = new ServiceBroker({
      ...brokerOptions(config),
      nodeID: config.nodeId ?? `repl-${process.pid}`,
      logLevel: "warn",
    });
    await broker.start();
    await broker.repl();
  } else {
    const node = await createNode(config);
    await node.start();
    await node.broker.repl();
  }
} catch (err) {
  console.error(
    err instanceof ConfigError ? err.message : `Cannot start the REPL: ${(err as Error).message}`,
  );
  process.exit(1);
}
