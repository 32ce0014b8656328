/**
 * No stock leaks when the node hosting products freezes (SIGSTOP past ORDER_RECOVERY_SECONDS,
 * then SIGCONT) or a node is killed (SIGKILL) at random points of 50 concurrent checkouts: once
 * the cluster settles, the units held are exactly those of live pending orders, the units sold
 * those of paid orders, and stock + sold + held = the initial stock. Before the release tombstone,
 * a release that overtook its frozen reserve answered "none" and the late reserve held stock for
 * a failed order forever.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import mysql from "mysql2/promise";
import { testModes } from "../helpers/infra.ts";
import { createProduct } from "../helpers/catalog.ts";
import { client, eventually, loginAdmin, registerUser } from "../helpers/http.ts";
import { ADDRESS, CARDS, pool } from "../helpers/orders.ts";
import { ADMIN } from "../helpers/shop.ts";
import { BACKEND, Cluster } from "./topology.ts";

const modes = await testModes();
const skip = modes.includes("cluster") ? false : "MariaDB, Redis or NATS not reachable";

const BUYERS = 50;
const STOCK = 400;
const RECOVERY_SECONDS = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

/** Set-up calls on a busy machine: a few tries. */
async function retried<T>(work: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (err) {
      if (i >= tries) throw err;
      await sleep(1_000 * i);
    }
  }
}

