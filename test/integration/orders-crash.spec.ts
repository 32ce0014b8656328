/**
 * Crashes under load. Shoppers check out, pay and cancel while the processes hosting `orders` and
 * `payments` are killed with SIGKILL (by PID) and restarted; once the load stops, every order must
 * end paid, cancelled or refunded, stock must add up, and no money may be kept without its order.
 *
 * - embedded mode: the whole shop is one child process on an SQLite file; it is killed twice in
 *   the middle of checkouts and payments and restarted on the same file;
 * - cluster mode: `orders` (two nodes) and `payments` run as `node bin/start.ts` child processes
 *   over NATS and MariaDB; an orders node, the payments node, then every orders node at once are
 *   killed and restarted while the gateways and users stay up in this process.
 */
// Quick failure detection, so that calls stop going to a killed node within seconds. Set before
// any broker is built (moleculer.config.ts reads MOL_* from the environment).
process.env.MOL_HEARTBEAT_INTERVAL = "1";
process.env.MOL_HEARTBEAT_TIMEOUT = "4";
// The gateways log every 5xx a crash causes; the children's logs are shown when a test fails.
process.env.TEST_LOG_LEVEL ??= "fatal";

import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ordersModes } from "../helpers/orders-suite.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { ALL_SERVICES, type ServiceName } from "../../lib/services.ts";
import { connectDatabase, createSequelize } from "../../lib/db.ts";
import {
  attachCatalog,
  REAL_CATALOG,
  type Reservation,
  type Shopper,
} from "../helpers/order-catalog.ts";
import {
  freePort,
  inconsistencies,
  runLoad,
  settle,
  sleep,
  spawnNode,
  type ChildNode,
} from "../helpers/crash.ts";
import { client, registerUser, userWithRole } from "../helpers/http.ts";
import { pool } from "../helpers/orders.ts";
import { shopDb } from "../helpers/orders-shop.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";

const modes = await ordersModes();

/** Short enough for everything to settle within the test, long enough to pay in time. */
const TIMINGS = {
  ORDER_PAYMENT_TTL_SECONDS: "8",
  ORDER_RECOVERY_SECONDS: "4",
  PAYMENT_LATENCY_MS: "150",
  REQUEST_TIMEOUT_MS: "5000",
};
const SHOPPERS = 16;
const LOAD_MS = 16_000;
const PRODUCTS = 3;
const STOCK = 500;

const children: ChildNode[] = [];
after(async () => {
  await Promise.all(children.map((c) => c.kill()));
});

