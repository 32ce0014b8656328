/**
 * Traces across nodes: a gateway process and a service process over NATS (MariaDB, Redis), both
 * exporting to a test OTLP receiver. One request makes one trace: the gateway's HTTP span at the
 * root, the actions of every service that took part, the database and Redis below them, parent
 * links intact across the nodes, and the same trace id in the request's log lines.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { clusterInfra, testModes } from "../helpers/infra.ts";
import { client, uniqueEmail } from "../helpers/http.ts";
import {
  startOtlpReceiver,
  SPAN_KIND,
  type OtlpReceiver,
  type ReceivedSpan,
} from "../helpers/otlp.ts";
import { createTestDatabase, startNodeProcess, type NodeProcess } from "../helpers/child-nodes.ts";

const modes = await testModes();

/** The services a login goes through, and those a checkout with a card goes through. */
const FLOW_SERVICES = ["api", "users"];
const CHECKOUT_SERVICES = ["api", "carts", "orders", "products", "payments"];

describe(
  "traces (cluster mode: gateway and service nodes as processes)",
  { skip: !modes.includes("cluster") && "needs NATS, MariaDB and Redis" },
  () => {
    let receiver: OtlpReceiver;
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    let backend: NodeProcess;
    let ordersNode: NodeProcess;
    let gateway: NodeProcess;
    const ids: Record<string, string> = {};

    before(async () => {
      receiver = await startOtlpReceiver();
      db = await createTestDatabase();
      const infra = clusterInfra();
      const env = {
        NODE_ENV: "test",
        LOG_LEVEL: "debug",
        LOG_FORMAT: "json",
        DATABASE_URL: db.url,
        REDIS_URL: infra.redisUrl,
        TRANSPORTER: infra.natsUrl,
        NAMESPACE: `trace${randomBytes(3).toString("hex")}`,
        JWT_SECRET: "a-secret-for-the-tracing-tests-0123456789",
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        PORT: "0",
        ADMIN_EMAIL: "admin@trace.test",
        ADMIN_PASSWORD: "admin-password-for-traces",
      };
      backend = await startNodeProcess({
        ...env,
        SERVICES: "users,access,products,carts,monitor",
        NODE_ID: "trace-backend",
      });
      ordersNode = await startNodeProcess({
        ...env,
        SERVICES: "orders,payments",
        NODE_ID: "trace-orders",
      });
      gateway = await startNodeProcess({ ...env, SERVICES: "api", NODE_ID: "trace-gateway" });
      const api = client(gateway.url!);
      const email = uniqueEmail("trace");
      const password = "tracing-password-1";
      let reg = await api.post("/api/auth/register", { email, password });
      for (let i = 0; i < 50 && reg.status === 503; i++) {
        await new Promise((r) => setTimeout(r, 200)); // until the gateway has discovered users
        reg = await api.post("/api/auth/register", { email, password });
      }
      assert.equal(reg.status, 201);
      const login = await api.post("/api/auth/login", { email, password });
      assert.equal(login.status, 200);
      ids.login = login.headers.get("x-request-id")!;
      const me = await api.get("/api/users/me", { token: login.body.accessToken });
      assert.equal(me.status, 200);
      ids.me = me.headers.get("x-request-id")!;

      // A checkout with a card: gateway → orders → carts, products, payments, across three nodes.
      const admin = await api.post("/api/auth/login", {
        email: env.ADMIN_EMAIL,
        password: env.ADMIN_PASSWORD,
      });
      const product = await api.post(
        "/api/products",
        { name: "Traced teapot", description: "Cast iron.", price: 4200, stock: 5 },
        { token: admin.body.accessToken },
      );
      assert.equal(product.status, 201, JSON.stringify(product.body));
      const token = login.body.accessToken;
      const added = await api.post(
        "/api/cart/items",
        { productId: product.body.id, quantity: 1 },
        { token },
      );
      assert.equal(added.status, 200, JSON.stringify(added.body));
      const checkout = await api.post(
        "/api/checkout",
        {
          address: { name: "T", phone: "13800000000", line1: "1 Road", city: "X", country: "CN" },
          card: {
            number: "4242424242424242",
            expMonth: 12,
            expYear: new Date().getFullYear() + 3,
            cvv: "123",
          },
        },
        { token, headers: { "idempotency-key": randomBytes(8).toString("hex") } },
      );
      assert.equal(checkout.status, 201, JSON.stringify(checkout.body));
      assert.equal(checkout.body.status, "paid");
      ids.checkout = checkout.headers.get("x-request-id")!;
      // The processes export their buffered spans when they stop.
      await Promise.all([gateway.stop(), backend.stop(), ordersNode.stop()]);
    });

    after(async () => {
      await Promise.allSettled([gateway?.stop(), backend?.stop(), ordersNode?.stop()]);
      await receiver?.close();
      await db?.drop();
    });

    const traceOf = (requestId: string) => {
      const access = gateway.records().find((r) => r.access && r.requestId === requestId);
      assert.ok(access, `an access-log line for ${requestId}`);
      assert.match(access.traceId as string, /^[0-9a-f]{32}$/);
      return {
        traceId: access.traceId as string,
        spans: receiver.spans.filter((s) => s.traceId === access.traceId),
      };
    };
    const nodeOf = (s: ReceivedSpan) => s.resource["service.instance.id"];

    it("makes one trace per request rooted at the gateway's HTTP server span", () => {
      const { spans } = traceOf(ids.login);
      const roots = spans.filter((s) => !s.parentSpanId);
      assert.equal(roots.length, 1, "one root");
      assert.equal(roots[0].kind, SPAN_KIND.SERVER);
      assert.equal(roots[0].scope, "@opentelemetry/instrumentation-http");
      assert.equal(nodeOf(roots[0]), "trace-gateway");
      const byId = new Set(spans.map((s) => s.spanId));
      for (const s of spans) {
        if (s.parentSpanId)
          assert.ok(byId.has(s.parentSpanId), `the parent of ${s.name} is in the trace`);
      }
    });

    it("has a span for every service that took part, on the node that ran it", () => {
      const { spans } = traceOf(ids.login);
      const services = new Set(spans.map((s) => s.attributes["moleculer.service"]).filter(Boolean));
      for (const name of FLOW_SERVICES) assert.ok(services.has(name), `a span of ${name}`);
      for (const s of spans.filter((x) => x.attributes["moleculer.node_id"])) {
        assert.equal(s.attributes["moleculer.node_id"], nodeOf(s));
      }
    });

    it("follows a checkout with payment through every service and the database", () => {
      const { spans } = traceOf(ids.checkout);
      const roots = spans.filter((s) => !s.parentSpanId);
      assert.equal(roots.length, 1, "one root");
      const byId = new Set(spans.map((s) => s.spanId));
      for (const s of spans) {
        if (s.parentSpanId) assert.ok(byId.has(s.parentSpanId), `the parent of ${s.name} is there`);
      }
      const services = new Set(spans.map((s) => s.attributes["moleculer.service"]).filter(Boolean));
      for (const name of CHECKOUT_SERVICES) assert.ok(services.has(name), `a span of ${name}`);
      const nodes = new Set(spans.map(nodeOf));
      for (const n of ["trace-gateway", "trace-backend", "trace-orders"])
        assert.ok(nodes.has(n), n);
      const queries = spans.filter((s) => s.scope === "@opentelemetry/instrumentation-mysql2");
      assert.ok(
        queries.some((q) => nodeOf(q) === "trace-orders"),
        "orders' queries",
      );
      assert.ok(
        queries.some((q) => nodeOf(q) === "trace-backend"),
        "products' queries",
      );
      const charge = spans.find((s) => s.name === "payments.charge");
      assert.ok(charge, "a payments.charge span");
      assert.equal(nodeOf(charge), "trace-orders");
    });

    it("links the callee's span to the caller's across nodes", () => {
      const { spans } = traceOf(ids.login);
      const server = spans.find((s) => s.name === "users.login" && s.kind === SPAN_KIND.SERVER);
      assert.ok(server, "users.login SERVER span");
      assert.equal(nodeOf(server), "trace-backend");
      const caller = spans.find((s) => s.spanId === server.parentSpanId);
      assert.ok(caller, "its parent is in the trace");
      assert.equal(caller.name, "users.login");
      assert.equal(caller.kind, SPAN_KIND.CLIENT);
      assert.equal(nodeOf(caller), "trace-gateway");
    });

    it("puts the database queries under the action that ran them", () => {
      const { spans } = traceOf(ids.login);
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      const queries = spans.filter((s) => s.scope === "@opentelemetry/instrumentation-mysql2");
      assert.ok(queries.length > 0, "mysql2 spans");
      for (const q of queries) {
        assert.equal(nodeOf(q), "trace-backend");
        let up = byId.get(q.parentSpanId ?? "");
        while (up && up.name !== "users.login") up = byId.get(up.parentSpanId ?? "");
        assert.ok(up, "users.login is an ancestor of the query");
      }
    });

    it("traces Redis commands (the gateway's revocation check of an authenticated call)", () => {
      const { spans } = traceOf(ids.me);
      const redis = spans.filter((s) => s.scope === "@opentelemetry/instrumentation-ioredis");
      assert.ok(redis.length > 0, "ioredis spans");
      assert.ok(redis.some((s) => nodeOf(s) === "trace-gateway"));
    });

    it("writes the trace id on the request's log lines on every node", () => {
      for (const requestId of [ids.login, ids.me]) {
        const { traceId } = traceOf(requestId);
        const lines = [...gateway.records(), ...backend.records()].filter(
          (r) => r.requestId === requestId,
        );
        assert.ok(
          lines.some((r) => r.nodeID === "trace-backend"),
          "the service node logged the request",
        );
        for (const line of lines) assert.equal(line.traceId, traceId, JSON.stringify(line));
      }
    });
  },
);
