/**
 * The order state machine as it runs: every (status, event) pair of the table, the guarded update
 * each event makes (lib/orders/state.ts), `applyTransition` applying it to a real orders table
 * (SQLite), and a scan of the source tree that no order status is written anywhere else.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { Sequelize } from "sequelize";
import { connectDatabase, createSequelize } from "../../lib/db.ts";
import { migrate } from "../../lib/migrate.ts";
import { defineOrderModels, type OrderModels } from "../../lib/orders/models.ts";
import { applyTransition, insertOrder } from "../../lib/orders/order-rows.ts";
import {
  EVENTS,
  INITIAL_STATUS,
  nextStatus,
  ORDER_EVENTS,
  ORDER_STATUSES,
  PUBLIC_STATUSES,
  transition,
  type OrderEvent,
  type OrderStatus,
} from "../../lib/orders/state.ts";
import { transaction } from "../../lib/transactions.ts";

/** What each event does from each status; every pair not listed is a refusal. */
const EXPECTED: Record<OrderEvent, Partial<Record<OrderStatus, OrderStatus>>> = {
  reserved: { reserving: "pending" },
  reserveFailed: { reserving: "failed" },
  paid: { pending: "paid" },
  cancel: { pending: "cancelled" },
  expire: { pending: "cancelled" },
  refund: { paid: "refunded" },
  ship: { paid: "shipped" },
  complete: { shipped: "completed" },
};

describe("the order state machine's table", () => {
  it("has exactly the events of the expected table", () => {
    assert.deepEqual([...ORDER_EVENTS].sort(), Object.keys(EXPECTED).sort());
  });

  for (const event of Object.keys(EXPECTED) as OrderEvent[]) {
    for (const from of ORDER_STATUSES) {
      const to = EXPECTED[event][from];
      it(`${event} from ${from}: ${to ?? "refused"}`, () => {
        assert.equal(nextStatus(from, event), to);
        const t = transition(event, from);
        assert.equal(t?.to, to);
        if (t) assert.deepEqual(t.metric, { from, to });
      });
    }
  }

  it("guards each update by the event's source statuses", () => {
    for (const event of ORDER_EVENTS) {
      const sources = Object.keys(EXPECTED[event]).sort();
      assert.deepEqual([...transition(event)!.from].sort(), sources, event);
    }
  });

  it("stamps the columns of each event with its time, and always updatedAt", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const set = (event: OrderEvent) => transition(event, undefined, now)!.set;
    assert.deepEqual(set("reserved"), { updatedAt: now });
    assert.deepEqual(set("reserveFailed"), { closedAt: now, updatedAt: now });
    assert.deepEqual(set("paid"), { paidAt: now, updatedAt: now });
    assert.deepEqual(set("cancel"), {
      cancelReason: "customer",
      payingUntil: null,
      closedAt: now,
      updatedAt: now,
    });
    assert.deepEqual(set("expire"), {
      cancelReason: "expired",
      payingUntil: null,
      closedAt: now,
      updatedAt: now,
    });
    assert.deepEqual(set("refund"), { cancelReason: "customer", closedAt: now, updatedAt: now });
    assert.deepEqual(set("ship"), { shippedAt: now, updatedAt: now });
    assert.deepEqual(set("complete"), { closedAt: now, completedAt: now, updatedAt: now });
  });

  it("labels the transition metric from → to (the source set when the status is not known)", () => {
    assert.deepEqual(transition("refund")!.metric, { from: "paid", to: "refunded" });
    assert.deepEqual(transition("ship", "paid")!.metric, { from: "paid", to: "shipped" });
  });

  it("derives the public statuses: every status but the checkout's internal ones", () => {
    assert.deepEqual(
      [...PUBLIC_STATUSES],
      ["pending", "paid", "shipped", "completed", "cancelled", "refunded"],
    );
    assert.equal(INITIAL_STATUS, "reserving");
    // Every status is reached by some event, or is where an order starts.
    const reached = new Set(Object.values(EVENTS).map((e) => e.to as string));
    for (const s of ORDER_STATUSES) assert.ok(s === INITIAL_STATUS || reached.has(s), s);
  });
});

