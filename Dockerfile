# One image for every node of the shop. SERVICES chooses what a container hosts:
#
#   docker build -t douyin-mall:0.1.0 .
#   docker run -e SERVICES=api   -e TRANSPORTER=nats://nats:4222 ... douyin-mall:0.1.0   # gateway
#   docker run -e SERVICES=users -e TRANSPORTER=nats://nats:4222 ... douyin-mall:0.1.0   # a users node
#
# Node 24 runs the TypeScript sources directly (type stripping): there is no build step for the
# backend. The image defaults to NODE_ENV=production, which needs a JWT_SECRET of 32+ characters.
# See docs/deployment.md.
#
# It builds with only the npm registry and Debian's mirror reachable: no `# syntax=` line (that
# pulls a frontend image; Docker's built-in BuildKit frontend handles this file), and native
# modules compile against the base image's own Node headers instead of downloading a prebuilt
# binary (GitHub) or headers (nodejs.org).

ARG NODE_IMAGE=node:24-bookworm-slim

# --- deps: production dependencies only; native modules (sqlite3, argon2: N-API) built here ------
FROM ${NODE_IMAGE} AS deps
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY bin/build-web.ts ./bin/build-web.ts
# sqlite3 installs by `prebuild-install || node-gyp rebuild`: it builds from source at once, with
# the headers the Node image ships in /usr/local/include/node (argon2's binaries are in its package).
ENV npm_config_build_from_source=sqlite3 \
    npm_config_nodedir=/usr/local
# npm runs only the install scripts that package.json "allowScripts" permits (argon2, sqlite3);
# the web app is built in its own stage below, so the root "postinstall" skips it here.
RUN --mount=type=cache,target=/root/.npm \
    SKIP_WEB_BUILD=1 npm ci --omit=dev --no-audit --no-fund

# --- web: the storefront/admin app (web/dist), built when web/package.json exists ----------------
FROM ${NODE_IMAGE} AS web
WORKDIR /web
# The [n] and [b] globs match nothing while web/ is absent; the Dockerfile itself is listed so
# that COPY always has a source. Dependencies first, for the layer cache.
COPY Dockerfile web/package.jso[n] web/package-lock.jso[n] ./
RUN --mount=type=cache,target=/root/.npm \
    if [ -f package.json ]; then \
      if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
      else npm install --no-audit --no-fund; fi; \
    fi
COPY Dockerfile we[b] ./
RUN if [ -f package.json ]; then npm run build; fi \
    && mkdir -p dist

# --- runtime: small, non-root, code read-only --------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# V8's heaps sized for a node, not for the host. Left alone, V8 sizes them from the memory it
# sees (on a 24 GiB host: 32 MB semi-spaces, and a 4 GB old space allowed to grow to 4 × the live
# heap between collections) and a node's RSS climbs past 250 MB under load. 16 MB semi-spaces and
# a 256 MB old space (growth of at most 1.3-2 × the live heap, which is 30-60 MB) keep it under
# 200 MB; 8 MB semi-spaces saved 10 MB more but doubled the time in GC pauses. npm run bench
# runs the shop nodes with these options (docs/memory.md).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    HEALTH_PORT=8081 \
    LOG_FORMAT=json \
    NODE_OPTIONS="--max-semi-space-size=16 --max-old-space-size=256"
WORKDIR /app
# Files stay owned by root: the app user can read the code but not change it.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json moleculer.config.ts ./
COPY bin ./bin
COPY lib ./lib
COPY services ./services
COPY config ./config
COPY public ./public
COPY deploy/probe.sh ./deploy/probe.sh
COPY --from=web /web/dist ./web/dist
# data/ is only written in the embedded mode (DATABASE_URL=sqlite:...); cluster nodes use MySQL.
RUN mkdir -p /app/data && chown 1000:1000 /app/data
# The "node" user of the base image, by number so that Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3000
# bin/start.ts stops the broker on SIGTERM: in-flight requests drain, then the process exits.
STOPSIGNAL SIGTERM
# Every node's own health endpoint (HEALTH_PORT, lib/observability/health-server.ts), asked by
# bash over /dev/tcp: ~0.03 CPU-s a probe, where starting Node to ask cost 0.16-0.36 (docs/deployment.md).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "deploy/probe.sh", "live"]
# Node is PID 1 and receives the stop signal itself (no npm or shell in between).
CMD ["node", "bin/start.ts"]
