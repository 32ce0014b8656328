/**
 * Tools of the crash tests: shop nodes as real child processes (killed with SIGKILL by PID), a
 * load of shoppers that check out, pay and cancel while nodes die, and the invariants every
 * order, payment and stock count must satisfy once the shop has recovered.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { QueryTypes, type Sequelize } from "sequelize";
import type { Reservation, Shopper } from "./order-catalog.ts";
import { call, type Reply } from "./http.ts";
export { freePort } from "./processes.ts";
import { ADDRESS, CARDS, checkout, newKey, payOrder } from "./orders.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ChildNode {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Resolves when the process has exited (after a kill, or on its own). */
  exited: Promise<void>;
  /** The last lines it printed (for a failing test's diagnostics). */
  output(): string;
  kill(): Promise<void>;
  /** Calls an action through the IPC bridge of crash-node.ts. */
  call<T = unknown>(action: string, params?: unknown, meta?: Record<string, unknown>): Promise<T>;
}

/**
 * Starts `node <entry>` (this very Node binary, not through npx, so that the PID is the node's)
 * with the given environment; with `ipc`, resolves once the child says it is ready.
 */
export async function spawnNode(
  name: string,
  entry: string,
  env: Record<string, string>,
  opts: { ipc?: boolean; readyTimeoutMs?: number } = {},
): Promise<ChildNode> {
  const base = { ...process.env };
  // The test runner's own markers must not make the child behave as a test file.
  delete base.NODE_TEST_CONTEXT;
  delete base.NODE_OPTIONS;
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: opts.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split("\n").filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let nextId = 1;
  child.on("message", (m: { id?: number; result?: unknown; error?: { message: string } }) => {
    if (m.id === undefined) return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.reject(Object.assign(new Error(m.error.message), m.error));
    else p?.resolve(m.result);
  });
  void exited.then(() => {
    for (const p of pending.values()) p.reject(new Error(`${name} exited`));
    pending.clear();
  });
  if (opts.ipc) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} not ready:\n${lines.join("\n")}`)),
        opts.readyTimeoutMs ?? 30_000,
      );
      child.on("message", (m: { ready?: boolean }) => {
        if (m.ready) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${name} exited before it was ready:\n${lines.join("\n")}`));
      });
    });
  }
  return {
    name,
    child,
    pid: child.pid!,
    exited,
    output: () => lines.join("\n"),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, "SIGKILL");
      await exited;
    },
    call<T>(action: string, params?: unknown, meta?: Record<string, unknown>) {
      return new Promise<T>((resolve, reject) => {
        if (!child.connected) return reject(new Error(`${name} is not running`));
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, action, params, meta });
      });
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

// ---------------------------------------------------------------------------------------------
// Load

export interface LoadOptions {
  /** The gateway to use for the next request. */
  url(): string;
  shoppers: Shopper[];
  products: string[];
  addToCart(shopper: Shopper, productId: string, quantity: number): Promise<void>;
  /** Shoppers start no new purchase after this. */
  stopAt: number;
  /** A request is retried (same Idempotency-Key) until it has an answer, or until this. */
  giveUpAt: number;
}

export interface LoadReport {
  /** Orders whose payment the client saw succeed (and did not cancel afterwards). */
  confirmedPaid: Set<string>;
  /** Orders the client saw refunded. */
  confirmedRefunded: Set<string>;
  /** Orders the client asked to cancel (the answer may have been lost in a crash). */
  cancelAsked: Set<string>;
  /** Every order the clients heard of. */
  orders: Set<string>;
  requests: number;
  /** Requests that failed because a node died or was down (then retried). */
  interrupted: number;
  unanswered: number;
  statuses: Record<string, number>;
}

const RETRY_TYPES = new Set(["IDEMPOTENCY_KEY_IN_PROGRESS", "PAYMENT_IN_PROGRESS"]);

