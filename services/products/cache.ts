/**
 * Cleaning the products service's cached answers after a write: here at once, on every other
 * node through the `cache.clean.products` broadcast (nodes with a memory cacher each hold their
 * own copies), and here once more a moment later, because a read that started before the write
 * may store its stale answer after the first clean.
 */
import type { Cachers, ServiceBroker } from "moleculer";

export const CACHE_CLEAN_EVENT = "cache.clean.products";
const SECOND_CLEAN_MS = 1_000;

/** Which cached answers a write makes stale. */
export type CacheChange =
  /** Products added, changed or deleted: every catalog answer (lists, counts, categories). */
  | { scope: "catalog" }
  /** Only stock moved: those products' details and the lists that show their stock. */
  | { scope: "stock"; productIds: string[] };

export interface CacheCleanPayload {
  change: CacheChange;
  /** The node that already cleaned its own cacher. */
  origin: string;
}

/** The cache keys of a product's detail, as Moleculer builds them from `keys: ["id"]`. */
export function detailKeys(id: string): string[] {
  // A string param is quoted in the key; a caller passing a number gets the unquoted form.
  return [`products.get:"${id}"`, `products.get:${id}`];
}

/** Removes the answers a change makes stale from one node's cacher. */
export async function cleanLocal(
  cacher: Cachers.Base<any> | null | undefined,
  change: CacheChange,
): Promise<void> {
  if (!cacher) return;
  if (change.scope === "catalog") {
    await cacher.clean("products.**");
    return;
  }
  await cacher.del(change.productIds.flatMap(detailKeys));
  await cacher.clean("products.list:**");
}

export class CacheCleaner {
  private readonly broker: ServiceBroker;
  private timer: NodeJS.Timeout | undefined;
  /** What the second clean will remove: everything, or these products' details and the lists. */
  private pendingAll = false;
  private readonly pendingIds = new Set<string>();

  constructor(broker: ServiceBroker) {
    this.broker = broker;
  }

  async clean(change: CacheChange): Promise<void> {
    await cleanLocal(this.broker.cacher, change);
    const payload: CacheCleanPayload = { change, origin: this.broker.nodeID };
    await this.broker.broadcast(CACHE_CLEAN_EVENT, payload);
    this.scheduleSecondClean(change);
  }

  /** Drops the pending second clean (the node is stopping; its cacher is closing). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private scheduleSecondClean(change: CacheChange): void {
    if (change.scope === "catalog") this.pendingAll = true;
    else for (const id of change.productIds) this.pendingIds.add(id);
    // One timer however many writes: under checkout load stock changes come in bursts.
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const again: CacheChange = this.pendingAll
        ? { scope: "catalog" }
        : { scope: "stock", productIds: [...this.pendingIds] };
      this.pendingAll = false;
      this.pendingIds.clear();
      cleanLocal(this.broker.cacher, again).catch(() => undefined);
    }, SECOND_CLEAN_MS);
    this.timer.unref();
  }
}
