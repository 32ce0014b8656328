/**
 * A periodic background task that never overlaps itself and stops cleanly: `stop()` waits for the
 * running round, so a node does not close its database under a relay or sweeper.
 */

export interface Loop {
  /** Runs one round now (after the current one, if any). */
  kick(): void;
  stop(): Promise<void>;
}

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
      onError(err);
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
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

/** ±20 %, so that the loops of several nodes drift apart instead of firing together. */
function jitter(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}
