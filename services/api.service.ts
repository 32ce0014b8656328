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
import { ACCESS_VERSION_KEY, AccessControl, type AccessSnapshot } from "../lib/access/control.ts";
import { loadWhitelist } from "../lib/access/policy.ts";
import { checkLimit, kvRateStoreFactory } from "../lib/access/rate-limit.ts";
import { routeLimitChecks } from "../lib/access/route-limits.ts";
import { verifyAccessToken, type Role } from "../lib/auth/tokens.ts";
import {
  BadRequestError,
  UnavailableError,
  ForbiddenError,
  RateLimitedError,
  UnauthorizedError,
} from "../lib/errors.ts";
import { errorResponse } from "../lib/http/error-response.ts";
import { clientAddress, isPageLoad, preferredLanguage } from "../lib/http/requests.ts";
import { countBanned, countRateLimited } from "../lib/observability/metrics.ts";
import { buildOpenApi } from "../lib/http/openapi.ts";
import type { RouteDef } from "../lib/http/route.ts";
import { routes } from "../lib/http/routes/index.ts";
import { withTimeout } from "../lib/timeout.ts";
import { GatewayObservabilityMixin } from "../lib/observability/gateway.mixin.ts";
import { platformOf, type Platform } from "../lib/platform.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WEB_DIST = ROOT + "web/dist";
const PLACEHOLDER = ROOT + "public";
const ASSETS = existsSync(WEB_DIST) ? WEB_DIST : PLACEHOLDER;
const VERSION = JSON.parse(readFileSync(ROOT + "package.json", "utf8")).version as string;
/** What moleculer-web sends JSON bodies as (for bodies answered as JSON text). */
const JSON_TYPE = "application/json; charset=utf-8";

interface GatewayMeta {
  user?: { id: string; role: Role } | null;
  sessionId?: string;
  clientIp?: string;
  idempotencyKey?: string;
  $statusCode?: number;
  $responseHeaders?: Record<string, string>;
  $responseType?: string;
}

type Req = IncomingMessage & {
  $alias?: { def?: RouteDef };
  $ctx?: Context<unknown, GatewayMeta>;
  $params?: Record<string, unknown>;
  parsedUrl?: string;
};
type GatewayCtx = Context<unknown, GatewayMeta>;

interface ApiSettings extends ServiceSettingSchema {
  port: number;
  ip: string;
  [key: string]: unknown;
}

interface ApiVars {
  platform: Platform;
  openapi: Record<string, unknown>;
  access: AccessControl;
  accessPoll: NodeJS.Timeout | undefined;
}
interface ApiMethods {
  authenticate(ctx: GatewayCtx, route: unknown, req: Req): Promise<GatewayMeta["user"]>;
  authorize(ctx: GatewayCtx, route: unknown, req: Req, res: ServerResponse): Promise<void>;
  clientIp(req: IncomingMessage): string;
  refreshAccess(): Promise<void>;
  enforceRouteLimit(ctx: GatewayCtx, req: Req, res: ServerResponse): Promise<void>;
  httpHandler(req: IncomingMessage, res: ServerResponse, next?: unknown): unknown;
  send404(req: IncomingMessage, res: ServerResponse): unknown;
}

