/**
 * api: the HTTP gateway (moleculer-web). Publishes exactly the routes of the route table,
 * authenticates bearer tokens, checks access, maps every error to the API's error shape, and
 * serves the web app.
 */
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import type {
  Context,
  Service,
  ServiceBroker,
  ServiceSchema,
  ServiceSettingSchema,
} from "moleculer";
import ApiGateway from "moleculer-web";
import {
  ACCESS_VERSION_KEY,
  AccessControl,
  versionNumber,
  type AccessSnapshot,
} from "../lib/access/control.ts";
import { loadWhitelist } from "../lib/access/policy.ts";
import { checkLimit, kvRateStoreFactory } from "../lib/access/rate-limit.ts";
import { routeLimitChecks } from "../lib/access/route-limits.ts";
import { requireUser, type Caller, type CallerMeta } from "../lib/auth/caller.ts";
import { verifyAccessToken } from "../lib/auth/tokens.ts";
import {
  BadRequestError,
  UnavailableError,
  ForbiddenError,
  RateLimitedError,
  UnauthorizedError,
} from "../lib/errors.ts";
import { bodyLimitOf, readJsonBody, withBody } from "../lib/http/body.ts";
import {
  compressJsonAnswers,
  precompressedVariant,
  servePrecompressed,
} from "../lib/http/compression.ts";
import { errorResponse } from "../lib/http/error-response.ts";
import { renameLimiterHeaders, takeLimiterHeaders } from "../lib/http/rate-limit-headers.ts";
import { dropUnsafeRequestId } from "../lib/http/request-id.ts";
import { setSecurityHeaders } from "../lib/http/security-headers.ts";
import {
  guardConnections,
  overConnectionCap,
  rejectOverCap,
} from "../lib/http/connection-guard.ts";
import { accessCheck, missingActions, readiness, servicesCheck } from "../lib/http/readiness.ts";
import {
  answerHeadAsGet,
  clientAddress,
  isPageLoad,
  isProbe,
  preferredLanguage,
} from "../lib/http/requests.ts";
import { countBanned, countRateLimited } from "../lib/observability/metrics.ts";
import { buildOpenApi } from "../lib/http/openapi.ts";
import type { RouteDef } from "../lib/http/route.ts";
import { paramsOf, routes } from "../lib/http/routes/index.ts";
import { withTimeout } from "../lib/timeout.ts";
import { GatewayObservabilityMixin } from "../lib/observability/gateway.mixin.ts";
import { platformOf, type Platform } from "../lib/platform.ts";
import { checkCache, checkTransporter } from "../lib/resilience/readiness.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WEB_DIST = ROOT + "web/dist";
const PLACEHOLDER = ROOT + "public";
const ASSETS = existsSync(WEB_DIST) ? WEB_DIST : PLACEHOLDER;
const VERSION = JSON.parse(readFileSync(ROOT + "package.json", "utf8")).version as string;
/** What moleculer-web sends JSON bodies as (for bodies answered as JSON text). */
const JSON_TYPE = "application/json; charset=utf-8";

