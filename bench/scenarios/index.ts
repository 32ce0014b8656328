/** Every scenario, in the order they run, with what each needs from the build. */
import type { Bench } from "../lib/context.ts";
import { baselines } from "./baselines.ts";
import { bodyFlood } from "./body-flood.ts";
import { cart } from "./cart.ts";
import { catalog } from "./catalog.ts";
import { login } from "./login.ts";
import { mixed } from "./mixed.ts";
import { probe } from "./probe.ts";
import { checkout, flashSale } from "./orders.ts";
import { scaleOut } from "./scale-out.ts";
import { searchZh } from "./search-zh.ts";
import { soak } from "./soak.ts";

export interface Scenario {
  id: string;
  title: string;
  /** Runs even with --only (the others are ratios to it). */
  always?: boolean;
  /** Why it cannot run on this build, or undefined when it can. */
  needs(b: Bench): string | undefined;
  run(b: Bench): Promise<void>;
}

const catalogReady = (b: Bench) => (b.features.catalog ? undefined : b.features.why.catalog);
const cartReady = (b: Bench) =>
  catalogReady(b) ?? (b.features.cart ? undefined : b.features.why.cart);
const ordersReady = (b: Bench) =>
  cartReady(b) ??
  (b.features.checkout ? undefined : b.features.why.checkout) ??
  (b.features.missingTables.length ? b.features.why.sql : undefined);

export const SCENARIOS: Scenario[] = [
  {
    id: "baselines",
    title: "baselines (a) and (b)",
    always: true,
    needs: () => undefined,
    run: baselines,
  },
  { id: "login", title: "login and the password bulkhead", needs: () => undefined, run: login },
  {
    id: "body-flood",
    title: "hostile JSON bodies vs /api/health",
    needs: () => undefined,
    run: bodyFlood,
  },
  {
    id: "catalog",
    title: "catalog: product detail, list, search, list depth",
    needs: catalogReady,
    run: catalog,
  },
  {
    id: "search-zh",
    title: "Chinese search: throughput, and p99 beside the English search",
    needs: catalogReady,
    run: searchZh,
  },
  { id: "cart", title: "add to cart", needs: cartReady, run: cart },
  { id: "checkout", title: "checkout + pay vs baseline (c)", needs: ordersReady, run: checkout },
  { id: "flash", title: "flash sale vs baseline (c)", needs: ordersReady, run: flashSale },
  { id: "mixed", title: "mixed shopper traffic", needs: ordersReady, run: mixed },
  {
    id: "soak",
    title: "soak: 5 minutes of the mix",
    needs: (b) => (b.s.soakSec > 0 ? ordersReady(b) : "skipped by --quick"),
    run: soak,
  },
  { id: "probe", title: "health probes: CPU per probe", needs: () => undefined, run: probe },
  {
    id: "scale-out",
    title: "scale-out: one vs two products instances",
    needs: (b) =>
      catalogReady(b) ?? (b.shop.services.includes("products") ? undefined : "no products service"),
    run: scaleOut,
  },
];