/** Shoppers check out, pay, sometimes cancel, until `stopAt`; every answer is recorded. */
export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  const report: LoadReport = {
    confirmedPaid: new Set(),
    confirmedRefunded: new Set(),
    cancelAsked: new Set(),
    orders: new Set(),
    requests: 0,
    interrupted: 0,
    unanswered: 0,
    statuses: {},
  };
  const answered = async (send: () => Promise<Reply>): Promise<Reply | undefined> => {
    for (;;) {
      report.requests++;
      let reply: Reply | undefined;
      try {
        reply = await send();
      } catch {
        reply = undefined;
      }
      const retry =
        !reply ||
        reply.status >= 500 ||
        (reply.status === 409 && RETRY_TYPES.has(reply.body?.type));
      if (reply) {
        const k = `${reply.status}${reply.body?.type ? " " + reply.body.type : ""}`;
        report.statuses[k] = (report.statuses[k] ?? 0) + 1;
      }
      if (!retry) return reply;
      if (!reply || reply.status >= 500) report.interrupted++;
      if (Date.now() > opts.giveUpAt) {
        report.unanswered++;
        return undefined;
      }
      await sleep(200 + Math.random() * 300);
    }
  };

  const shop = async (s: Shopper) => {
    while (Date.now() < opts.stopAt) {
      const productId = opts.products[Math.floor(Math.random() * opts.products.length)];
      try {
        await opts.addToCart(s, productId, 1 + Math.floor(Math.random() * 2));
      } catch {
        await sleep(300);
        continue;
      }
      const card = Math.random() < 0.4 ? (Math.random() < 0.8 ? CARDS.ok : CARDS.declined) : null;
      const key = newKey();
      const body = card ? { address: ADDRESS, card } : { address: ADDRESS };
      const placed = await answered(() => checkout(opts.url(), s, body, key));
      const orderId: string | undefined =
        placed?.status === 201 ? placed.body.id : placed?.body?.data?.orderId;
      if (!orderId) continue;
      report.orders.add(orderId);
      let paid = placed?.status === 201 && placed.body.status === "paid";
      if (!paid && Math.random() < 0.8) {
        const payCard = Math.random() < 0.85 ? CARDS.ok : CARDS.declined;
        const payKey = newKey();
        const res = await answered(() => payOrder(opts.url(), s, orderId, payCard, payKey));
        paid = res?.status === 200 && res.body.status === "paid";
      }
      if (paid) report.confirmedPaid.add(orderId);
      if (Math.random() < 0.15) {
        report.cancelAsked.add(orderId);
        const res = await answered(() =>
          call(opts.url(), "POST", `/api/orders/${orderId}/cancel`, undefined, {
            token: s.accessToken,
          }),
        );
        if (res?.status === 200 && res.body.status === "refunded") {
          report.confirmedPaid.delete(orderId);
          report.confirmedRefunded.add(orderId);
        }
      }
    }
  };
  await Promise.all(opts.shoppers.map(shop));
  return report;
}

// ---------------------------------------------------------------------------------------------
// Invariants

export interface CatalogProbe {
  stock(productId: string): Promise<number>;
  reservation(orderId: string): Promise<Reservation>;
}

interface OrderRow {
  id: string | number;
  status: string;
  total: number | string;
  paymentId: string | null;
}

/**
 * Everything that must hold once the shop has recovered; returns what does not (empty = all
 * good): every order final, stock adding up, money matching orders, outboxes drained.
 */
