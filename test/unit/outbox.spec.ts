import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Sequelize } from "sequelize";
import { connectDatabase, createSequelize } from "../../lib/db.ts";
import { transaction } from "../../lib/transactions.ts";
import {
  createOutboxTable,
  Outbox,
  Undeliverable,
  type OutboxMessage,
} from "../../lib/outbox/outbox.ts";

describe("the transactional outbox", () => {
  let dir: string;
  let sequelize: Sequelize;
  let outbox: Outbox;
  const quiet = { warn() {}, error() {} };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "outbox-"));
    const url = `sqlite:${join(dir, "outbox.sqlite")}`;
    sequelize = createSequelize({ url });
    await connectDatabase(sequelize, url);
    await createOutboxTable(sequelize.getQueryInterface(), "test_outbox");
  });
  after(async () => {
    await sequelize.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    outbox = new Outbox(sequelize, { table: "test_outbox", leaseMs: 200, logger: quiet });
    await outbox.model.destroy({ where: {} });
  });

  const collect = () => {
    const seen: OutboxMessage[] = [];
    return { seen, deliver: async (m: OutboxMessage) => void seen.push(m) };
  };

  it("relays a message exactly when its transaction commits", async () => {
    await transaction(sequelize, (t) => outbox.add(t, "kept", { n: 1 }));
    await transaction(sequelize, async (t) => {
      await outbox.add(t, "rolled-back", { n: 2 });
      throw new Error("abort");
    }).catch(() => undefined);
    const { seen, deliver } = collect();
    assert.equal(await outbox.relay(deliver), 1);
    assert.deepEqual(
      seen.map((m) => [m.topic, m.payload]),
      [["kept", { n: 1 }]],
    );
    assert.equal(await outbox.relay(deliver), 0, "an acknowledged message is not sent again");
    assert.equal(await outbox.undelivered(), 0);
  });

  it("holds a delayed message until it is due", async () => {
    await transaction(sequelize, (t) => outbox.add(t, "later", {}, 300));
    const { seen, deliver } = collect();
    assert.equal(await outbox.relay(deliver), 0);
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(await outbox.relay(deliver), 1);
    assert.equal(seen.length, 1);
  });

  it("retries a failing consumer until it acknowledges", async () => {
    await transaction(sequelize, (t) => outbox.add(t, "flaky", {}));
    let calls = 0;
    const deliver = async () => {
      calls++;
      if (calls < 3) throw new Error("service down");
    };
    const deadline = Date.now() + 10_000;
    while ((await outbox.undelivered()) > 0 && Date.now() < deadline) {
      await outbox.relay(deliver);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(calls, 3);
    assert.equal(await outbox.undelivered(), 0);
    const row = await outbox.model.findOne();
    assert.equal(row?.attempts, 3);
  });

  it("sets an undeliverable message aside with its error instead of retrying it", async () => {
    await transaction(sequelize, (t) => outbox.add(t, "poison", {}));
    let calls = 0;
    await outbox.relay(async () => {
      calls++;
      throw new Undeliverable("refused for good");
    });
    await outbox.relay(async () => void calls++);
    assert.equal(calls, 1);
    const row = await outbox.model.findOne();
    assert.ok(row?.deliveredAt);
    assert.match(row?.lastError ?? "", /refused for good/);
  });

  it("gives each message to one relay at a time, and to another once a lease runs out", async () => {
    await transaction(sequelize, async (t) => {
      await outbox.add(t, "a", {});
      await outbox.add(t, "b", {});
    });
    const other = new Outbox(sequelize, { table: "test_outbox", leaseMs: 200, logger: quiet });
    const seen: string[] = [];
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    // The first relay claims both and hangs (as if its node froze).
    const first = outbox.relay(async (m) => {
      seen.push(`first:${m.topic}`);
      await stuck;
      throw new Error("node died");
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await other.relay(async (m) => void seen.push(`other:${m.topic}`)), 0);
    assert.deepEqual(seen.sort(), ["first:a", "first:b"]);
    // Past the lease, the other relay takes them over.
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(await other.relay(async (m) => void seen.push(`other:${m.topic}`)), 2);
    release();
    await first;
    assert.deepEqual(seen.sort(), ["first:a", "first:b", "other:a", "other:b"]);
    assert.equal(
      await outbox.undelivered(),
      0,
      "the late failure of the first relay changes nothing",
    );
  });

  it("lets the writer deliver its own message at once, unseen by relays, and records it", async () => {
    const owned = await transaction(sequelize, (t) => outbox.addOwned(t, "mine", { n: 7 }));
    assert.equal(await outbox.relay(collect().deliver), 0, "no relay takes it during the lease");
    const { seen, deliver } = collect();
    await outbox.deliverOwned([owned], deliver);
    assert.deepEqual(
      seen.map((m) => [m.topic, m.payload]),
      [["mine", { n: 7 }]],
    );
    assert.equal(await outbox.undelivered(), 0);
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(await outbox.relay(deliver), 0, "delivered once: not again after the lease");
  });

  it("leaves an owned message to the relays when its writer fails or dies", async () => {
    const [failed, orphan] = await transaction(sequelize, async (t) => [
      await outbox.addOwned(t, "fails", {}),
      await outbox.addOwned(t, "orphan", {}),
    ]);
    await outbox.deliverOwned([failed], async () => {
      throw new Error("carts are down");
    });
    assert.equal(await outbox.undelivered(), 2);
    assert.match((await outbox.model.findByPk(failed.id))?.lastError ?? "", /carts are down/);
    // The failure is retried after a back-off; the orphan (its writer died) once the lease ends.
    await new Promise((r) => setTimeout(r, 450));
    const { seen, deliver } = collect();
    assert.equal(await outbox.relay(deliver), 2);
    assert.deepEqual(seen.map((m) => m.topic).sort(), ["fails", "orphan"]);
    assert.equal(orphan.attempts, 0);
    assert.equal(await outbox.undelivered(), 0);
  });

  it("purges acknowledged messages past their retention only", async () => {
    await transaction(sequelize, async (t) => {
      await outbox.add(t, "old", {});
      await outbox.add(t, "pending", {}, 60_000);
    });
    await outbox.relay(async () => undefined);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(await outbox.purgeDelivered(10), 1);
    assert.equal(await outbox.model.count(), 1);
  });
});
