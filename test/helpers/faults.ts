/**
 * Fault injection for tests: a Moleculer middleware that adds latency to (or fails) the actions
 * of chosen services while switched on. Registered as a user middleware, it sits inside the
 * cacher, timeout and retry middlewares, as a slow database or a broken handler would.
 */
import type { Middleware } from "moleculer";

export class FaultSwitch {
  latencyMs = 0;
  failWith: Error | undefined;
  readonly services: readonly string[];

  constructor(services: readonly string[]) {
    this.services = services;
  }

  middleware(): Middleware {
    const hit = (name: string) => this.services.some((s) => name.startsWith(`${s}.`));
    return {
      name: "FaultInjection",
      localAction: (next: (ctx: unknown) => Promise<unknown>, action: { name: string }) => {
        if (!hit(action.name)) return next;
        return async (ctx: unknown) => {
          if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
          if (this.failWith) throw this.failWith;
          return next(ctx);
        };
      },
    } as unknown as Middleware;
  }
}