export async function inconsistencies(
  db: Sequelize,
  catalog: CatalogProbe,
  initialStock: Map<string, number>,
  report?: LoadReport,
): Promise<string[]> {
  const problems: string[] = [];
  const select = <T extends object>(sql: string) => db.query<T>(sql, { type: QueryTypes.SELECT });
  const orders = await select<OrderRow>("SELECT id, status, total, paymentId FROM orders");
  const items = await select<{ orderId: string | number; productId: string; quantity: number }>(
    "SELECT orderId, productId, quantity FROM order_items",
  );
  const payments = await select<{
    id: string | number;
    orderId: string;
    status: string;
    amount: number | string;
  }>("SELECT id, orderId, status, amount FROM payments");
  const byId = new Map(orders.map((o) => [String(o.id), o]));

  for (const o of orders) {
    const id = String(o.id);
    if (!["paid", "cancelled", "refunded", "failed"].includes(o.status)) {
      problems.push(`order ${id} is still ${o.status}`);
      continue;
    }
    const reservation = await catalog.reservation(id);
    const expected = o.status === "paid" ? ["committed"] : ["released", "none"];
    if (!expected.includes(reservation.status)) {
      problems.push(`order ${id} is ${o.status} but its reservation is ${reservation.status}`);
    }
  }

  for (const [productId, initial] of initialStock) {
    const sold = items
      .filter((i) => String(i.productId) === productId)
      .filter((i) => byId.get(String(i.orderId))?.status === "paid")
      .reduce((sum, i) => sum + Number(i.quantity), 0);
    const stock = await catalog.stock(productId);
    if (stock < 0) problems.push(`product ${productId} has negative stock ${stock}`);
    if (stock + sold !== initial) {
      problems.push(`product ${productId}: stock ${stock} + sold ${sold} != initial ${initial}`);
    }
  }

  for (const p of payments) {
    const order = byId.get(String(p.orderId));
    if (!order) {
      problems.push(`payment ${p.id} has no order (${p.orderId})`);
      continue;
    }
    const isTheOrders = String(order.paymentId) === String(p.id);
    if (p.status === "captured" && !(isTheOrders && order.status === "paid")) {
      problems.push(`payment ${p.id} is captured but order ${order.id} is ${order.status}`);
    }
    if (p.status === "captured" && Number(p.amount) !== Number(order.total)) {
      problems.push(`payment ${p.id} amount ${p.amount} != order total ${order.total}`);
    }
    if (p.status === "refunded" && isTheOrders && order.status !== "refunded") {
      problems.push(`payment ${p.id} is refunded but its order ${order.id} is ${order.status}`);
    }
  }
  for (const o of orders.filter((o) => o.status === "paid" || o.status === "refunded")) {
    const mine = payments.filter((p) => String(p.id) === String(o.paymentId));
    if (mine.length !== 1) problems.push(`${o.status} order ${o.id} has no payment`);
  }

  for (const table of ["order_outbox", "payment_outbox"]) {
    const [{ n }] = await select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${table} WHERE deliveredAt IS NULL`,
    );
    if (Number(n) > 0) problems.push(`${table} has ${n} undelivered messages`);
    const poisoned = await select<{ id: number; topic: string; lastError: string }>(
      `SELECT id, topic, lastError FROM ${table} WHERE deliveredAt IS NOT NULL AND lastError IS NOT NULL`,
    );
    for (const m of poisoned)
      problems.push(`${table} #${m.id} ${m.topic} was set aside: ${m.lastError}`);
  }

  if (report) {
    for (const id of report.confirmedPaid) {
      const status = byId.get(id)?.status;
      if (status !== "paid" && !(status === "refunded" && report.cancelAsked.has(id))) {
        problems.push(`order ${id} was confirmed paid but is ${byId.get(id)?.status}`);
      }
    }
    for (const id of report.confirmedRefunded) {
      if (byId.get(id)?.status !== "refunded") {
        problems.push(`order ${id} was confirmed refunded but is ${byId.get(id)?.status}`);
      }
    }
    for (const id of report.orders) {
      if (!byId.has(id)) problems.push(`order ${id} was answered to a client but does not exist`);
    }
  }
  return problems;
}

/** Polls the invariants until they hold or `timeoutMs` passes; returns the last problems. */
export async function settle(
  check: () => Promise<string[]>,
  timeoutMs: number,
): Promise<{ problems: string[]; ms: number }> {
  const started = Date.now();
  let problems: string[] = [];
  while (Date.now() - started < timeoutMs) {
    try {
      problems = await check();
    } catch (err) {
      problems = [`cannot check yet: ${(err as Error).message}`];
    }
    if (problems.length === 0) break;
    await sleep(1_000);
  }
  return { problems, ms: Date.now() - started };
}
