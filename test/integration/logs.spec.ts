/**
 * Logs of a real node process (`node bin/start.ts`, LOG_LEVEL=debug): what reaches stdout while
 * users register, log in, refresh, change their password and log out.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { client, uniqueEmail } from "../helpers/http.ts";
import { startNodeProcess, type NodeProcess } from "../helpers/child-nodes.ts";

const ADMIN = { email: "admin@logs.test", password: "admin-password-for-log-tests" };

describe("logs (a node process at debug level)", () => {
  let dir: string;
  let node: NodeProcess;
  const secrets: string[] = [ADMIN.password];
  const requestIds: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "shop-logs-"));
    node = await startNodeProcess({
      NODE_ENV: "test",
      LOG_LEVEL: "debug",
      LOG_FORMAT: "json",
      PORT: "0",
      NODE_ID: "logs-node",
      DATABASE_URL: `sqlite:${join(dir, "shop.sqlite")}`,
      SEED_ON_START: "false",
      JWT_SECRET: "a-secret-for-the-log-tests-0123456789",
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    const api = client(node.url!);
    const track = <T extends { headers: Headers }>(res: T) => {
      requestIds.push(res.headers.get("x-request-id") ?? "");
      return res;
    };
    const email = uniqueEmail("logs");
    const password = "first-secret-password";
    const newPassword = "second-secret-password";
    secrets.push(password, newPassword);

    const reg = track(await api.post("/api/auth/register", { email, password, name: "Log" }));
    assert.equal(reg.status, 201);
    secrets.push(reg.body.accessToken, reg.body.refreshToken);
    const bad = track(await api.post("/api/auth/login", { email, password: "wrong-password-123" }));
    assert.equal(bad.status, 401);
    secrets.push("wrong-password-123");
    const login = track(await api.post("/api/auth/login", { email, password }));
    assert.equal(login.status, 200);
    secrets.push(login.body.accessToken, login.body.refreshToken);
    const refresh = track(
      await api.post("/api/auth/refresh", { refreshToken: login.body.refreshToken }),
    );
    assert.equal(refresh.status, 200);
    secrets.push(refresh.body.accessToken, refresh.body.refreshToken);
    const token = refresh.body.accessToken;
    const change = track(
      await api.patch(
        "/api/users/me",
        { password: newPassword, currentPassword: password },
        { token },
      ),
    );
    assert.equal(change.status, 200);
    // A bad body echoes nothing secret either (the validator sees the password).
    const invalid = track(await api.post("/api/auth/register", { email, password: "short" }));
    assert.equal(invalid.status, 422);
    secrets.push("short");
    const admin = track(await api.post("/api/auth/login", ADMIN));
    secrets.push(admin.body.accessToken, admin.body.refreshToken);
    track(await api.get("/api/admin/cluster", { token: admin.body.accessToken }));
    // Secrets in a query string stay out of the access log (it logs the path only).
    track(await api.get(`/api/health?token=${encodeURIComponent(token)}&password=${newPassword}`));
    const logout = track(await api.post("/api/auth/logout", undefined, { token }));
    assert.equal(logout.status, 204);
    // A checkout paid by card (a declined card first): no card number reaches a log.
    const buyer = track(await api.post("/api/auth/login", { email, password: newPassword }));
    secrets.push(buyer.body.accessToken, buyer.body.refreshToken);
    const product = track(
      await api.post(
        "/api/products",
        { name: "Logged kettle", description: "Copper.", price: 1500, stock: 3 },
        { token: admin.body.accessToken },
      ),
    );
    assert.equal(product.status, 201);
    const btoken = buyer.body.accessToken;
    track(
      await api.post(
        "/api/cart/items",
        { productId: product.body.id, quantity: 1 },
        { token: btoken },
      ),
    );
    const address = { name: "L", phone: "13800000000", line1: "1 Road", city: "X", country: "CN" };
    const order = track(
      await api.post(
        "/api/checkout",
        { address },
        { token: btoken, headers: { "idempotency-key": "logs-1" } },
      ),
    );
    assert.equal(order.status, 201);
    const card = (number: string) => ({
      number,
      expMonth: 12,
      expYear: new Date().getFullYear() + 2,
      cvv: "731",
    });
    const declined = track(
      await api.post(
        `/api/orders/${order.body.id}/pay`,
        { card: card("4000000000000002") },
        {
          token: btoken,
          headers: { "idempotency-key": "logs-2" },
        },
      ),
    );
    assert.equal(declined.status, 402);
    const paid = track(
      await api.post(
        `/api/orders/${order.body.id}/pay`,
        { card: card("4242424242424242") },
        {
          token: btoken,
          headers: { "idempotency-key": "logs-3" },
        },
      ),
    );
    assert.equal(paid.status, 200);
    secrets.push("4242424242424242", "4000000000000002", "4242 4242 4242 4242");
    await node.stop();
  });

  after(async () => {
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("never contains a password, a token, a card number or a CVV", () => {
    const output = node.lines.join("\n");
    assert.ok(node.lines.length > 20, "the node logged at debug level");
    for (const secret of secrets) {
      assert.ok(secret.length >= 5);
      assert.ok(!output.includes(secret), `a secret reached the log: ${secret.slice(0, 12)}…`);
    }
    assert.ok(!/eyJ[\w-]{10,}\.[\w-]{10,}\./.test(output), "no JWT-shaped text");
    assert.ok(!/\brt_[\w-]{16,}/.test(output), "no refresh-token-shaped text");
    assert.ok(!/"(cvv|cvc)":"?\d/.test(output), "no CVV value");
  });

  it("warns of nothing at start: no service called before it is registered", () => {
    const warnings = node.lines
      .map((l) => JSON.parse(l) as { level: string; msg: string })
      .filter((l) => l.level === "warn" || l.level === "error");
    assert.deepEqual(
      warnings.filter((w) => /not registered|not found|unavailable/i.test(w.msg)),
      [],
    );
  });

  it("writes JSON lines only, each with a level, a time, a node id and a message", () => {
    for (const line of node.lines) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line);
      } catch {
        assert.fail(`not a JSON line: ${line}`);
      }
      assert.equal(typeof record.level, "string");
      assert.equal(typeof record.time, "string");
      assert.equal(record.nodeID, "logs-node");
      assert.equal(typeof record.msg, "string");
    }
  });

  it("writes one access-log line per HTTP request with route, status, duration, user and address", () => {
    const access = node.records().filter((r) => r.access === true);
    for (const id of requestIds) {
      const mine = access.filter((r) => r.requestId === id);
      assert.equal(mine.length, 1, `one access line for request ${id}`);
      const [line] = mine;
      assert.match(line.method as string, /^(GET|POST|PATCH)$/);
      assert.match(line.route as string, /^\/api\//);
      assert.equal(typeof line.status, "number");
      assert.equal(typeof line.durationMs, "number");
      assert.equal(line.clientIp, "127.0.0.1");
      assert.match(line.traceId as string, /^[0-9a-f]{32}$/);
    }
    const patch = access.find((r) => r.method === "PATCH");
    assert.match(String(patch?.userId), /^\d+$/, "the authenticated user's id");
    assert.ok(access.some((r) => r.status === 401 && r.route === "/api/auth/login"));
  });

  it("puts the request's id and trace id on every line written while handling it", () => {
    const records = node.records();
    for (const id of requestIds) {
      const lines = records.filter((r) => r.requestId === id);
      const traceIds = new Set(lines.map((r) => r.traceId));
      assert.equal(traceIds.size, 1, `one trace id for the lines of request ${id}`);
    }
    const handled = records.filter((r) => r.requestId && !r.access);
    assert.ok(handled.length > 0, "debug lines written while handling requests carry their ids");
  });
});

describe("logs in development format", () => {
  it("are readable lines naming the node and the module", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shop-logs-"));
    const node = await startNodeProcess({
      NODE_ENV: "development",
      LOG_FORMAT: "pretty",
      PORT: "0",
      NODE_ID: "pretty-node",
      DATABASE_URL: `sqlite:${join(dir, "shop.sqlite")}`,
      SEED_ON_START: "false",
    });
    try {
      await client(node.url!).get("/api/health");
      await node.waitForLine((l) => l.includes("GET /api/health 200"));
      const line = node.lines.find((l) => l.includes("API Gateway listening"))!;
      assert.match(
        line,
        /^\[?\d\d:\d\d:\d\d\.\d{3}\]? INFO.*\[pretty-node\] api: API Gateway listening/,
      );
      assert.ok(!node.lines.some((l) => l.startsWith("{")), "no JSON in development format");
    } finally {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