type Req = IncomingMessage & {
  $alias?: { def?: RouteDef };
  $ctx?: Context<unknown, CallerMeta>;
  $params?: Record<string, unknown>;
  parsedUrl?: string;
};
type GatewayCtx = Context<unknown, CallerMeta>;
/** `this` in moleculer-web's route hooks: the gateway service. */
type ApiThis = Service<ApiSettings> & ApiVars & ApiMethods;

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
  /** moleculer-web's HTTP server. */
  server: Server;
}
interface ApiMethods {
  authenticate(ctx: GatewayCtx, route: unknown, req: Req): Promise<Caller | null>;
  authorize(ctx: GatewayCtx, route: unknown, req: Req, res: ServerResponse): Promise<void>;
  clientIp(req: IncomingMessage): string;
  refreshAccess(rewind?: boolean): Promise<void>;
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
        // Bodies are read in authorize(), after the access checks, within the route's limit.
        bodyParsers: false,
        aliases: Object.fromEntries(
          routes.map((def) => [`${def.method} ${def.path}`, { action: def.action, def }]),
        ),
        callOptions: {},
        onBeforeCall(
          this: ApiThis,
          ctx: GatewayCtx,
          _route: unknown,
          req: Req,
          res: ServerResponse,
        ) {
          res.setHeader("X-Request-Id", ctx.requestID ?? "");
          ctx.meta.clientIp = this.clientIp(req);
          // Routes with a `lang` parameter take it from Accept-Language when ?lang is absent.
          if (req.$alias?.def?.params?.lang && req.$params && req.$params.lang === undefined) {
            req.$params.lang = preferredLanguage(req.headers["accept-language"]);
          }
          renameLimiterHeaders(res);
        },
        onAfterCall(
          this: ApiThis,
          ctx: GatewayCtx,
          _route: unknown,
          req: Req,
          _res: unknown,
          data: unknown,
        ) {
          // A banned user may still hold the password: no session is handed out.
          const session = data as { accessToken?: unknown; user?: { id?: unknown } } | null;
          if (
            session?.accessToken &&
            session?.user?.id &&
            this.access.isBanned(String(session.user.id))
          ) {
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
    onError(this: ApiThis, req: Req, res: ServerResponse, err: unknown) {
      const limiter = takeLimiterHeaders(res);
      const answer = errorResponse(err, {
        now: Date.now(),
        rateLimitReset: limiter.reset,
        rateLimitLimit: limiter.limit,
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
    // moleculer-web's dispatcher runs every HTTP request, body read included: it takes no
    // bulkhead slot (a client trickling a body would hold one). The action it calls has its own.
    rest: { bulkhead: { enabled: false } },

    /** Liveness: the process answers. */
    health: {
      visibility: "published",
      params: paramsOf("api.health"),
      handler() {
        return { status: "ok" };
      },
    },

    /** Readiness: every published route can answer (lib/http/readiness.ts). */
    ready: {
      visibility: "published",
      params: paramsOf("api.ready"),
      async handler(ctx: GatewayCtx) {
        const checks = {
          database: await probe(() =>
            this.platform.sequelize
              ? this.platform.sequelize.query("SELECT 1")
              : ctx.call("users.ping"),
          ),
          cache: await probe(() => checkCache(this.platform.store, this.broker.cacher)),
          transporter: await probe(() => checkTransporter(this.broker)),
        };
        const missing = missingActions(
          routes.map((r) => r.action),
          (action) => actionAvailable(this.broker, action),
        );
        const { ready, body } = readiness({
          ...checks,
          access: accessCheck(this.access.version),
          services: servicesCheck(missing),
        });
        if (!ready) ctx.meta.$statusCode = 503;
        return body;
      },
    },

    /** Internal: the access service's change, in force here when this returns. */
    applyAccess: {
      visibility: "public",
      async handler(ctx: Context<AccessSnapshot>) {
        const applied = await this.access.apply(ctx.params);
        return { applied, version: this.access.version };
      },
    },

    /** The OpenAPI 3.1 document of every published route. */
    openapi: {
      visibility: "published",
      params: paramsOf("api.openapi"),
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
      const status = claims ? await this.platform.revocations.status(claims) : "revoked";
      if (!claims || status !== "valid") {
        if (isPublic) return null;
        if (status === "unknown") throw tokenCheckUnavailable();
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
        const user = requireUser(ctx);
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
      // Only now is the body read: an unknown route or a caller without access costs nothing.
      req.$params = withBody(req.$params, await readJsonBody(req, bodyLimitOf(req.$alias?.def)));
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
    async refreshAccess(rewind = false) {
      // At start the access service may not be up yet (it starts beside this one, or on another
      // node): the poll asks again once it is, without a warning now.
      if (!actionAvailable(this.broker, "access.snapshot")) return;
      try {
        const snapshot = (await this.broker.call(
          "access.snapshot",
          {},
          { timeout: 3_000 },
        )) as AccessSnapshot;
        await this.access.apply(snapshot, { rewind });
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
        // Pre-compressed like the static files (the page carries its style sheet inline).
        const variant = precompressedVariant(
          ASSETS,
          "GET",
          "/index.html",
          req.headers["accept-encoding"],
        );
        const page = readFileSync(ASSETS + (variant?.url ?? "/index.html"));
        res.writeHead(200, {
          ...variant?.headers,
          "Content-Type": "text/html; charset=utf-8",
          "Content-Length": page.length,
          "Cache-Control": "no-cache",
        });
        res.end(page);
        return;
      }
      return mwSend404.call(this, req, res);
    },

    /**
     * Before moleculer-web: security headers on every answer, a connection past its address's cap
     * gets 429 (the probes excepted), HEAD is answered as GET without a body, blocked addresses
     * get 403 on every route, the web app included.
     */
    httpHandler(req, res, next) {
      setSecurityHeaders(req, res, this.platform.config.trustProxy);
      dropUnsafeRequestId(req.headers);
      if (overConnectionCap(req) && !isProbe(req.url)) return rejectOverCap(res);
      answerHeadAsGet(req, res);
      compressJsonAnswers(req, res);
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

    /** The client's address: the socket's, or the one the trusted proxies saw (TRUST_PROXY). */
    clientIp(req) {
      return clientAddress(req, this.platform.config.trustProxy);
    },
  },

  created() {
    this.platform = platformOf(this.broker);
    const { config } = this.platform;
    this.settings.port = config.port;
    this.settings.ip = config.host;
    this.openapi = buildOpenApi(routes, VERSION);
    // Static files with a .br/.gz beside them go out compressed (lib/http/compression.ts).
    const self = this as unknown as { serve?: Parameters<typeof servePrecompressed>[1] };
    if (self.serve) self.serve = servePrecompressed(ASSETS, self.serve);
    this.access = new AccessControl(loadWhitelist(config.accessWhitelistFile));
    guardConnections(this.server, {
      readTimeoutMs: config.httpReadTimeoutMs,
      maxPerAddress: config.httpMaxConnectionsPerAddress,
    });
    // moleculer-web built its routes in its own created(); give the /api route its limiter now.
    const global = config.rateLimits.global;
    if (global) {
      // Fails open: losing Redis must not take the shop down (the per-route limits fail closed).
      const Store = kvRateStoreFactory(this.platform.store, (err) =>
        this.logger.warn(`Global rate limit skipped, its store is unavailable: ${err.message}`),
      );
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
    // In one process the access service starts beside this one: wait for it, so that the node is
    // ready with its lists loaded. Elsewhere the poll below loads them once it is reachable.
    if (this.platform.config.services.includes("access")) {
      await this.broker.waitForServices(["access"], 10_000).catch(() => undefined);
    }
    await this.refreshAccess();
    this.accessPoll = setInterval(async () => {
      // Changes arrive through applyAccess; this catches a node the access service missed.
      const held = this.access.version;
      const version = await this.platform.store.get(ACCESS_VERSION_KEY).catch(() => null);
      // Until the access service has answered once (it may start after this node), ask again.
      const stale = version ? version !== this.access.version : this.access.version === "defaults";
      // Lower than a version held before the read: the store lost its counter (not a race).
      if (stale) {
        await this.refreshAccess(version !== null && versionNumber(version) < versionNumber(held));
      }
    }, 500);
  },

  stopped() {
    clearInterval(this.accessPoll);
  },
};

/** Some node (this one or another) hosts the action and can take a call now. */
function actionAvailable(broker: ServiceBroker, action: string): boolean {
  const registry = broker.registry as unknown as {
    actions: { isAvailable(name: string): boolean };
  };
  return registry.actions.isAvailable(action);
}

function pathOf(req: Req): string {
  return req.parsedUrl ?? (req.url ?? "/").split("?")[0];
}

/** Fail closed: a token whose revocation cannot be checked (Redis lost) is not accepted. */
function tokenCheckUnavailable(): UnavailableError {
  return new UnavailableError(
    "Sessions cannot be checked right now, try again shortly",
    "SERVICE_UNAVAILABLE",
    { dependency: "redis" },
  );
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
