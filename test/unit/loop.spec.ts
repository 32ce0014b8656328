/** lib/loop.ts: periodic background work that never overlaps and stops cleanly. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { startLoop } from "../../lib/loop.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("startLoop", () => {
  it("never runs two rounds at once, and stop() waits for the running one", async () => {
    let active = 0;
    let most = 0;
    let done = 0;
    const loop = startLoop(
      async () => {
        active += 1;
        most = Math.max(most, active);
        await sleep(30);
        active -= 1;
        done += 1;
      },
      1,
      () => undefined,
    );
    for (let i = 0; i < 5; i++) {
      loop.kick();
      await sleep(5);
    }
    await eventually(() => done >= 2);
    await loop.stop();
    assert.equal(active, 0, "the running round finished before stop() resolved");
    assert.equal(most, 1);
  });

  it("does not wait past its grace for a round stuck on a call that will time out", async () => {
    let started = false;
    const errors: unknown[] = [];
    let fail: (err: Error) => void = () => undefined;
    const loop = startLoop(
      () =>
        new Promise((_, reject) => {
          started = true;
          fail = reject;
        }),
      1,
      (err) => errors.push(err),
    );
    await eventually(() => started);
    const t0 = Date.now();
    await loop.stop(100);
    assert.ok(Date.now() - t0 < 5_000, "stop() returned after its grace");
    // The stuck call fails later (its transporter is gone): not reported as a failure.
    fail(new Error("DISCONNECT"));
    await sleep(10);
    assert.deepEqual(errors, []);
  });
});

async function eventually(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await sleep(10);
  assert.ok(ok());
}
