/**
 * Fault injection for tests: a Moleculer middleware that adds latency to (or fails) the actions
 * of chosen services while switched on. Registered as a user middleware, it sits inside the
 * cacher, timeout and retry middlewares, as a slow database or a broken handler would.
 */
import type { Middleware } from "moleculer";

export class FaultSwitch {
  private latency = 0;
  private waiting = new Set<() => void>();
  failWith: Error | undefined;
  readonly services: readonly string[];

  constructor(services: readonly string[]) {
    this.services = services;
  }

  get latencyMs(): number {
    return this.latency;
  }

  /** Setting 0 also ends the delays in progress, so nothing is left running after a test. */
  set latencyMs(ms: number) {
    this.latency = ms;
    if (ms === 0) {
      for (const wake of this.waiting) wake();
      this.waiting.clear();
    }
  }

  private delay(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.latency);
      this.waiting.add(wake);
    });
  }

  middleware(): Middleware {
    const hit = (name: string) => this.services.some((s) => name.startsWith(`${s}.`));
    return {
      name: "FaultInjection",
      localAction: (next: (ctx: unknown) => Promise<unknown>, action: { name: string }) => {
        if (!hit(action.name)) return next;
        return async (ctx: unknown) => {
          if (this.latency > 0) await this.delay();
          if (this.failWith) throw this.failWith;
          return next(ctx);
        };
      },
    } as unknown as Middleware;
  }
}
