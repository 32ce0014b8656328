/**
 * Password hashes run on libuv's thread pool, beside the event loop. When a node has fewer free
 * cores than busy threads (a container with one or two, the bench's pinned core), a login flood's
 * hashes take CPU time from the loop that answers every other call: the bulkhead bounds how many
 * hash at once, not what each costs the others. On Linux a thread's nice value is its own, so the
 * pool's threads are lowered below the loop's: hashing then gets what the loop leaves (and still
 * all of an idle core). Logins slow down under load first, which is the point of the bulkhead.
 *
 * Only where the pool does nothing else that others wait for: not with SQLite (its queries run
 * on the same pool). Elsewhere (not Linux, no /proc) it does nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { setPriority } from "node:os";

/** Nice 10: CFS weight 110 against the loop's 1024, so ~10 % of a core the loop wants. */
export const HASH_THREAD_NICE = 10;

/** libuv's pool threads of this process (Linux: named "libuv-worker"), as thread ids. */
export function poolThreadIds(): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync("/proc/self/task");
  } catch {
    return [];
  }
  return tasks.flatMap((tid) => {
    try {
      const name = readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim();
      return name === "libuv-worker" ? [Number(tid)] : [];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

/**
 * Lowers the pool's threads to HASH_THREAD_NICE; returns how many. libuv starts its threads at
 * the pool's first use, so call it after one (a hash at start-up).
 */
export function lowerPoolPriority(nice = HASH_THREAD_NICE): number {
  let lowered = 0;
  for (const tid of poolThreadIds()) {
    try {
      setPriority(tid, nice);
      lowered += 1;
    } catch {
      // Not allowed or gone: the thread keeps its priority.
    }
  }
  return lowered;
}
