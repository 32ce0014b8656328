import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Sequelize } from "sequelize";
import { connectDatabase, createSequelize } from "../../lib/db.ts";
import { migrate } from "../../lib/migrate.ts";
import {
  finishRequest,
  purgeExpiredKeys,
  recordOutcome,
  startRequest,
  type IdempotencyDeps,
} from "../../lib/orders/idempotency-store.ts";
import { defineOrderModels } from "../../lib/orders/models.ts";

describe("idempotency keys in the database", () => {
  let dir: string;
  let sequelize: Sequelize;
  let deps: IdempotencyDeps;
  let n = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "idem-"));
    const url = `sqlite:${join(dir, "i.sqlite")}`;
    sequelize = createSequelize({ url });
    await connectDatabase(sequelize, url);
    await migrate(sequelize);
    const { IdempotencyKey } = defineOrderModels(sequelize);
    deps = { sequelize, IdempotencyKey, lockMs: 300, waitMs: 100, retentionMs: 60_000 };
  });
  after(async () => {
    await sequelize.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (over: Partial<{ scope: string; requestHash: string }> = {}) => ({
    // Padded after a separator: "scope-1" and "scope-10" must not pad to the same scope.
    scope: `scope-${++n}-`.padEnd(64, "x"),
    userId: "1",
    route: "POST /checkout",
    requestHash: "a".repeat(64),
    ...over,
  });
  const typeOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return "none";
    } catch (err) {
      return (err as { type: string }).type;
    }
  };

  it("lets exactly one of concurrent duplicates run; the others get 409 in progress", async () => {
    const r = request();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => startRequest(deps, r)),
    );
    const runs = outcomes.filter((o) => o.status === "fulfilled" && o.value.kind === "run");
    assert.equal(runs.length, 1);
    for (const o of outcomes.filter((o) => o.status === "rejected")) {
      assert.equal((o as PromiseRejectedResult).reason.type, "IDEMPOTENCY_KEY_IN_PROGRESS");
    }
  });

  it("replays the stored outcome to a duplicate that waits for it", async () => {
    const r = request();
    const first = await startRequest(deps, r);
    assert.equal(first.kind, "run");
    const waiting = startRequest({ ...deps, waitMs: 2_000 }, r);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await finishRequest(deps, first.kind === "run" ? first.id : "", 201, { id: "42" });
    assert.deepEqual(await waiting, { kind: "replay", status: 201, body: { id: "42" } });
    assert.deepEqual(await startRequest(deps, r), {
      kind: "replay",
      status: 201,
      body: { id: "42" },
    });
  });

  it("answers 422 IDEMPOTENCY_KEY_REUSED to the same key with another request", async () => {
    const r = request();
    const first = await startRequest(deps, r);
    await finishRequest(deps, first.kind === "run" ? first.id : "", 201, {});
    assert.equal(
      await typeOf(startRequest(deps, { ...r, requestHash: "b".repeat(64) })),
      "IDEMPOTENCY_KEY_REUSED",
    );
  });

  it("releases the key after a server error, so that a retry runs again", async () => {
    const r = request();
    const first = await startRequest(deps, r);
    await finishRequest(deps, first.kind === "run" ? first.id : "", 503, {
      type: "PAYMENT_UNAVAILABLE",
    });
    assert.equal((await startRequest(deps, r)).kind, "run");
  });

  it("lets a retry take over a key whose request crashed, once its lock is over", async () => {
    const r = request();
    assert.equal((await startRequest(deps, r)).kind, "run");
    assert.equal(await typeOf(startRequest(deps, r)), "IDEMPOTENCY_KEY_IN_PROGRESS");
    await new Promise((resolve) => setTimeout(resolve, 350));
    const takeovers = await Promise.allSettled([startRequest(deps, r), startRequest(deps, r)]);
    assert.equal(
      takeovers.filter((t) => t.status === "fulfilled" && t.value.kind === "run").length,
      1,
      "one retry takes over",
    );
  });

  it("takes a key with its outcome in one write, once; the stored outcome replays", async () => {
    const r = request();
    const body = { type: "OUT_OF_STOCK", message: "Not enough stock" };
    const recorded = await Promise.all([1, 2, 3].map(() => recordOutcome(deps, r, 409, body)));
    assert.deepEqual(
      recorded.filter((x) => x),
      [true],
      "one of concurrent writers takes the key",
    );
    assert.deepEqual(await startRequest(deps, r), { kind: "replay", status: 409, body });
    assert.equal(await recordOutcome(deps, r, 422, {}), false, "the key is taken");
    assert.equal(
      await typeOf(startRequest(deps, { ...r, requestHash: "b".repeat(64) })),
      "IDEMPOTENCY_KEY_REUSED",
    );
  });

  it("does not take a key whose scope an order already carries, when asked not to", async () => {
    const r = request();
    await sequelize.query(
      "INSERT INTO orders (userId, status, currency, total, address, checkoutKey, expiresAt, " +
        "createdAt, updatedAt) VALUES (1, 'pending', 'CNY', 100, '{}', ?, ?, ?, ?)",
      { replacements: [r.scope, new Date(), new Date(), new Date()] },
    );
    assert.equal(await recordOutcome(deps, r, 422, {}, { unlessOrder: true }), false);
    assert.equal((await startRequest(deps, r)).kind, "run", "the key is still free");
    const other = request();
    assert.equal(await recordOutcome(deps, other, 422, {}, { unlessOrder: true }), true);
  });

  it("forgets outcomes past their retention", async () => {
    const short = { ...deps, retentionMs: 20 };
    const r = request();
    const first = await startRequest(short, r);
    await finishRequest(short, first.kind === "run" ? first.id : "", 201, { id: "1" });
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal((await startRequest(deps, r)).kind, "run", "an expired key is a new key");
    const other = request();
    const o = await startRequest(short, other);
    await finishRequest(short, o.kind === "run" ? o.id : "", 201, {});
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.ok((await purgeExpiredKeys(deps)) >= 1);
  });
});
