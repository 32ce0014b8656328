/**
 * Baseline (b), the service side: a node of the cluster built from moleculer.config.ts (the same
 * broker options as every shop node: NATS, JSON serializer, bulkhead, circuit breaker...) that
 * hosts only `bench-echo`, whose `echo` action answers the same small body as baseline (a).
 */
import { ServiceBroker } from "moleculer";
import brokerOptions from "../moleculer.config.ts";
import { loadConfig } from "../lib/config.ts";
import { ECHO_BODY } from "./baselines/shared.ts";

const broker = new ServiceBroker(brokerOptions(loadConfig()));
broker.createService({
  name: "bench-echo",
  actions: {
    /** Answers a fixed small body: no I/O, so only the framework's path is measured. */
    echo: {
      handler() {
        return ECHO_BODY;
      },
    },
  },
});

const stop = () => void broker.stop().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
await broker.start();
process.send?.({ type: "started", nodeID: broker.nodeID });