describe("stock under frozen and killed nodes", { skip }, () => {
  const cluster = new Cluster({
    ORDER_RECOVERY_SECONDS: String(RECOVERY_SECONDS),
    // Shorter than the freeze: the checkout gives its frozen reserve up, as the reminder does.
    REQUEST_TIMEOUT_MS: "4000",
  });
  let db: mysql.Connection;

  before(async () => {
    await cluster.createDatabase();
    // Products alone on one node: freezing it freezes every reserve and release.
    await cluster.start("products-1", ["products"]);
    await cluster.start(
      "backend-1",
      BACKEND.filter((s) => s !== "products"),
    );
    await cluster.start("gateway-1", ["api"]);
    await cluster.start("gateway-2", ["api"]);
    await cluster.startObserver();
    for (const s of BACKEND) await cluster.waitForInstances(s, 1);
    for (const url of cluster.gateways()) {
      await eventually(
        async () => (await client(url).get("/api/ready")).status === 200,
        30_000,
        200,
      );
    }
    db = await mysql.createConnection(cluster.baseEnv().DATABASE_URL);
  });

  after(async () => {
    for (const node of cluster.nodes.values()) {
      try {
        process.kill(node.proc.pid, "SIGCONT");
      } catch {
        // already gone
      }
    }
    await db?.end().catch(() => undefined);
    await cluster.stop();
  });

  it(`holds exactly the units of live pending orders after SIGSTOP/SIGCONT and SIGKILL during ${BUYERS} checkouts`, async (t) => {
    const gateways = cluster.gateways();
    const admin = await retried(() => loginAdmin(gateways[0], ADMIN));
    const products = [
      await createProduct(gateways[0], admin.accessToken, { stock: STOCK, price: 300 }),
      await createProduct(gateways[0], admin.accessToken, { stock: STOCK, price: 700 }),
    ].map((p) => p.id);
    // A few at a time: password hashing on one users node under a 3 s request timeout.
    const buyers = await pool(
      Array.from(
        { length: BUYERS },
        (_, i) => () => retried(() => registerUser(gateways[i % 2], "buyer")),
      ),
      4,
    );
    for (const [i, b] of buyers.entries()) {
      const api = client(gateways[i % 2], b.accessToken);
      for (const productId of products) {
        const res = await api.post("/api/cart/items", { productId, quantity: between(1, 4) });
        assert.equal(res.status, 200, JSON.stringify(res.body));
      }
    }
    const address = ADDRESS;
    const card = CARDS.ok;
    // Half pay in the checkout, half leave a pending order. A client retries with its key on a
    // 5xx or a 409 IN_PROGRESS, through either gateway, for a bounded time.
    const checkout = async (i: number) => {
      const key = randomUUID();
      const body = i % 2 ? { address, card } : { address };
      const until = Date.now() + 60_000;
      for (let attempt = 0; Date.now() < until; attempt++) {
        const res = await client(gateways[(i + attempt) % 2], buyers[i].accessToken).post(
          "/api/checkout",
          body,
          { headers: { "idempotency-key": key } },
        );
        const retry =
          res.status >= 500 ||
          (res.status === 409 && res.body?.type === "IDEMPOTENCY_KEY_IN_PROGRESS");
        if (!retry) return res.status;
        await sleep(300);
      }
      return 0;
    };
    const products1 = () => cluster.nodes.get("products-1")!.proc.pid;
    const chaos = (async () => {
      await sleep(between(300, 1200));
      // Frozen past the recovery time and the request timeout: the checkouts give their reserves
      // up, the reminders release, and the reserves queued in the frozen node run late.
      process.kill(products1(), "SIGSTOP");
      await sleep(RECOVERY_SECONDS * 1000 + between(3500, 5000));
      process.kill(products1(), "SIGCONT");
      await sleep(between(0, 1500));
      await cluster.nodes.get("backend-1")!.proc.kill("SIGKILL");
      await sleep(between(200, 1000));
      await cluster.restart("backend-1");
      await sleep(between(0, 1000));
      await cluster.restart("products-1");
    })();
    const answers = await Promise.all(buyers.map((_, i) => checkout(i)));
    await chaos;
    await cluster.waitForInstances("products", 1, 60_000);
    await cluster.waitForInstances("orders", 1, 60_000);

    // Settled: no checkout in flight, every release and commit delivered, the audit adds up.
    const audit = async () => {
      const [[reserving]] = (await db.query(
        "SELECT COUNT(*) AS n FROM orders WHERE status = 'reserving'",
      )) as unknown as [[{ n: number }]];
      const units = async (sql: string) => {
        const [rows] = (await db.query(sql)) as unknown as [
          Array<{ productId: unknown; n: unknown }>,
        ];
        return new Map(rows.map((r) => [String(r.productId), Number(r.n)]));
      };
      const reservations = (status: string) =>
        units(
          "SELECT i.productId, SUM(i.quantity) AS n FROM stock_reservation_items i " +
            "JOIN stock_reservations r ON r.id = i.reservationId " +
            `WHERE r.status = '${status}' GROUP BY i.productId`,
        );
      const ordered = (statuses: string) =>
        units(
          "SELECT oi.productId, SUM(oi.quantity) AS n FROM order_items oi " +
            "JOIN orders o ON o.id = oi.orderId " +
            `WHERE o.status IN (${statuses}) GROUP BY oi.productId`,
        );
      const held = await reservations("held");
      const sold = await reservations("committed");
      const pending = await ordered("'pending'");
      const paid = await ordered("'paid', 'shipped', 'completed'");
      const [stocks] = (await db.query("SELECT id, stock FROM products WHERE id IN (?)", [
        products,
      ])) as unknown as [Array<{ id: unknown; stock: unknown }>];
      const stock = new Map(stocks.map((p) => [String(p.id), Number(p.stock)]));
      const report = products.map((id) => ({
        id,
        stock: stock.get(id) ?? 0,
        held: held.get(id) ?? 0,
        sold: sold.get(id) ?? 0,
        pending: pending.get(id) ?? 0,
        paid: paid.get(id) ?? 0,
      }));
      const ok =
        Number(reserving.n) === 0 &&
        report.every(
          (r) => r.held === r.pending && r.sold === r.paid && r.stock + r.sold + r.held === STOCK,
        );
      return { ok, reserving: Number(reserving.n), report };
    };
    let last: Awaited<ReturnType<typeof audit>> | undefined;
    try {
      await eventually(
        async () => {
          last = await audit();
          return last.ok;
        },
        120_000,
        1_000,
      );
    } catch {
      assert.fail(`the stock does not add up: ${JSON.stringify(last)}`);
    }
    const counts = new Map<number, number>();
    for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
    t.diagnostic(`checkout answers (status: count): ${JSON.stringify([...counts])}`);
    t.diagnostic(`audit: ${JSON.stringify(last)}`);
    const created = answers.filter((s) => s === 201).length;
    assert.ok(created > 0, `some checkouts succeeded: ${JSON.stringify(answers)}`);
  });
});
