/**
 * Baseline (b), the gateway side: the shop's own `api` service (services/api.service.ts, the very
 * schema the real gateway runs: IP blocklist, bearer authentication, whitelist and Casbin checks,
 * the rate-limit hook, onBeforeCall/onAfterCall, the error mapper) with one extra alias,
 * `GET /api/bench/echo` → `bench-echo.echo`, in a process of its own.
 *
 * Why not a route in lib/http/routes: the real gateway publishes exactly the route table, and a
 * benchmark route must never reach production. Why not a bare moleculer-web gateway: its settings
 * would drift from the real one, and the ratio "scenario / (b)" is meant to isolate the cost of the
 * scenario's own action(s), everything the gateway does being the same on both sides.
 * The route is whitelisted through ACCESS_WHITELIST_FILE (written by the benchmark).
 */
import { ServiceBroker, type ServiceSchema } from "moleculer";
import brokerOptions from "../moleculer.config.ts";
import { loadConfig } from "../lib/config.ts";
import { attachPlatform, openPlatform } from "../lib/platform.ts";
import type { RouteDef } from "../lib/http/route.ts";
import ApiService from "../services/api.service.ts";
import { ECHO_PATH } from "./baselines/shared.ts";

const echoRoute: RouteDef = {
  method: "GET",
  path: ECHO_PATH,
  action: "bench-echo.echo",
  access: "public",
  summary: "Benchmark baseline (b): gateway → NATS → echo action",
  tag: "Benchmark",
  params: {},
};

type Route = { aliases: Record<string, unknown> } & Record<string, unknown>;
const routes = (ApiService.settings as unknown as { routes: Route[] }).routes;
const settings: Record<string, unknown> = {
  ...(ApiService.settings as Record<string, unknown>),
  routes: [
    {
      ...routes[0],
      aliases: {
        ...routes[0].aliases,
        [`GET ${ECHO_PATH}`]: { action: echoRoute.action, def: echoRoute },
      },
    },
    ...routes.slice(1),
  ],
};
const withEcho = { ...(ApiService as unknown as ServiceSchema), settings } as ServiceSchema;

const config = loadConfig();
const platform = await openPlatform(config, { services: ["api"] });
const broker = new ServiceBroker(brokerOptions(config));
attachPlatform(broker, platform);
broker.createService(withEcho);

const stop = () =>
  void broker
    .stop()
    .then(() => platform.close())
    .finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
await broker.start();
process.send?.({ type: "started", nodeID: broker.nodeID });