if (modes.includes("embedded")) {
  describe("crash recovery (embedded mode: one process on an SQLite file)", () => {
    it("recovers from SIGKILL in the middle of checkouts and payments", async (t) => {
      const dir = mkdtempSync(join(tmpdir(), "shop-crash-"));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const databaseUrl = `sqlite:${join(dir, "shop.sqlite")}`;
      const env: Record<string, string> = {
        ...TIMINGS,
        NODE_ENV: "test",
        LOG_LEVEL: "warn",
        LOG_FORMAT: "json",
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        SEED_ON_START: "false",
        JWT_SECRET: "crash-test-" + randomBytes(16).toString("hex"),
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        FAKE_CATALOG_STATE: join(dir, "fake-catalog.json"),
      };
      let generation = 0;
      const start = async () => {
        const node = await spawnNode(`shop-${++generation}`, "test/helpers/crash-node.ts", env, {
          ipc: true,
        });
        children.push(node);
        return node;
      };
      let shop = await start();
      const probe = {
        stock: async (id: string) =>
          (await shop.call<Array<{ stock: number }>>("products.getMany", { ids: [id] }))[0].stock,
        reservation: (orderId: string) =>
          shop.call<Reservation>("products.reservation", { orderId }),
      };
      const products: string[] = [];
      const merchant = REAL_CATALOG ? await userWithRole(url, ADMIN, "merchant") : undefined;
      for (let i = 0; i < PRODUCTS; i++) {
        products.push(
          merchant
            ? String(
                (
                  await client(url, merchant.accessToken).post("/api/products", {
                    name: `Crash ${i}`,
                    description: "crash test",
                    price: 300 + i,
                    stock: STOCK,
                  })
                ).body.id,
              )
            : (
                await shop.call<{ id: string }>("products.fakeCreate", {
                  price: 300 + i,
                  stock: STOCK,
                })
              ).id,
        );
      }
      const shoppers: Shopper[] = await pool(
        Array.from({ length: SHOPPERS }, () => () => registerUser(url, "crash")),
        4,
      );
      const addToCart = async (s: Shopper, productId: string, quantity: number) => {
        if (REAL_CATALOG) {
          const res = await client(url, s.accessToken).post("/api/cart/items", {
            productId,
            quantity,
          });
          if (res.status !== 200) throw new Error(`cart: ${res.status}`);
        } else {
          await shop.call("carts.fakeAdd", { productId, quantity }, { user: s.user });
        }
      };

      const began = Date.now();
      const load = runLoad({
        url: () => url,
        shoppers,
        products,
        addToCart,
        stopAt: began + LOAD_MS,
        giveUpAt: began + LOAD_MS + 30_000,
      });
      for (const at of [4_000, 10_000]) {
        await sleep(began + at - Date.now());
        t.diagnostic(`SIGKILL pid ${shop.pid} at ${Date.now() - began} ms`);
        await shop.kill();
        await sleep(700);
        shop = await start();
        t.diagnostic(`restarted as pid ${shop.pid} at ${Date.now() - began} ms`);
      }
      const report = await load;
      t.diagnostic(
        `load: ${report.requests} requests, ${report.orders.size} orders, ` +
          `${report.confirmedPaid.size} paid, ${report.interrupted} interrupted by the crashes, ` +
          `${report.unanswered} unanswered; ${JSON.stringify(report.statuses)}`,
      );
      assert.ok(report.interrupted > 0, "the kills interrupted requests in flight");
      assert.ok(report.confirmedPaid.size > 0, "orders were paid");

      const db = createSequelize({ url: databaseUrl });
      t.after(() => db.close());
      await connectDatabase(db, databaseUrl);
      const initial = new Map(products.map((p) => [p, STOCK]));
      const { problems, ms } = await settle(
        () => inconsistencies(db, probe, initial, report),
        60_000,
      );
      t.diagnostic(`consistent ${ms} ms after the load stopped`);
      assert.deepEqual(problems, [], shop.output().split("\n").slice(-20).join("\n"));
      await shop.kill();
    });
  });
}

