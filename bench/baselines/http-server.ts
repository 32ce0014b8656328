/**
 * Baseline (a): a bare `node:http` server answering a small JSON body. Nothing of the shop runs
 * here: it is the ceiling of one Node process on this machine (and of the load generator).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ECHO_BODY } from "./shared.ts";

const body = JSON.stringify(ECHO_BODY);
const server = createServer((_req, res) => {
  res.writeHead(200, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: "started", port });
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
process.on("SIGINT", () => server.close(() => process.exit(0)));
