import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueryTypes, type Sequelize } from "sequelize";
import { connectDatabase, createSequelize } from "../../lib/db.ts";
import { migrate } from "../../lib/migrate.ts";
import { Outbox } from "../../lib/outbox/outbox.ts";
import { definePaymentModel } from "../../lib/payments/models.ts";
import { TEST_CARDS } from "../../lib/payments/processor.ts";
import {
  acknowledgeReport,
  charge,
  type ChargeParams,
  type PaymentsDeps,
} from "../../services/payments/charge.ts";

describe("payments.charge (the simulated processor)", () => {
  let dir: string;
  let sequelize: Sequelize;
  let deps: PaymentsDeps;
  let n = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "payments-"));
    const url = `sqlite:${join(dir, "p.sqlite")}`;
    sequelize = createSequelize({ url });
    await connectDatabase(sequelize, url);
    await migrate(sequelize);
    deps = {
      sequelize,
      Payment: definePaymentModel(sequelize),
      outbox: new Outbox(sequelize, { table: "payment_outbox", leaseMs: 1000 }),
      failureRate: 0,
      latencyMs: 0,
      reportDelayMs: 0,
    };
  });
  after(async () => {
    await sequelize.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const year = new Date().getUTCFullYear() + 1;
  const params = (over: Partial<ChargeParams> = {}): ChargeParams => ({
    orderId: "1",
    attemptId: `attempt-${++n}`,
    userId: "7",
    amount: 1999,
    currency: "CNY",
    card: { number: TEST_CARDS.success, expMonth: 12, expYear: year, cvv: "123" },
    ...over,
  });
  const fails = async (promise: Promise<unknown>, type: string, code: number) => {
    await assert.rejects(promise, (err: { type?: string; code?: number }) => {
      assert.equal(err.type, type);
      assert.equal(err.code, code);
      return true;
    });
  };

  it("captures with a good card, keeps only the last four digits, and reports the capture", async () => {
    const p = await charge(deps, params({ orderId: "100" }));
    assert.equal(p.status, "captured");
    assert.equal(p.cardLast4, "4242");
    assert.equal(p.cardBrand, "visa");
    assert.match(p.transactionId ?? "", /^txn_[0-9a-f]{24}$/);
    const rows = await sequelize.query("SELECT * FROM payments WHERE id = ?", {
      replacements: [p.id],
      type: QueryTypes.SELECT,
    });
    assert.ok(!JSON.stringify(rows).includes(TEST_CARDS.success));
    const messages = await deps.outbox.model.findAll();
    assert.ok(
      messages.some(
        (m) => m.topic === "payment.captured" && JSON.parse(m.payload).payment.id === p.id,
      ),
    );
  });

  it("does not send the report of a capture that its caller settled and acknowledged", async () => {
    await deps.outbox.relay(async () => undefined);
    const settled = await charge(deps, params({ orderId: "101" }));
    const unsettled = await charge(deps, params({ orderId: "102" }));
    assert.ok(settled.reportId && unsettled.reportId);
    await acknowledgeReport(deps, settled.reportId);
    await acknowledgeReport(deps, "999999"); // unknown: nothing happens
    const sent: string[] = [];
    await deps.outbox.relay(
      async (m) => void sent.push((m.payload as { payment: { orderId: string } }).payment.orderId),
    );
    assert.deepEqual(sent, ["102"], "only the unacknowledged capture is reported");
    const retry = await charge(deps, params({ orderId: "101", attemptId: settled.attemptId }));
    assert.equal(retry.id, settled.id);
    assert.equal(retry.reportId, undefined, "a retry's answer carries no new report");
  });

  it("records declines, with their reason, and reports nothing", async () => {
    const before = await deps.outbox.model.count();
    const declined = await charge(
      deps,
      params({ card: { ...params().card, number: TEST_CARDS.declined } }),
    );
    assert.equal(declined.status, "declined");
    assert.equal(declined.declineCode, "PAYMENT_DECLINED");
    assert.equal(declined.transactionId, null);
    const poor = await charge(
      deps,
      params({ card: { ...params().card, number: TEST_CARDS.insufficientFunds } }),
    );
    assert.equal(poor.declineCode, "INSUFFICIENT_FUNDS");
    assert.equal(await deps.outbox.model.count(), before);
  });

  it("refuses bad cards with 422 and records nothing", async () => {
    const count = await deps.Payment.count();
    await fails(
      charge(deps, params({ card: { ...params().card, number: "4242424242424241" } })),
      "INVALID_CARD_NUMBER",
      422,
    );
    await fails(
      charge(deps, params({ card: { ...params().card, expYear: 2001 } })),
      "CARD_EXPIRED",
      422,
    );
    await fails(charge(deps, params({ card: { ...params().card, cvv: "1" } })), "INVALID_CVV", 422);
    assert.equal(await deps.Payment.count(), count);
  });

  it("answers every retry of an attempt with its first result, even concurrently", async () => {
    const attempt = params();
    const results = await Promise.all(Array.from({ length: 10 }, () => charge(deps, attempt)));
    assert.equal(new Set(results.map((r) => r.id)).size, 1);
    assert.equal(await deps.Payment.count({ where: { attemptId: attempt.attemptId } }), 1);
    // A retry with another card still gets the first result: the attempt is what counts.
    const again = await charge(deps, {
      ...attempt,
      card: { ...attempt.card, number: TEST_CARDS.declined },
    });
    assert.equal(again.id, results[0].id);
    assert.equal(again.status, "captured");
  });

  it("refuses to reuse an attempt for another order or amount (409)", async () => {
    const attempt = params();
    await charge(deps, attempt);
    await fails(charge(deps, { ...attempt, amount: 1 }), "PAYMENT_ATTEMPT_MISMATCH", 409);
    await fails(charge(deps, { ...attempt, orderId: "2" }), "PAYMENT_ATTEMPT_MISMATCH", 409);
  });

  it("fails with 503 PAYMENT_UNAVAILABLE at PAYMENT_FAILURE_RATE, charging nothing", async () => {
    const count = await deps.Payment.count();
    const down = { ...deps, failureRate: 1 };
    await fails(charge(down, params()), "PAYMENT_UNAVAILABLE", 503);
    const half = { ...deps, failureRate: 0.5 };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, () => charge(half, params())),
    );
    const ok = outcomes.filter((o) => o.status === "fulfilled").length;
    assert.ok(ok > 5 && ok < 35, `about half succeed (${ok}/40)`);
    assert.equal(await deps.Payment.count(), count + ok);
  });

  it("takes PAYMENT_LATENCY_MS, and captures nothing once the caller's deadline has passed", async () => {
    const slow = { ...deps, latencyMs: 150 };
    const started = Date.now();
    await charge(slow, params());
    assert.ok(Date.now() - started >= 140);
    const count = await deps.Payment.count();
    await fails(charge(slow, params({ notAfter: Date.now() + 50 })), "PAYMENT_UNAVAILABLE", 503);
    assert.equal(await deps.Payment.count(), count);
  });
});