describe("applyTransition on the orders table", () => {
  let dir: string;
  let sequelize: Sequelize;
  let models: OrderModels;
  let n = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "order-state-"));
    const url = `sqlite:${join(dir, "o.sqlite")}`;
    sequelize = createSequelize({ url });
    await connectDatabase(sequelize, url);
    await migrate(sequelize);
    models = defineOrderModels(sequelize);
  });
  after(async () => {
    await sequelize.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A new order (`reserving`), moved on by `events`. */
  async function orderAfter(...events: OrderEvent[]): Promise<string> {
    const order = await transaction(sequelize, (t) =>
      insertOrder(
        sequelize,
        models.Order,
        t,
        {
          userId: "1",
          currency: "CNY",
          total: 100,
          address: { name: "a", phone: "1", city: "c", line1: "l", country: "CN" },
          email: null,
          checkoutKey: `state-${++n}`,
          expiresAt: new Date(Date.now() + 60_000),
        },
        [{ productId: "1", quantity: 1, name: "p", price: 100, currency: "CNY" }],
      ),
    );
    for (const event of events) {
      assert.ok(await apply(order.id, event), `${event} applies`);
    }
    return order.id;
  }
  const apply = (id: string, event: OrderEvent, opts = {}) =>
    transaction(sequelize, (t) => applyTransition(sequelize, t, id, event, opts));
  const statusOf = async (id: string) => (await models.Order.findByPk(id))!.status;

  /** The events that lead from a new order to each status. */
  const PATHS: Record<OrderStatus, OrderEvent[]> = {
    reserving: [],
    failed: ["reserveFailed"],
    pending: ["reserved"],
    paid: ["reserved", "paid"],
    shipped: ["reserved", "paid", "ship"],
    completed: ["reserved", "paid", "ship", "complete"],
    cancelled: ["reserved", "cancel"],
    refunded: ["reserved", "paid", "refund"],
  };

  it("applies each allowed pair and refuses every other, leaving the row as it was", async () => {
    for (const from of ORDER_STATUSES) {
      for (const event of ORDER_EVENTS) {
        const id = await orderAfter(...PATHS[from]);
        assert.equal(await statusOf(id), from);
        const changes = await apply(id, event);
        const to = EXPECTED[event][from];
        assert.equal(changes?.status, to, `${event} from ${from}`);
        assert.equal(await statusOf(id), to ?? from, `${event} from ${from}`);
      }
    }
  });

  it("writes the event's stamps and the caller's columns (objects as JSON) with the status", async () => {
    const id = await orderAfter("reserved");
    const now = new Date("2031-02-03T04:05:06.789Z");
    const payment = { id: "pay_1", status: "captured" };
    const changes = await apply(id, "paid", {
      now,
      set: { paymentId: "pay_1", payment, payingAttempt: "att", payingUntil: null },
    });
    assert.equal(changes?.status, "paid");
    const row = (await models.Order.findByPk(id))!;
    assert.equal(row.paidAt?.toISOString(), now.toISOString());
    assert.equal(row.updatedAt.toISOString(), now.toISOString());
    assert.equal(row.paymentId, "pay_1");
    assert.deepEqual(row.payment, payment);
    assert.equal(row.payingAttempt, "att");
    assert.equal(row.closedAt, null);
  });

  it("applies only when the caller's further conditions hold too", async () => {
    const id = await orderAfter("reserved");
    const due = { sql: "expiresAt <= ?", values: [new Date()] };
    assert.equal(await apply(id, "expire", { where: due }), undefined, "not due yet");
    assert.equal(await statusOf(id), "pending");
    const later = { sql: "expiresAt <= ?", values: [new Date(Date.now() + 120_000)] };
    assert.equal((await apply(id, "expire", { where: later }))?.status, "cancelled");
    const row = (await models.Order.findByPk(id))!;
    assert.equal(row.cancelReason, "expired");
    assert.ok(row.closedAt);
  });
});

/** Where the source writes an order's status other than through lib/orders/state.ts. */
export function statusWrites(source: string): string[] {
  const found: string[] = [];
  const statuses = ORDER_STATUSES.join("|");
  // Raw SQL: a status in the SET list of an UPDATE of orders.
  for (const m of source.matchAll(/UPDATE\s+orders\s+SET([\s\S]*?)WHERE/gi)) {
    if (/\bstatus\s*=/.test(m[1])) found.push(m[0]);
  }
  // Raw SQL: a status literal in an INSERT into orders.
  for (const m of source.matchAll(/INSERT\s+INTO\s+orders\b[\s\S]{0,400}?\)[\s\S]{0,400}?\)/gi)) {
    if (new RegExp(`'(${statuses})'`).test(m[0])) found.push(m[0]);
  }
  // Models: a status among the values of Order.update/create/… or an order instance's set/update.
  const model = /\b(?:Orders?|order)\.(?:update|create|bulkCreate|upsert|set)\(\s*\{([^}]*)\}/g;
  for (const m of source.matchAll(model)) {
    if (/\bstatus\b/.test(m[1])) found.push(m[0]);
  }
  // An assignment to an order's status.
  for (const m of source.matchAll(/\b\w*[oO]rder\w*\.status\s*=(?!=)/g)) found.push(m[0]);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

describe("order status writes", () => {
  const root = join(import.meta.dirname, "..", "..");

  it("recognises the hand-written transitions this replaced", () => {
    const old = [
      `"UPDATE orders SET status = 'paid', paymentId = ?, payment = ?, paidAt = ?, " +
      "payingAttempt = ?, payingUntil = NULL, updatedAt = ? WHERE id = ? AND status = 'pending'"`,
      `"INSERT INTO orders (userId, status, currency) VALUES (?, 'reserving', ?)"`,
      `deps.models.Order.update(
        { status: "failed", closedAt: new Date() },
        { where: { id: orderId, status: "reserving" }, transaction: t },
      );`,
      `Order.update({ status, closedAt: now }, { where })`,
      `order.status = "shipped";`,
    ];
    for (const code of old) assert.equal(statusWrites(code).length, 1, code);
    const fine = [
      `"SELECT COUNT(*) AS n FROM orders WHERE userId = ? AND status = 'pending'"`,
      `Order.update({ address }, { where: { id, status: "pending" }, transaction: t })`,
      `Payment.update({ status: "refunded" }, { where: { id } })`,
      `"UPDATE idempotency_keys SET status = 'completed' WHERE id = ?"`,
      "`UPDATE orders SET ${columns.join(', ')} WHERE id = ? AND status IN (${marks})`",
      `if (order.status === "paid") return;`,
    ];
    for (const code of fine) assert.deepEqual(statusWrites(code), [], code);
  });

  it("happen only through lib/orders/state.ts (applyTransition), nowhere in lib/ or services/", () => {
    const files = [...sourceFiles(join(root, "lib")), ...sourceFiles(join(root, "services"))];
    assert.ok(files.length > 50, "the tree was scanned");
    const offenders = files
      .filter((f) => !f.endsWith(join("lib", "orders", "state.ts")))
      .flatMap((f) =>
        statusWrites(readFileSync(f, "utf8")).map((w) => `${relative(root, f)}: ${w}`),
      );
    assert.deepEqual(offenders, []);
  });
});
