/**
 * A whole shop in one process for the embedded-mode crash test, run as a child process: exactly
 * what `npm start` runs (createNode with the environment's configuration), plus an IPC bridge so
 * the test can call actions (`{ id, action, params, meta }` → `{ id, result | error }`), plus —
 * only while the real catalog services are not merged — the TEST-ONLY fake catalog, whose state
 * lives in FAKE_CATALOG_STATE so it survives the process being killed.
 */
import { loadConfig } from "../../lib/config.ts";
import { createNode } from "../../services/node.ts";
import { REAL_CATALOG } from "./order-catalog.ts";
import { fakeCatalogServices } from "./fake-catalog.ts";

interface Request {
  id: number;
  action: string;
  params?: unknown;
  meta?: Record<string, unknown>;
}

const node = await createNode(loadConfig());
if (!REAL_CATALOG) {
  const fake = fakeCatalogServices({ stateFile: process.env.FAKE_CATALOG_STATE });
  node.broker.createService(fake.products);
  node.broker.createService(fake.carts);
}
await node.start();

process.on("message", (message: Request) => {
  node.broker
    .call(message.action, message.params ?? {}, { meta: { $cache: false, ...message.meta } })
    .then(
      (result) => process.send?.({ id: message.id, result }),
      (err: { message?: string; type?: string; code?: number }) =>
        process.send?.({
          id: message.id,
          error: { message: err.message, type: err.type, code: err.code },
        }),
    );
});
process.on("SIGTERM", () => {
  void node.stop().then(() => process.exit(0));
});
process.send?.({ ready: true });
