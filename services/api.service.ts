/**
 * api: the HTTP gateway (moleculer-web). Publishes exactly the routes of the route table,
 * authenticates bearer tokens, checks access, maps every error to the API's error shape, and
 * serves the web app.
 */
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import { verifyAccessToken, type Role } from "../lib/auth/tokens.ts";
import { BadRequestError, ForbiddenError, UnauthorizedError } from "../lib/errors.ts";
import { toHttpError } from "../lib/http/errors.ts";
import { buildOpenApi } from "../lib/http/openapi.ts";
import type { RouteDef } from "../lib/http/route.ts";
import { routes } from "../lib/http/routes/index.ts";
import { withTimeout } from "../lib/db.ts";
import { GatewayObservabilityMixin } from "../lib/observability/gateway.mixin.ts";
import { platformOf, type Platform } from "../lib/platform.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WEB_DIST = ROOT + "web/dist";
const PLACEHOLDER = ROOT + "public";
const VERSION = JSON.parse(readFileSync(ROOT + "package.json", "utf8")).version as string;

interface GatewayMeta {
  user?: { id: string; role: Role } | null;
  sessionId?: string;
  clientIp?: string;
  idempotencyKey?: string;
  $statusCode?: number;
  $responseHeaders?: Record<string, string>;
}

type Req = IncomingMessage & { $alias?: { def?: RouteDef }; $ctx?: Context };
type GatewayCtx = Context<unknown, GatewayMeta>;

interface ApiSettings extends ServiceSettingSchema {
  port: number;
  ip: string;
  [key: string]: unknown;
}

interface ApiVars {
  platform: Platform;
  openapi: Record<string, unknown>;
}
interface ApiMethods {
  authenticate(ctx: GatewayCtx, route: unknown, req: Req): Promise<GatewayMeta["user"]>;
  authorize(ctx: GatewayCtx, route: unknown, req: Req): Promise<void>;
  clientIp(req: IncomingMessage): string;
}

