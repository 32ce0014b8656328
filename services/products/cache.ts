/**
 * Cleaning the products service's cached answers after a write: here at once, on every other
 * node through the `cache.clean.products` broadcast (nodes with a memory cacher each hold their
 * own copies), and here once more a moment later, because a read that started before the write
 * may store its stale answer after the first clean.
 */
import { randomUUID } from "node:crypto";
import type { ServiceBroker } from "moleculer";
import type { Anchors } from "../../lib/products/anchors.ts";

export const CACHE_CLEAN_EVENT = "cache.clean.products";
const SECOND_CLEAN_MS = 1_000;

/** Which cached answers a write makes stale. */
export type CacheChange =
  /** Products added, changed or deleted: every catalog answer (lists, counts, categories, anchors). */
  | { scope: "catalog" }
  /** Only stock moved: those products' details and the lists that show their stock. */
  | { scope: "stock"; productIds: string[] };

export interface CacheCleanPayload {
  change: CacheChange;
  /** The node that already cleaned its own cacher. */
  origin: string;
}

/** The languages a product's detail is cached in (`lang` absent: Chinese, as `zh`). */
const DETAIL_LANGS = ["undefined", '"zh"', '"en"'];

/** The cache keys of a product's detail, as Moleculer builds them from `keys: ["id", "lang"]`. */
export function detailKeys(id: string): string[] {
  // A string param is quoted in the key; a caller passing a number gets the unquoted form.
  return [`"${id}"`, id].flatMap((key) => DETAIL_LANGS.map((l) => `products.get:${key}|${l}`));
}

/** The cached pages of products.list and products.listText (its JSON text). */
const LIST_KEYS = ["products.list:**", "products.listText:**"];

/** Removes the answers a change makes stale from one node's cacher. */
export async function cleanLocal(
  cacher: ServiceBroker["cacher"] | null,
  change: CacheChange,
): Promise<void> {
  if (!cacher) return;
  if (change.scope === "catalog") {
    await cacher.clean("products.**");
    return;
  }
  await cacher.del(change.productIds.flatMap(detailKeys));
  await cacher.clean(LIST_KEYS);
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

/**
 * The token under which a list's anchors (lib/products/anchors.ts) are valid. Like the anchors it
 * lives under `products.`, so every catalog clean removes it; stock cleans leave both alone (stock
 * changes no list's order). Anchors are stored with the token read before their scan began and
 * used only while that token is the current one: anchors computed from rows read before a write,
 * stored after that write's clean (the race the second clean exists for), carry a token that is
 * gone, and are computed again instead of giving a page the wrong rows.
 */
export const ANCHOR_TOKEN_KEY = "products.anchors.token";
/** Anchors unused for this long leave the cache (an arbitrary price range's, say). */
const ANCHOR_TTL = 600;

interface StoredAnchors {
  token: string;
  anchors: Anchors;
}

export class AnchorCache {
  private readonly broker: ServiceBroker;
  /** Scans running on this node, by token and list: concurrent first readers share one. */
  private readonly computing = new Map<string, Promise<Anchors>>();

  constructor(broker: ServiceBroker) {
    this.broker = broker;
  }

  /** A list's anchors, computed when missing or stale; undefined without a cacher. */
  async get(list: string, compute: () => Promise<Anchors>): Promise<Anchors | undefined> {
    const cacher = this.broker.cacher;
    if (!cacher) return undefined;
    const key = `products.anchors:${list}`;
    const [token, stored] = (await Promise.all([
      cacher.get(ANCHOR_TOKEN_KEY),
      cacher.get(key),
    ])) as [unknown, StoredAnchors | null | undefined];
    if (typeof token === "string" && stored?.token === token) return stored.anchors;
    const current = typeof token === "string" ? token : await this.reset();
    const flight = `${current} ${key}`;
    let pending = this.computing.get(flight);
    if (!pending) {
      pending = (async () => {
        const anchors = await compute();
        await cacher.set(key, { token: current, anchors } satisfies StoredAnchors, ANCHOR_TTL);
        return anchors;
      })().finally(() => this.computing.delete(flight));
      this.computing.set(flight, pending);
    }
    return pending;
  }

  /** Makes every stored anchor stale (a node starts: the catalog may have been loaded anew). */
  async reset(): Promise<string> {
    const token = randomUUID();
    // No expiry: anchors outlive a token only to be recomputed.
    await this.broker.cacher?.set(ANCHOR_TOKEN_KEY, token, 0);
    return token;
  }
}
