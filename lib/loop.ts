/**
 * A periodic background task that never overlaps itself and stops cleanly: `stop()` waits for the
 * running round, so a node does not close its database under a relay or sweeper; but no longer
 * than its grace: a round stuck on a call to a node that is gone (the transporter closed first)
 * would otherwise hold the stop for the whole call timeout. Work left undone stays in the outbox
 * or table it came from, and another node (or this one, restarted) does it.
 */

export interface Loop {
  /** Runs one round now (after the current one, if any). */
  kick(): void;
  /** Stops; waits for the running round, at most `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** How long a stop waits for a running round. */
export const STOP_GRACE_MS = 2_000;

export function startLoop(
  work: () => Promise<unknown>,
  intervalMs: number,
  onError: (err: unknown) => void,
): Loop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let again = false;

  const round = async () => {
    timer = undefined;
    if (stopped) return;
    try {
      await work();
    } catch (err) {
      // A round cut short by the stop (its transporter or database closed) is expected.
      if (!stopped) onError(err);
    }
  };
  const schedule = (delay: number) => {
    if (stopped || timer || running) return;
    timer = setTimeout(() => {
      running = round().finally(() => {
        running = undefined;
        const next = again ? 0 : jitter(intervalMs);
        again = false;
        schedule(next);
      });
    }, delay);
  };
  schedule(jitter(intervalMs));

  return {
    kick() {
      if (running) {
        again = true;
        return;
      }
      if (timer) clearTimeout(timer);
      timer = undefined;
      schedule(0);
    },
    async stop(graceMs = STOP_GRACE_MS) {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (!running) return;
      let wait: NodeJS.Timeout | undefined;
      await Promise.race([
        running,
        new Promise<void>((resolve) => {
          wait = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(wait);
    },
  };
}

/** ±20 %, so that the loops of several nodes drift apart instead of firing together. */
function jitter(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}