if (modes.includes("cluster")) {
  describe("crash recovery (cluster mode: orders and payments as child processes)", () => {
    let shop: TestShop | undefined;
    after(async () => {
      await shop?.stop();
    });

    it("recovers from SIGKILL of orders and payments nodes in the middle of checkouts and payments", async (t) => {
      const others = ALL_SERVICES.filter(
        (s) => !["api", "users", "orders", "payments"].includes(s),
      ) as ServiceName[];
      shop = await startShop("cluster", {
        env: TIMINGS,
        layout: [["users"], ...(others.length ? [others] : []), ["api"], ["api"]],
      });
      const catalog = await attachCatalog(shop);
      t.after(() => catalog.stop());
      const gateway = shop.nodes.find((n) => n.broker.getLocalService("api"))!.broker;
      const env = { ...shop.env, LOG_LEVEL: "warn" };
      let seq = 0;
      const start = async (service: "orders" | "payments") => {
        const nodeID = `${service}-crash-${++seq}`;
        const node = await spawnNode(nodeID, "bin/start.ts", {
          ...env,
          SERVICES: service,
          NODE_ID: nodeID,
        });
        children.push(node);
        const deadline = Date.now() + 30_000;
        while (!gateway.registry.nodes.get(nodeID)?.available) {
          if (Date.now() > deadline || node.child.exitCode !== null) {
            throw new Error(`${nodeID} did not join:\n${node.output()}`);
          }
          await sleep(100);
        }
        return node;
      };
      let ordersA = await start("orders");
      let ordersB = await start("orders");
      let payments = await start("payments");
      await gateway.waitForServices(["orders", "payments"], 20_000);

      const products: string[] = [];
      for (let i = 0; i < PRODUCTS; i++) {
        products.push(await catalog.createProduct({ price: 300 + i, stock: STOCK }));
      }
      const shoppers: Shopper[] = await pool(
        Array.from({ length: SHOPPERS }, () => () => registerUser(shop!.url, "crash")),
        4,
      );
      let turn = 0;
      const began = Date.now();
      const load = runLoad({
        url: () => shop!.urls[turn++ % shop!.urls.length],
        shoppers,
        products,
        addToCart: (s, p, q) => catalog.addToCart(s, p, q),
        stopAt: began + LOAD_MS,
        giveUpAt: began + LOAD_MS + 30_000,
      });
      const kill = async (node: ChildNode) => {
        t.diagnostic(`SIGKILL ${node.name} (pid ${node.pid}) at ${Date.now() - began} ms`);
        await node.kill();
      };
      await sleep(began + 3_000 - Date.now());
      await kill(ordersA);
      await sleep(1_500);
      ordersA = await start("orders");
      await sleep(began + 7_000 - Date.now());
      await kill(payments);
      await sleep(1_500);
      payments = await start("payments");
      await sleep(began + 11_000 - Date.now());
      await Promise.all([kill(ordersA), kill(ordersB)]);
      await sleep(1_500);
      ordersA = await start("orders");
      ordersB = await start("orders");
      const report = await load;
      t.diagnostic(
        `load: ${report.requests} requests, ${report.orders.size} orders, ` +
          `${report.confirmedPaid.size} paid, ${report.interrupted} interrupted by the crashes, ` +
          `${report.unanswered} unanswered; ${JSON.stringify(report.statuses)}`,
      );
      assert.ok(report.interrupted > 0, "the kills interrupted requests in flight");
      assert.ok(report.confirmedPaid.size > 0, "orders were paid");

      const initial = new Map(products.map((p) => [p, STOCK]));
      const { problems, ms } = await settle(
        () => inconsistencies(shopDb(shop!), catalog, initial, report),
        60_000,
      ).catch((err) => ({ problems: [String(err)], ms: 0 }));
      t.diagnostic(`consistent ${ms} ms after the load stopped`);
      assert.deepEqual(
        problems,
        [],
        [ordersA, ordersB, payments].map((n) => n.output()).join("\n"),
      );
    });

    it("an approved return refunds once and restocks once though orders and payments are killed", async (t) => {
      const others = ALL_SERVICES.filter(
        (s) => !["api", "users", "orders", "payments"].includes(s),
      ) as ServiceName[];
      const returnsShop = await startShop("cluster", {
        env: TIMINGS,
        layout: [["users"], ...(others.length ? [others] : []), ["api"]],
      });
      t.after(() => returnsShop.stop());
      const catalog = await attachCatalog(returnsShop);
      t.after(() => catalog.stop());
      const gateway = returnsShop.nodes.find((n) => n.broker.getLocalService("api"))!.broker;
      const env = { ...returnsShop.env, LOG_LEVEL: "warn" };
      let seq = 0;
      const start = async (service: "orders" | "payments") => {
        const nodeID = `${service}-return-${++seq}`;
        const node = await spawnNode(nodeID, "bin/start.ts", {
          ...env,
          SERVICES: service,
          NODE_ID: nodeID,
        });
        children.push(node);
        const deadline = Date.now() + 30_000;
        while (!gateway.registry.nodes.get(nodeID)?.available) {
          if (Date.now() > deadline || node.child.exitCode !== null) {
            throw new Error(`${nodeID} did not join:\n${node.output()}`);
          }
          await sleep(100);
        }
        return node;
      };
      let orders = await start("orders");
      let payments = await start("payments");
      await gateway.waitForServices(["orders", "payments"], 20_000);
      const url = returnsShop.url;
      const admin = client(url, (await userWithRole(url, ADMIN, "admin")).accessToken);
      const productId = await catalog.createProduct({ price: 700, stock: 20 });
      const buyer = await registerUser(url, "returner");
      await catalog.addToCart(buyer, productId, 3);
      const api = client(url, buyer.accessToken);
      const created = await api.post(
        "/api/checkout",
        {
          address: {
            name: "张三",
            phone: "13800138000",
            province: "浙江省",
            city: "杭州市",
            line1: "文三路 90 号",
          },
          card: { number: "4242424242424242", expMonth: 12, expYear: 2035, cvv: "123" },
        },
        { headers: { "Idempotency-Key": `return-crash-${randomBytes(6).toString("hex")}` } },
      );
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.status, "paid");
      const orderId = String(created.body.id);
      const shipped = await admin.patch(`/api/admin/orders/${orderId}`, { status: "shipped" });
      assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
      const committed = async () => (await catalog.reservation(orderId)).status === "committed";
      for (const end = Date.now() + 30_000; !(await committed()) && Date.now() < end;) {
        await sleep(100);
      }
      const before = await catalog.stock(productId);
      const asked = await api.post(`/api/orders/${orderId}/return`, {
        reason: "arrived broken",
        items: [{ productId, quantity: 2 }],
      });
      assert.equal(asked.status, 200, JSON.stringify(asked.body));

      // The payments node dies before the approval: its refund cannot be delivered now.
      await payments.kill();
      const path = `/api/merchant/orders/${orderId}/return/decide`;
      const approved = await admin.post(path, { approve: true });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(approved.body.status, "refunded");
      // The orders node that approved dies too, its outbox messages unacknowledged or not.
      await orders.kill();
      await sleep(1_000);
      payments = await start("payments");
      orders = await start("orders");
      // A retry of the approval (answered 503 until the gateway notices the dead node): 409.
      let retried = await admin.post(path, { approve: true });
      for (const end = Date.now() + 30_000; retried.status === 503 && Date.now() < end;) {
        await sleep(300);
        retried = await admin.post(path, { approve: true });
      }
      assert.equal(retried.status, 409, JSON.stringify(retried.body));
      assert.equal(retried.body.type, "RETURN_NOT_REQUESTED");

      const done = async () => {
        const pays = await catalog.broker.call<
          Array<{ status: string; refundedAmount: number | null }>,
          object
        >("payments.forOrder", { orderId });
        const stock = await catalog.stock(productId);
        // 2 of the 3 units came back: a refund of their price (2 × 700) of the 2,100 paid.
        const refunded = pays.filter(
          (p) => p.status === "partially_refunded" && p.refundedAmount === 1400,
        ).length;
        return { refunded, pays, stock };
      };
      // Until every broker has noticed the killed nodes, a call may still go to one: retried.
      let state = {
        refunded: 0,
        pays: [] as Array<{ status: string; refundedAmount: number | null }>,
        stock: before,
      };
      for (const end = Date.now() + 60_000; Date.now() < end;) {
        state = await done().catch(() => state);
        if (state.refunded === 1 && state.stock === before + 2) break;
        await sleep(200);
      }
      assert.equal(state.refunded, 1, JSON.stringify(state.pays));
      assert.equal(state.pays.length, 1, "one payment, refunded once");
      assert.equal(state.stock, before + 2, [orders.output(), payments.output()].join("\n"));
      // Nothing more comes back later (a redelivered restock or release is a no-op).
      await sleep(3_000);
      assert.equal(await catalog.stock(productId), before + 2);
      assert.equal((await catalog.reservation(orderId)).status, "released");
      const shown = await api.get(`/api/orders/${orderId}`);
      assert.equal(shown.body.payment.status, "partially_refunded");
      assert.equal(shown.body.payment.refundedAmount, 1400);
      await Promise.all([orders.kill(), payments.kill()]);
    });
  });
}
