/**
 * Live monitoring and metrics through HTTP, in the embedded mode and in cluster mode (two
 * gateway nodes and a service node on separate brokers over NATS).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { testModes } from "../helpers/infra.ts";
import { routes } from "../../lib/http/routes/index.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import type { ClusterView } from "../../lib/observability/cluster-view.ts";
import { client, loginAdmin, registerUser } from "../helpers/http.ts";

const modes = await testModes();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An action's row of the cluster view as the checks below read it (JSON). */
interface ActionRow {
  requests: number;
  errors: number;
  requestRate: number;
  errorRate: number;
  errorRatio: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  breaker: string;
  instances: { breaker: string }[];
}

/** Reads server-sent events from a response body until `count` events arrived. */
async function readEvents(body: ReadableStream<Uint8Array>, count: number) {
  const events: Array<{ event: string; data: ClusterView; at: number }> = [];
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data), at: Date.now() });
    }
    if (events.length >= count) break;
  }
  return events;
}

for (const mode of modes) {
  describe(`monitoring (${mode} mode)`, () => {
    let shop: TestShop;
    let adminToken: string;
    before(async () => {
      shop = await startShop(mode);
      adminToken = (await loginAdmin(shop.url, ADMIN)).accessToken;
    });
    after(async () => {
      await shop?.stop();
    });

    describe("GET /api/admin/cluster", () => {
      it("answers 401 without a token and 403 to a customer", async () => {
        assert.equal((await client(shop.url).get("/api/admin/cluster")).status, 401);
        const u = await registerUser(shop.url);
        const res = await client(shop.url, u.accessToken).get("/api/admin/cluster");
        assert.equal(res.status, 403);
        const stream = await client(shop.url, u.accessToken).get("/api/admin/cluster/stream");
        assert.equal(stream.status, 403);
      });

      it("shows every node up with CPU and memory, and the services with their instances", async () => {
        // Nodes discover each other within moments: wait until every node is in the view.
        const nodeIds = shop.nodes.map((n) => n.broker.nodeID).sort();
        let view!: ClusterView;
        for (let i = 0; i < 50; i++) {
          const res = await client(shop.url, adminToken).get("/api/admin/cluster");
          assert.equal(res.status, 200);
          view = res.body;
          if (
            view.nodes.length === nodeIds.length &&
            view.services.find((s) => s.name === "api")?.instances.length === shop.urls.length
          )
            break;
          await sleep(100);
        }
        assert.deepEqual(view.nodes.map((n: { id: string }) => n.id).sort(), nodeIds);
        for (const node of view.nodes) {
          assert.equal(node.status, "up");
          assert.equal(typeof node.cpu, "number");
          assert.ok(node.memory && node.memory.rss! > 0 && node.memory.heapUsed! > 0);
        }
        assert.equal(view.summary.nodesUp, nodeIds.length);
        const users = view.services.find((s: { name: string }) => s.name === "users");
        const expected = shop.nodes.filter((n) => n.broker.getLocalService("users"));
        assert.equal(users?.instances.length, expected.length);
        assert.equal(users?.up, expected.length);
        const api = view.services.find((s: { name: string }) => s.name === "api");
        assert.equal(api?.instances.length, shop.urls.length);
        assert.ok(!view.services.some((s: { name: string }) => s.name.startsWith("$")));
      });

      it("reports each action's request rate, error rate and p50/p95 latency", async () => {
        const u = await registerUser(shop.url);
        const api = client(shop.url);
        await api.get("/api/admin/cluster", { token: adminToken }); // start sampling
        for (let i = 0; i < 4; i++) {
          await api.post("/api/auth/login", { email: u.email, password: u.password });
        }
        await api.post("/api/auth/login", { email: u.email, password: "not-the-password" });
        let login: ActionRow | undefined;
        for (let i = 0; i < 30; i++) {
          await sleep(300);
          const view = (await api.get("/api/admin/cluster", { token: adminToken })).body;
          login = view.actions.find((a: { name: string }) => a.name === "users.login");
          if ((login?.requestRate ?? 0) > 0 && login!.requests >= 6) break;
        }
        assert.ok(login, "users.login is in the view");
        assert.ok(login.requests >= 6, `login requests counted (${login.requests})`);
        assert.ok(login.errors >= 1, "the failed login is an error");
        assert.ok(login.requestRate > 0, "a request rate per second");
        assert.ok(login.errorRate > 0 && login.errorRatio > 0 && login.errorRatio < 1);
        assert.ok(
          login.p50 > 0 && login.p95 >= login.p50,
          `latency p50 ${login.p50} p95 ${login.p95}`,
        );
        const instances = shop.nodes.filter((n) => n.broker.getLocalService("users")).length;
        assert.equal(login.instances.length, instances);
        assert.equal(login.instances[0].breaker, "closed");
        // What the monitoring page shows: mean and p99, the action's breaker, node uptimes;
        // no internal action ($node.*, the api.rest dispatcher, moleculer-web's api.addRoute).
        assert.ok(login.mean > 0 && login.p99 >= login.p95, `mean ${login.mean} p99 ${login.p99}`);
        assert.equal(login.breaker, "closed");
        const view = (await api.get("/api/admin/cluster", { token: adminToken })).body;
        const names = view.actions.map((a: { name: string }) => a.name);
        for (const internal of ["api.rest", "api.addRoute", "$node.health", "$node.metrics"]) {
          assert.ok(!names.includes(internal), `${internal} is not listed`);
        }
        assert.ok(
          view.actions.every(
            (a: { name: string; requests: number }) =>
              a.requests > 0 || routes.some((r) => r.action === a.name),
          ),
          "idle actions are listed only when a REST route calls them",
        );
        for (const node of view.nodes) assert.ok(node.uptimeSeconds >= 0);
        const logins = (await api.get("/api/admin/cluster", { token: adminToken })).body.business[
          "shop.logins.total"
        ];
        const byOutcome = Object.fromEntries(
          logins.series.map((s: { labels: { outcome: string }; total: number }) => [
            s.labels.outcome,
            s.total,
          ]),
        );
        assert.ok(byOutcome.success >= 5 && byOutcome.failure >= 1);
      });
    });

    describe("GET /api/admin/cluster/stream", () => {
      it("sends the view as server-sent events at least every two seconds", async () => {
        const controller = new AbortController();
        const res = await fetch(shop.url + "/api/admin/cluster/stream", {
          headers: { authorization: `Bearer ${adminToken}` },
          signal: controller.signal,
        });
        assert.equal(res.status, 200);
        assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
        const events = await readEvents(res.body!, 3);
        controller.abort();
        assert.deepEqual(
          events.map((e) => e.event),
          ["cluster", "cluster", "cluster"],
        );
        assert.ok(events.every((e) => Array.isArray(e.data.nodes) && e.data.nodes.length > 0));
        for (let i = 1; i < events.length; i++) {
          assert.ok(events[i].at - events[i - 1].at <= 2_000, "refreshed within two seconds");
          assert.ok(events[i].data.collectedAt > events[i - 1].data.collectedAt, "fresh data");
        }
      });

      it("stops streaming when the client goes away", async () => {
        const controller = new AbortController();
        const res = await fetch(shop.url + "/api/admin/cluster/stream", {
          headers: { authorization: `Bearer ${adminToken}` },
          signal: controller.signal,
        });
        await readEvents(res.body!, 1);
        const gateway = shop.nodes.find((n) => n.broker.getLocalService("api"))!;
        const api = gateway.broker.getLocalService("api") as unknown as {
          streams: Set<unknown>;
          streamTimer: unknown;
        };
        assert.equal(api.streams.size, 1);
        controller.abort();
        for (let i = 0; i < 20 && api.streams.size > 0; i++) await sleep(50);
        assert.equal(api.streams.size, 0);
        assert.equal(api.streamTimer, undefined);
      });
    });

    describe("GET /metrics", () => {
      it("serves the gateway node's metrics in the Prometheus text format, without login", async () => {
        const u = await registerUser(shop.url);
        await client(shop.url).post("/api/auth/login", { email: u.email, password: u.password });
        const res = await fetch(shop.url + "/metrics");
        assert.equal(res.status, 200);
        assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
        const text = await res.text();
        const gateway = shop.nodes.find((n) => n.broker.getLocalService("api"))!.broker.nodeID;
        assert.match(text, /^# TYPE shop_http_requests_total counter$/m);
        assert.match(text, new RegExp(`^moleculer_request_total\\{[^}]*node_id="${gateway}"`, "m"));
        assert.match(text, /^# TYPE moleculer_request_time histogram$/m);
        assert.match(text, /^moleculer_request_time_bucket\{.*le="\+Inf"\} \d+$/m);
        if (mode === "embedded") {
          assert.match(text, /^shop_logins_total\{[^}]*outcome="success"\} [1-9]\d*$/m);
        }
      });
    });
  });
}