type HttpHandler = (
  this: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  next?: unknown,
) => unknown;
const gatewayMethods = (
  ApiGateway as unknown as { methods: { httpHandler: HttpHandler; send404: HttpHandler } }
).methods;
const mwHttpHandler = gatewayMethods.httpHandler;
const mwSend404 = gatewayMethods.send404;

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
          // Routes with a `lang` parameter take it from Accept-Language when ?lang is absent.
          if (req.$alias?.def?.query?.lang && req.$params && req.$params.lang === undefined) {
            req.$params.lang = preferredLanguage(req.headers["accept-language"]);
          }
          // moleculer-web names its headers X-Rate-Limit-*; API.md promises X-RateLimit-*.
          const limit = res.getHeader("X-Rate-Limit-Limit");
          if (limit !== undefined) {
            res.setHeader("X-RateLimit-Limit", String(limit));
            res.setHeader("X-RateLimit-Remaining", String(res.getHeader("X-Rate-Limit-Remaining")));
          }
        },
        onAfterCall(
          this: any,
          ctx: GatewayCtx,
          _route: unknown,
          req: Req,
          _res: unknown,
          data: any,
        ) {
          // A banned user may still hold the password: no session is handed out.
          if (data?.accessToken && data?.user?.id && this.access.isBanned(String(data.user.id))) {
            countBanned(this.broker, "user");
            throw bannedError();
          }
          // moleculer-web sends a string with a $responseType as it is (no JSON.stringify).
          if (req.$alias?.def?.jsonText) ctx.meta.$responseType = JSON_TYPE;
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
      folder: ASSETS,
      options: {
        index: "index.html",
        // Vite fingerprints everything under /assets/; index.html must always be revalidated.
        setHeaders(res: ServerResponse, path: string) {
          res.setHeader(
            "Cache-Control",
            path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
          );
        },
      },
    },
    onError(this: any, req: Req, res: ServerResponse, err: unknown) {
      const answer = errorResponse(err, {
        now: Date.now(),
        rateLimitReset: Number(res.getHeader("X-Rate-Limit-Reset")) || undefined,
        rateLimitLimit: String(res.getHeader("X-Rate-Limit-Limit")),
        requestId: req.$ctx?.requestID ?? undefined,
        replayed: req.$ctx?.meta?.$responseHeaders?.["Idempotent-Replayed"],
      });
      if (answer.status >= 500) {
        this.logger.error("Request failed", {
          url: req.url,
          requestId: req.$ctx?.requestID,
          error: (err as Error)?.message,
          type: (err as { type?: string })?.type,
          stack: (err as Error)?.stack,
        });
      }
      if (res.headersSent) return void res.end();
      if (answer.globalRateLimit) countRateLimited(this.broker, "global");
      for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
      res.writeHead(answer.status);
      res.end(answer.body);
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
            if (transit && !transit.connected) throw new UnavailableError("not connected");
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
    /** Verifies the bearer token; whitelisted routes ignore a bad token and run anonymously. */
    async authenticate(ctx, _route, req) {
      const header = req.headers.authorization;
      if (!header) return null;
      const isPublic = this.access.isWhitelisted(req.method ?? "GET", pathOf(req));
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const claims = match ? verifyAccessToken(this.platform.tokens, match[1]) : undefined;
      if (claims && this.access.isBanned(claims.userId)) {
        countBanned(this.broker, "user");
        throw bannedError();
      }
      if (!claims || (await this.platform.revocations.isRevoked(claims))) {
        if (isPublic) return null;
        throw new UnauthorizedError("Invalid, expired or revoked token", "UNAUTHORIZED");
      }
      ctx.meta.sessionId = claims.sessionId;
      return { id: claims.userId, role: claims.role };
    },

    /** Whitelisted routes need no login; every other route is decided by the Casbin policy. */
    async authorize(ctx, _route, req, res) {
      const method = req.method ?? "GET";
      const path = pathOf(req);
      if (!this.access.isWhitelisted(method, path)) {
        const user = ctx.meta.user;
        if (!user) throw new UnauthorizedError();
        if (!(await this.access.allows(user.role, method, path))) throw new ForbiddenError();
      }
      // After authentication: an anonymous caller learns it must log in (401) first.
      if (req.$alias?.def?.idempotent) {
        const key = req.headers["idempotency-key"];
        if (typeof key !== "string" || key.length < 1 || key.length > 255) {
          throw new BadRequestError(
            "An Idempotency-Key header of 1 to 255 characters is required",
            "IDEMPOTENCY_KEY_REQUIRED",
          );
        }
        ctx.meta.idempotencyKey = key;
      }
      await this.enforceRouteLimit(ctx, req, res);
    },

    /** Login per account and per address, registration per address, checkout and pay per user. */
    async enforceRouteLimit(ctx, req, res) {
      const def = req.$alias?.def;
      if (!def) return;
      const spent = routeLimitChecks(this.platform.config.rateLimits, {
        method: def.method,
        path: def.path,
        clientIp: ctx.meta.clientIp ?? this.clientIp(req),
        userId: ctx.meta.user?.id,
        email: req.$params?.email,
      });
      for (const { key, limit } of spent?.checks ?? []) {
        const verdict = await checkLimit(this.platform.store, key, limit);
        res?.setHeader("X-RateLimit-Limit", String(verdict.limit));
        res?.setHeader("X-RateLimit-Remaining", String(verdict.remaining));
        if (!verdict.allowed) {
          countRateLimited(this.broker, spent!.name);
          throw new RateLimitedError(verdict.retryAfterSeconds);
        }
      }
    },

    /** Reloads the access snapshot from the access service (keeps the last one on failure). */
    async refreshAccess() {
      try {
        const snapshot = (await this.broker.call(
          "access.snapshot",
          {},
          { timeout: 3_000 },
        )) as AccessSnapshot;
        if (snapshot.version !== this.access.version || snapshot.version === "initial") {
          await this.access.apply(snapshot);
        }
      } catch (err) {
        this.logger.warn(
          `Access snapshot unavailable, keeping version ${this.access.version}: ${(err as Error).message}`,
        );
      }
    },

    /**
     * The web app routes in the browser: a page load of /orders/12 (no file, not /api) gets
     * index.html. Everything else that matched nothing is a 404 in the API's error shape.
     */
    send404(req, res) {
      // moleculer-web rewrites req.url relative to the route it tried; originalUrl is the request's.
      const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? "/";
      const path = url.split("?")[0];
      if (isPageLoad(req.method, path, req.headers.accept) && existsSync(ASSETS + "/index.html")) {
        res.writeHead(200, {
          "Content-Type": "text/html; charset=utf-8",
          "Cache-Control": "no-cache",
        });
        res.end(req.method === "HEAD" ? undefined : readFileSync(ASSETS + "/index.html"));
        return;
      }
      return mwSend404.call(this, req, res);
    },

    /** Blocked addresses get 403 on every route, the web app included. */
    httpHandler(req, res, next) {
      if (this.access.isBlocked(this.clientIp(req))) {
        countBanned(this.broker, "ip");
        const body = {
          name: "ForbiddenError",
          message: "Your address is blocked",
          code: 403,
          type: "IP_BLOCKED",
        };
        res.writeHead(403, { "Content-Type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(body));
        return;
      }
      return mwHttpHandler.call(this, req, res, next);
    },

    /** The client's address: the socket's, unless TRUST_PROXY says a proxy sets X-Forwarded-For. */
    clientIp(req) {
      return clientAddress(req, this.platform.config.trustProxy);
    },
  },

  events: {
    /** Pushed by the access service on every change (the version poll catches a lost event). */
    "access.changed"() {
      return this.refreshAccess();
    },
  },

  created() {
    this.platform = platformOf(this.broker);
    const { config } = this.platform;
    this.settings.port = config.port;
    this.settings.ip = config.host;
    this.openapi = buildOpenApi(routes, VERSION);
    this.access = new AccessControl(loadWhitelist(config.accessWhitelistFile));
    // moleculer-web built its routes in its own created(); give the /api route its limiter now.
    const global = config.rateLimits.global;
    if (global) {
      const Store = kvRateStoreFactory(this.platform.store);
      const route = (this as unknown as { routes: Array<{ rateLimit?: unknown }> }).routes[0];
      route.rateLimit = {
        window: global.windowMs,
        limit: global.count,
        headers: true,
        key: (req: IncomingMessage) => this.clientIp(req),
        store: new Store(global.windowMs),
      };
    }
  },

  async started() {
    await this.access.useDefaults();
    await this.refreshAccess();
    this.accessPoll = setInterval(async () => {
      const version = await this.platform.store.get(ACCESS_VERSION_KEY).catch(() => null);
      if (version && version !== this.access.version) await this.refreshAccess();
    }, 500);
  },

  stopped() {
    clearInterval(this.accessPoll);
  },
};

function pathOf(req: Req): string {
  return req.parsedUrl ?? (req.url ?? "/").split("?")[0];
}

function bannedError(): ForbiddenError {
  return new ForbiddenError("This account is banned", "USER_BANNED");
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  try {
    await withTimeout(check(), 2_000, "timed out after 2 s");
    return "ok";
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

export default ApiService;