const ApiService: ServiceSchema<ApiSettings, ApiMethods, ApiVars> = {
  name: "api",
  // Access log, GET /metrics and the monitoring stream (lib/observability/gateway.mixin.ts).
  mixins: [ApiGateway, GatewayObservabilityMixin],

  settings: {
    port: 3000,
    ip: "127.0.0.1",
    // Request logging is one access-log line per request, written by onAfterCall/onError.
    logRequest: null,
    logResponse: null,
    log4XXResponses: false,
    logRequestParams: null,
    logResponseData: null,
    routes: [
      {
        name: "api",
        path: "/api",
        mappingPolicy: "restrict",
        autoAliases: false,
        mergeParams: true,
        authentication: true,
        authorization: true,
        bodyParsers: { json: { strict: true, limit: "1mb" }, urlencoded: false },
        aliases: Object.fromEntries(
          routes.map((def) => [`${def.method} ${def.path}`, { action: def.action, def }]),
        ),
        callOptions: {},
        onBeforeCall(this: any, ctx: GatewayCtx, _route: unknown, req: Req, res: ServerResponse) {
          res.setHeader("X-Request-Id", ctx.requestID ?? "");
          ctx.meta.clientIp = this.clientIp(req);
          const def = req.$alias?.def;
          if (def?.idempotent) {
            const key = req.headers["idempotency-key"];
            if (typeof key !== "string" || key.length < 1 || key.length > 255) {
              throw new BadRequestError(
                "An Idempotency-Key header of 1 to 255 characters is required",
                "IDEMPOTENCY_KEY_REQUIRED",
              );
            }
            ctx.meta.idempotencyKey = key;
          }
        },
        onAfterCall(
          this: any,
          ctx: GatewayCtx,
          _route: unknown,
          req: Req,
          _res: unknown,
          data: unknown,
        ) {
          const status = req.$alias?.def?.status;
          if (status === 204) {
            ctx.meta.$statusCode = 204;
            return null;
          }
          if (status && !ctx.meta.$statusCode) ctx.meta.$statusCode = status;
          const location = req.$alias?.def?.location?.(data);
          if (location) (ctx.meta as { $location?: string }).$location = location;
          return data;
        },
      },
    ],
    assets: {
      folder: existsSync(WEB_DIST) ? WEB_DIST : PLACEHOLDER,
      options: { index: "index.html" },
    },
    onError(this: any, req: Req, res: ServerResponse, err: unknown) {
      const mapped = toHttpError(err);
      if (mapped.status >= 500) {
        this.logger.error("Request failed", {
          url: req.url,
          requestId: req.$ctx?.requestID,
          error: (err as Error)?.message,
          type: (err as { type?: string })?.type,
          stack: (err as Error)?.stack,
        });
      }
      if (res.headersSent) return void res.end();
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      for (const [k, v] of Object.entries(mapped.headers)) res.setHeader(k, v);
      if (req.$ctx?.requestID) res.setHeader("X-Request-Id", req.$ctx.requestID);
      res.writeHead(mapped.status);
      res.end(JSON.stringify(mapped.body));
    },
  },

  actions: {
    /** Liveness: the process answers. */
    health: {
      visibility: "published",
      handler() {
        return { status: "ok" };
      },
    },

    /** Readiness: the database, the cache and the transporter answer. */
    ready: {
      visibility: "published",
      async handler(ctx: GatewayCtx) {
        const checks = {
          database: await probe(() =>
            this.platform.sequelize
              ? this.platform.sequelize.query("SELECT 1")
              : ctx.call("users.ping"),
          ),
          cache: await probe(async () => {
            await this.platform.store.ping();
            const client = (this.broker.cacher as { client?: { ping(): Promise<unknown> } } | null)
              ?.client;
            if (client) await client.ping();
          }),
          transporter: await probe(async () => {
            const transit = this.broker.transit as { connected?: boolean } | undefined;
            if (transit && !transit.connected) throw new Error("not connected");
          }),
        };
        const ok = Object.values(checks).every((c) => c === "ok");
        if (!ok) ctx.meta.$statusCode = 503;
        return { status: ok ? "ok" : "unavailable", checks };
      },
    },

    /** The OpenAPI 3.1 document of every published route. */
    openapi: {
      visibility: "published",
      handler() {
        return this.openapi;
      },
    },
  },

  methods: {
    /** Verifies the bearer token; public routes ignore a bad token and run anonymously. */
    async authenticate(ctx, _route, req) {
      const def = req.$alias?.def;
      const header = req.headers.authorization;
      const isPublic = !def || def.access === "public";
      if (!header) return null;
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const claims = match ? verifyAccessToken(this.platform.tokens, match[1]) : undefined;
      if (!claims || (await this.platform.revocations.isRevoked(claims))) {
        if (isPublic) return null;
        throw new UnauthorizedError("Invalid, expired or revoked token", "UNAUTHORIZED");
      }
      ctx.meta.sessionId = claims.sessionId;
      return { id: claims.userId, role: claims.role };
    },

    /** Checks the route's access rule against the caller's role. */
    async authorize(ctx, _route, req) {
      const access = req.$alias?.def?.access ?? "public";
      if (access === "public") return;
      const user = ctx.meta.user;
      if (!user) throw new UnauthorizedError();
      if (access === "user") return;
      if (!access.includes(user.role)) throw new ForbiddenError();
    },

    /** The client's address: the socket's, unless TRUST_PROXY says a proxy sets X-Forwarded-For. */
    clientIp(req) {
      if (this.platform.config.trustProxy) {
        const forwarded = req.headers["x-forwarded-for"];
        const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
        if (first) return first;
      }
      return req.socket.remoteAddress ?? "unknown";
    },
  },

  created() {
    this.platform = platformOf(this.broker);
    this.settings.port = this.platform.config.port;
    this.settings.ip = this.platform.config.host;
    this.openapi = buildOpenApi(routes, VERSION);
  },
};

async function probe(check: () => Promise<unknown>): Promise<string> {
  try {
    await withTimeout(check(), 2_000, "timed out after 2 s");
    return "ok";
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

export default ApiService;
