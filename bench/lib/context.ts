/** What every scenario gets: the settings of the run, the shop, the report and the baselines. */
import mysql from "mysql2/promise";
import { CHECKOUT_TABLES } from "../baselines/checkout-sql.ts";
import type { RunStats } from "./load.ts";
import type { Report } from "./report.ts";
import type { BenchShop } from "./shop.ts";

export interface Settings {
  quick: boolean;
  /** Each scenario runs this many times; its figures are the medians. */
  runs: number;
  warmSec: number;
  /** Closed-loop (throughput) and constant-rate (latency) run lengths. */
  throughputSec: number;
  latencySec: number;
  /** Connections of closed-loop runs, and of constant-rate runs (enough never to be the limit). */
  connections: number;
  rateConnections: number;
  buyers: number;
  flashBuyers: number;
  flashConnections: number;
  mixSteps: number;
  soakSec: number;
  /** The soak's rate instead of 70 % of the mix's sustainable rate (--soak-rate). */
  soakRate?: number;
}

export function settingsFor(quick: boolean): Settings {
  return quick
    ? {
        quick,
        runs: 1,
        warmSec: 1,
        throughputSec: 1.5,
        latencySec: 1.5,
        connections: 32,
        rateConnections: 64,
        buyers: 64,
        flashBuyers: 200,
        flashConnections: 100,
        mixSteps: 3,
        soakSec: 0,
      }
    : {
        quick,
        runs: 3,
        warmSec: 3,
        throughputSec: 8,
        latencySec: 10,
        connections: 32,
        rateConnections: 64,
        buyers: 64,
        flashBuyers: 2000,
        flashConnections: 200,
        mixSteps: 8,
        soakSec: 300,
      };
}

export interface DbRun {
  perSec: number;
  p50: number;
  p99: number;
  seconds: number;
  [key: string]: unknown;
}

export interface Baselines {
  /** (a) bare node:http, (b) gateway → NATS → echo: closed-loop maxima. */
  a?: RunStats;
  b?: RunStats;
  /** (b) at the reference rate (half its maximum): the latency other reads are compared with. */
  bLatency?: RunStats;
  referenceRate?: number;
  /** (c) the bare SQL of one checkout / one flash-sale purchase. */
  cCheckout?: DbRun;
  cFlash?: DbRun;
  /** The mix's sustainable rate (the soak runs below it). */
  mixRate?: number;
}

export interface Features {
  catalog: boolean;
  cart: boolean;
  checkout: boolean;
  /** Tables of baseline (c) that the migrations have not created (yet). */
  missingTables: string[];
  /** Why each missing feature is missing, for the "not available yet" lines. */
  why: Record<string, string>;
}

export interface Bench {
  s: Settings;
  shop: BenchShop;
  report: Report;
  base: Baselines;
  features: Features;
  log(line: string): void;
}

/** Which parts of API.md this build serves (the other services may not be merged yet). */
export async function detectFeatures(shop: BenchShop): Promise<Features> {
  const why: Record<string, string> = {};
  let paths: Record<string, Record<string, unknown>> = {};
  try {
    const res = await fetch(`${shop.gatewayUrl}/api/openapi.json`);
    paths = ((await res.json()) as { paths?: typeof paths }).paths ?? {};
  } catch {
    // judged route by route below
  }
  let catalog = false;
  try {
    const res = await fetch(`${shop.gatewayUrl}/api/products?page=1&pageSize=1`);
    const body = (await res.json()) as { total?: number };
    catalog = res.status === 200 && (body.total ?? 0) > 0;
    if (!catalog) why.catalog = `GET /api/products answers ${res.status}`;
  } catch (err) {
    why.catalog = `GET /api/products failed: ${(err as Error).message}`;
  }
  const cart = Boolean(paths["/api/cart/items"]?.post);
  if (!cart) why.cart = "no POST /api/cart/items route";
  const checkout = Boolean(paths["/api/checkout"]?.post);
  if (!checkout) why.checkout = "no POST /api/checkout route";
  const db = await mysql.createConnection(shop.databaseUrl);
  const [rows] = await db.query(
    "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?",
    [shop.database],
  );
  await db.end();
  const present = new Set((rows as Array<{ t: string }>).map((r) => r.t));
  const missingTables = CHECKOUT_TABLES.filter((t) => !present.has(t));
  if (missingTables.length) why.sql = `tables ${missingTables.join(", ")} do not exist`;
  return { catalog, cart, checkout, missingTables, why };
}
