/**
 * What the gateway adds for operators (mixed into services/api.service.ts):
 * - one access-log line per HTTP request, written when the response is done: method, path,
 *   route, status, duration, user id, client address, request id, trace id;
 * - GET /metrics: this gateway node's metrics in the Prometheus text format, outside /api; open
 *   in development, behind METRICS_TOKEN when set, not served in production without it
 *   (lib/http/metrics-access.ts; every node serves its own on METRICS_PORT);
 * - `api.clusterStream`: the monitor's cluster view as server-sent events (GET
 *   /api/admin/cluster/stream, admins only through the route table), one event a second.
 */
import { PassThrough } from "node:stream";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { context, trace } from "@opentelemetry/api";
import type { Context, ServiceBroker, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { CallerMeta } from "../auth/caller.ts";
import { NotFoundError, UnauthorizedError } from "../errors.ts";
import { carriesMetricsToken, gatewayMetricsExposure } from "../http/metrics-access.ts";
import { Errors } from "../moleculer.ts";
import { platformOf } from "../platform.ts";
import { detached, withRequestId } from "./context.ts";
import { SHOP_METRICS } from "./metrics.ts";
import { spanOf } from "./middleware.ts";
import { CONTENT_TYPE, renderRegistry } from "./prometheus.ts";
import { paramsOf } from "../http/routes/index.ts";

/** How often the stream sends the cluster view. */
export const STREAM_INTERVAL_MS = 1_000;
/** Open streams per gateway node (each holds one HTTP request open). */
export const MAX_STREAMS = 20;

type Req = IncomingMessage & {
  originalUrl?: string;
  $ctx?: Context<unknown, CallerMeta>;
  $alias?: { method?: string; fullPath?: string; path?: string };
  $route?: { path?: string };
};

interface Vars {
  server: Server;
  streams: Set<PassThrough>;
  streamTimer: NodeJS.Timeout | undefined;
  streamSeq: number;
}
interface Methods {
  accessLog(req: Req, res: ServerResponse, startedAt: bigint, traceId: string | undefined): void;
  pushClusterView(): Promise<void>;
  stopStreams(): void;
}
interface Settings extends ServiceSettingSchema {
  routes?: unknown[];
}

const mixin: ServiceSchema<Settings, Methods, Vars> = {
  name: "gateway-observability",

  actions: {
    /** The monitor's cluster view as text/event-stream, one `cluster` event a second. */
    clusterStream: {
      visibility: "published",
      params: paramsOf("api.clusterStream"),
      handler(ctx: Context<unknown, Record<string, unknown>>) {
        if (this.streams.size >= MAX_STREAMS) {
          throw new Errors.MoleculerRetryableError(
            "Too many open monitoring streams on this gateway",
            503,
            "TOO_MANY_STREAMS",
          );
        }
        ctx.meta.$responseType = "text/event-stream; charset=utf-8";
        ctx.meta.$responseHeaders = {
          "Cache-Control": "no-cache, no-transform",
          "X-Accel-Buffering": "no",
        };
        const stream = new PassThrough();
        stream.write(`retry: ${STREAM_INTERVAL_MS * 2}\n\n`);
        this.streams.add(stream);
        // pipeline() destroys the stream when the client goes away.
        stream.once("close", () => {
          this.streams.delete(stream);
          if (this.streams.size === 0 && this.streamTimer) {
            clearInterval(this.streamTimer);
            this.streamTimer = undefined;
          }
        });
        if (!this.streamTimer) {
          this.streamTimer = detached(() =>
            setInterval(() => void this.pushClusterView(), STREAM_INTERVAL_MS),
          );
        }
        void detached(() => this.pushClusterView());
        return stream;
      },
    },
  },

  methods: {
    async pushClusterView() {
      if (this.streams.size === 0) return;
      let event: string;
      try {
        const view = await this.broker.call("monitor.cluster");
        this.streamSeq += 1;
        event = `event: cluster\nid: ${this.streamSeq}\ndata: ${JSON.stringify(view)}\n\n`;
      } catch (err) {
        const message = (err as Error).message;
        event = `event: unavailable\ndata: ${JSON.stringify({ message })}\n\n`;
      }
      for (const stream of this.streams) if (!stream.destroyed) stream.write(event);
    },

    stopStreams() {
      if (this.streamTimer) clearInterval(this.streamTimer);
      this.streamTimer = undefined;
      for (const stream of this.streams) stream.end();
      this.streams.clear();
    },

    accessLog(req: Req, res: ServerResponse, startedAt: bigint, httpTraceId: string | undefined) {
      const ctx = req.$ctx;
      const span = spanOf(ctx)?.spanContext();
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      const path = (req.originalUrl ?? req.url ?? "").split("?")[0];
      const route = req.$alias?.fullPath ?? (req.$route?.path === "/metrics" ? "/metrics" : null);
      const status = res.writableFinished ? res.statusCode : 499; // 499: client went away
      const fields = {
        access: true,
        // HEAD is answered as GET without a body (services/api.service.ts): log what was asked.
        method: (req as { originalMethod?: string }).originalMethod ?? req.method,
        path,
        route,
        status,
        durationMs: Math.round(durationMs * 100) / 100,
        userId: ctx?.meta?.user?.id ?? null,
        clientIp: ctx?.meta?.clientIp ?? req.socket.remoteAddress ?? null,
        requestId: ctx?.requestID,
        traceId: httpTraceId ?? span?.traceId,
      };
      this.logger.info(`${fields.method} ${path} ${status} ${fields.durationMs}ms`, fields);
      if (this.broker.isMetricsEnabled()) {
        this.broker.metrics.increment(SHOP_METRICS.httpRequests, {
          method: fields.method,
          route: route ?? "other",
          status: String(status),
        });
      }
    },
  },

  created() {
    this.streams = new Set();
    this.streamTimer = undefined;
    this.streamSeq = 0;
  },

  started() {
    // First listener of every request: the clock starts before moleculer-web sees it.
    this.server.prependListener("request", (req: Req, res: ServerResponse) => {
      const startedAt = process.hrtime.bigint();
      // With HTTP instrumentation on, the request's server span is active here.
      const httpSpan = trace.getActiveSpan()?.spanContext();
      res.once("close", () => this.accessLog(req, res, startedAt, httpSpan?.traceId));
    });
  },

  stopped() {
    this.stopStreams();
  },
};

// `merged` runs once the mixins are applied, on the gateway's whole schema. (Moleculer calls it;
// its type definitions omit it.)
Object.assign(mixin, { merged: extendGateway });

export const GatewayObservabilityMixin = mixin as unknown as ServiceSchema;

function extendGateway(schema: ServiceSchema<Settings>): void {
  // moleculer-web reports a failed request after the request's action has returned: run its
  // error handler (and the gateway's onError) in the request's context, for the ids in the logs.
  const methods = schema.methods as Record<string, (...args: unknown[]) => unknown>;
  const errorHandler = methods.errorHandler;
  schema.methods = {
    ...methods,
    errorHandler(this: unknown, ...args: unknown[]) {
      const ctx = (args[0] as Req).$ctx;
      const span = spanOf(ctx);
      if (!span || !ctx?.requestID) return errorHandler.apply(this, args);
      const active = withRequestId(ctx.requestID, trace.setSpan(context.active(), span));
      return context.with(active, () => errorHandler.apply(this, args));
    },
  } as typeof schema.methods;

  // A fresh array: the schema object may be shared by several brokers in one process.
  const routes = schema.settings?.routes ?? [];
  schema.settings = {
    ...schema.settings,
    routes: [
      ...routes,
      {
        name: "metrics",
        path: "/metrics",
        mappingPolicy: "restrict",
        authentication: false,
        authorization: false,
        bodyParsers: false,
        aliases: {
          "GET /"(
            this: { broker: ServiceBroker },
            req: Req,
            res: ServerResponse,
            next: (err?: Error) => void,
          ) {
            const { config } = platformOf(this.broker);
            const exposure = gatewayMetricsExposure(config);
            // Production without a token: answered like any unknown path.
            if (exposure === "off") return next(new NotFoundError("Route"));
            if (
              exposure === "token" &&
              !carriesMetricsToken(req.headers.authorization, config.metricsToken!)
            ) {
              return next(new UnauthorizedError("GET /metrics needs the metrics token"));
            }
            res.setHeader("Content-Type", CONTENT_TYPE);
            res.end(renderRegistry(this.broker.metrics));
          },
        },
      },
    ],
  };
}
