import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { hashPassword } from "../../lib/auth/passwords.ts";
import {
  HASH_THREAD_NICE,
  lowerPoolPriority,
  poolThreadIds,
} from "../../lib/auth/hash-priority.ts";

/** A thread's nice value, from /proc/self/task/<tid>/stat (field 19). */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}

describe("password hashing threads", { skip: process.platform !== "linux" }, () => {
  it("lowers libuv's pool threads below the event loop, and only them", async () => {
    await hashPassword("start the pool");
    const pool = poolThreadIds();
    assert.ok(pool.length >= 1, "the pool has started");
    assert.ok(!pool.includes(process.pid), "the main thread is not one of them");
    const loopNice = niceOf(process.pid);
    assert.equal(lowerPoolPriority(), pool.length);
    for (const tid of pool) assert.equal(niceOf(tid), HASH_THREAD_NICE, `thread ${tid}`);
    assert.equal(niceOf(process.pid), loopNice, "the event loop keeps its priority");
    // Hashing still works on the lowered threads.
    assert.match(await hashPassword("still hashing"), /^\$argon2id\$/);
  });
});
