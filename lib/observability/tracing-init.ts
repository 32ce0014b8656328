/**
 * Imported first by bin/start.ts: installs tracing before any other module loads, so that the
 * HTTP, mysql2 and ioredis instrumentations can patch those libraries. Reads the environment
 * directly (lib/config.ts validates the same variables right after).
 */
import { hostname } from "node:os";
import { existsSync } from "node:fs";
import { startTracing } from "./tracing.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || undefined;
startTracing({
  endpoint: endpoint && /^https?:\/\//.test(endpoint) ? endpoint : undefined,
  attributes: {
    "service.instance.id": process.env.NODE_ID?.trim() || `${hostname()}-${process.pid}`,
    "shop.services": process.env.SERVICES?.trim() || "all",
  },
});
