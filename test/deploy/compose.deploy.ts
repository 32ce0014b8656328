/**
 * `npm run test:deploy`: the real image and the compose stack, end to end. Where a Docker engine
 * with Compose v2 answers (DOCKER_HOST is honoured), it builds the image, brings the stack up
 * without the observability profile, waits until every container is healthy, runs the shop flow
 * (register → cart → checkout → pay) through the gateway, scales products to 2, and tears the
 * stack down. Where no engine answers it is skipped with a message saying so.
 *
 * Infrastructure images (mysql, redis, nats, etcd) come from the engine's registry; on a machine
 * without one, docs/deployment.md ("Without a registry") says how to provide stand-ins.
 * Extra compose files: DEPLOY_COMPOSE_FILES (colon-separated), e.g. a site override.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PROJECT = `douyin-mall-deploytest-${process.pid}`;
const port = (base: number) => String(base + Math.floor(Math.random() * 1000));
const PORTS = {
  SHOP_HTTP_PORT: port(43000),
  MYSQL_HOST_PORT: port(44000),
  REDIS_HOST_PORT: port(45000),
  NATS_HOST_PORT: port(46000),
  NATS_MONITOR_HOST_PORT: port(47000),
};
const files = ["docker-compose.yml", ...(process.env.DEPLOY_COMPOSE_FILES?.split(":") ?? [])]
  .filter(Boolean)
  .flatMap((f) => ["-f", f]);

async function compose(args: string[], timeoutMs = 600_000): Promise<string> {
  const { stdout } = await run("docker", ["compose", "-p", PROJECT, ...files, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...PORTS, SHOP_IMAGE: `${PROJECT}:test` },
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** Why the suite cannot run here, or undefined when an engine with Compose v2 answers. */
async function missingEngine(): Promise<string | undefined> {
  try {
    await run("docker", ["info", "--format", "{{.ServerVersion}}"], { timeout: 15_000 });
  } catch {
    return `no Docker engine answers (DOCKER_HOST=${process.env.DOCKER_HOST ?? "default socket"})`;
  }
  try {
    const { stdout } = await run("docker", ["compose", "version", "--short"], { timeout: 15_000 });
    if (!/^v?2\./.test(stdout.trim())) return `Compose v2 is needed (found ${stdout.trim()})`;
  } catch {
    return "the Docker Compose v2 plugin is missing";
  }
  return undefined;
}

const missing = await missingEngine();
if (missing) console.warn(`SKIPPED test:deploy: ${missing}`);

describe("the image and the compose stack", { skip: missing }, () => {
  const base = `http://127.0.0.1:${PORTS.SHOP_HTTP_PORT}`;
  before(async () => {
    await compose(["build", "gateway"], 1_200_000);
    await compose(["up", "-d", "--wait", "--wait-timeout", "300"]);
  });
  after(async () => {
    await compose(["down", "-v", "--remove-orphans"]).catch((err) => console.warn(String(err)));
    await run("docker", ["image", "rm", `${PROJECT}:test`]).catch(() => undefined);
  });

  it("starts without Jaeger, Prometheus or Grafana, every container healthy", async () => {
    const services = (await compose(["ps", "--services"])).trim().split("\n").sort();
    for (const tool of ["grafana", "jaeger", "prometheus"]) assert.ok(!services.includes(tool));
    const states = (await compose(["ps", "--format", "{{.Service}} {{.Health}}"])).trim();
    for (const line of states.split("\n")) {
      const [service, health] = line.split(" ");
      if (health) assert.equal(health, "healthy", `${service}: ${health}`);
    }
    const ready = await fetch(`${base}/api/ready`);
    assert.equal(ready.status, 200, await ready.text());
  });

  it("runs the shop flow through the gateway: register, cart, checkout and pay", async () => {
    const paid = await shopFlow(base);
    assert.equal(paid.status, "paid");
  });

  it("scales products to two healthy nodes, and the shop still answers", async () => {
    await compose(["up", "-d", "--wait", "--wait-timeout", "300", "--scale", "products=2"]);
    const products = (await compose(["ps", "--format", "{{.Health}}", "products"]))
      .trim()
      .split("\n");
    assert.deepEqual(products, ["healthy", "healthy"]);
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${base}/api/products?pageSize=5&page=${i + 1}`);
      assert.equal(res.status, 200);
    }
    assert.equal((await shopFlow(base)).status, "paid");
  });
});

async function shopFlow(base: string): Promise<{ status: string }> {
  const json = async <T = unknown>(path: string, init: RequestInit = {}, token?: string) => {
    const res = await fetch(base + path, {
      ...init,
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
    const body = await res.json();
    assert.ok(res.ok, `${init.method ?? "GET"} ${path}: ${res.status} ${JSON.stringify(body)}`);
    return body as T;
  };
  const email = `deploy-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const password = "deploy-test-Passw0rd!";
  const { accessToken } = await json<{ accessToken: string }>("/api/auth/register", {
    method: "POST",
    body: JSON.stringify({ email, password }),
  });
  const list = await json<{ rows: { id: string; stock: number }[] }>("/api/products?pageSize=50");
  const product = list.rows.find((p) => p.stock > 2);
  assert.ok(product, "a product in stock");
  await json(
    "/api/cart/items",
    { method: "POST", body: JSON.stringify({ productId: product.id, quantity: 1 }) },
    accessToken,
  );
  return json<{ status: string }>(
    "/api/checkout",
    {
      method: "POST",
      headers: { "idempotency-key": `deploy-${email}` },
      body: JSON.stringify({
        address: {
          name: "部署测试",
          phone: "13800138000",
          province: "北京市",
          city: "北京市",
          district: "朝阳区",
          line1: "建国路 1 号",
          country: "CN",
        },
        card: { number: "4242424242424242", expMonth: 12, expYear: 2040, cvv: "123" },
      }),
    },
    accessToken,
  );
}
