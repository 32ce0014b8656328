/**
 * Writes, against baseline (c): the same SQL sent by a bare mysql2 script (bench/baselines), run
 * right before each HTTP run.
 * - checkout + pay: 64 concurrent buyers, each adding one unit of a different product and checking
 *   out with a card (POST /api/checkout {address, card}, which also pays): orders/s ≥ 0.4 × (c),
 *   and the checkout request's p99 ≤ 200 ms;
 * - flash sale: N buyers with one unit of the same product in their carts (100 in stock) check out
 *   at once: exactly 100 sold (201s, stock 0, 100 paid orders), and buyers answered per second
 *   ≥ 0.5 × the bare SQL's rate for the same race (hot row).
 */
import { randomUUID } from "node:crypto";
import mysql from "mysql2/promise";
import type { Bench, DbRun } from "../lib/context.ts";
import { describeStatuses, sendAll } from "../lib/http.ts";
import {
  fire,
  jsonHeaders,
  ErrorSamples,
  medianStats,
  paired,
  perConnection,
  rateOnly,
  StepLatencies,
  type RunStats,
} from "../lib/load.ts";
import { runScript } from "../lib/processes.ts";
import { judge } from "../lib/report.ts";
import { FIRST_REGULAR_PRODUCT, FLASH_PRODUCTS, FLASH_UNITS } from "../lib/shop.ts";
import { createShoppers } from "../lib/users.ts";

export const ADDRESS = {
  name: "Bench Buyer",
  phone: "+86 138 0000 0000",
  line1: "1 Bench Road",
  city: "Shanghai",
  country: "CN",
  postalCode: "200000",
};
export const CARD = { number: "4242424242424242", expMonth: 12, expYear: 2035, cvv: "123" };

/** Baseline (c): the bare SQL script, in its own database cloned from the shop's tables. */
export async function sqlBaseline(b: Bench, args: string[]): Promise<DbRun> {
  const out = await runScript(
    "baseline (c)",
    "bench/baselines/db-checkout.ts",
    {},
    ["--url", `${b.shop.databaseUrl}_sql`, "--clone-from", b.shop.database, ...args],
    300_000,
  );
  return JSON.parse(out.trim().split("\n").pop()!) as DbRun;
}

const asStats = (r: DbRun): RunStats => rateOnly(r.perSec, r.seconds, r.p50, r.p99);

/** The run with the median rate. */
const medianDb = (runs: DbRun[]): DbRun =>
  [...runs].sort((x, y) => x.perSec - y.perSec)[Math.floor(runs.length / 2)];

let productCursor = FIRST_REGULAR_PRODUCT + 600;

export async function checkout(b: Bench): Promise<void> {
  const { s, shop, report } = b;
  const steps: StepLatencies[] = [];
  const errors = new ErrorSamples();
  let run = 0;
  const once = async (): Promise<RunStats> => {
    const buyers = await createShoppers(shop.databaseUrl, shop.env, `buyer${run++}`, s.buyers);
    const latencies = new StepLatencies(2);
    steps.push(latencies);
    const result = await fire({
      url: `${shop.gatewayUrl}/api/checkout`,
      connections: s.buyers,
      duration: s.throughputSec + 1,
      // One buyer per connection: add one unit of the next product, then check out with a card.
      setupClient: perConnection((connection) => {
        const buyer = buyers[connection % buyers.length];
        return [
          {
            method: "POST",
            path: "/api/cart/items",
            onResponse: errors.onResponse,
            setupRequest: (req: object) => {
              if (productCursor > 10_000) productCursor = FIRST_REGULAR_PRODUCT + 600;
              return {
                ...req,
                headers: jsonHeaders(buyer.token),
                body: JSON.stringify({ productId: String(productCursor++), quantity: 1 }),
              };
            },
          },
          {
            method: "POST",
            path: "/api/checkout",
            onResponse: errors.onResponse,
            setupRequest: (req: object) => ({
              ...req,
              headers: jsonHeaders(buyer.token, { "idempotency-key": randomUUID() }),
              body: JSON.stringify({ address: ADDRESS, card: CARD }),
            }),
          },
        ];
      }, latencies.setupClient),
    });
    const orders = latencies.statusByStep[1]["201"] ?? 0;
    return {
      ...rateOnly(
        orders / result.durationSec,
        result.durationSec,
        latencies.p(1, 50),
        latencies.p(1, 99),
      ),
      errors: result.errors,
      non2xx: result.non2xx,
      // The checkout step's statuses (the add-to-cart step's are in the raw results).
      statusCodes: latencies.statusByStep[1],
    };
  };
  b.log(`checkout + pay, ${s.buyers} buyers, each run after a run of baseline (c) ...`);
  const refs: DbRun[] = [];
  const orders = await paired(
    s.runs,
    async () => {
      const r = await sqlBaseline(b, [
        "--mode",
        "checkout",
        "--concurrency",
        String(s.buyers),
        "--seconds",
        String(s.throughputSec + 1),
      ]);
      refs.push(r);
      return asStats(r);
    },
    once,
  );
  b.base.cCheckout = medianDb(refs);
  report.raw.checkout = {
    ...orders,
    sqlRuns: refs,
    steps: steps.map((x) => x.statusByStep),
    errorBodies: errors.bodies,
  };
  report.fromRun("(c) bare SQL of add to cart + checkout + pay", medianStats(orders.refs), {
    unit: "orders/s",
  });
  report.fromRun(`checkout + pay, ${s.buyers} buyers`, orders.median, {
    unit: "orders/s",
    ratio: orders.ratio,
    target: "≥ 0.4 × (c)",
    verdict: judge(orders.ratio >= 0.4),
    note: describeStatuses(orders.median.statusCodes),
  });
  report.add({
    scenario: `checkout request p99, ${s.buyers} buyers`,
    unit: "ms",
    value: orders.median.p99,
    p50: orders.median.p50,
    p99: orders.median.p99,
    target: "p99 ≤ 200 ms",
    verdict: judge(orders.median.p99 <= 200),
  });
}

export async function flashSale(b: Bench): Promise<void> {
  const { s, shop, report } = b;
  const runs = Math.min(s.runs, FLASH_PRODUCTS.length);
  const outcomes: Array<{
    productId: string;
    statuses: Record<string, number>;
    stock: number;
    paid: number;
  }> = [];
  let run = 0;
  const once = async (): Promise<RunStats> => {
    const productId = FLASH_PRODUCTS[run];
    const buyers = await createShoppers(shop.databaseUrl, shop.env, `flash${run++}`, s.flashBuyers);
    const filled = await sendAll(
      shop.gatewayUrl,
      buyers.map((u) => ({
        method: "POST",
        path: "/api/cart/items",
        token: u.token,
        body: { productId, quantity: 1 },
      })),
      32,
    );
    if (filled.some((st) => st !== 200))
      throw new Error(`filling the carts: ${describeStatuses(filled)}`);
    let next = 0;
    const result = await fire({
      url: `${shop.gatewayUrl}/api/checkout`,
      connections: s.flashConnections,
      amount: buyers.length,
      requests: [
        {
          method: "POST",
          setupRequest: (req: object) => ({
            ...req,
            headers: jsonHeaders(buyers[next++ % buyers.length].token, {
              "idempotency-key": randomUUID(),
            }),
            body: JSON.stringify({ address: ADDRESS, card: CARD }),
          }),
        },
      ],
    });
    outcomes.push({
      productId,
      statuses: result.statusCodes,
      ...(await sold(shop.databaseUrl, productId)),
    });
    return { ...result, rps: result.responsesPerSec };
  };
  b.log(
    `flash sale: ${s.flashBuyers} buyers, ${FLASH_UNITS} units, each run after the bare SQL race ...`,
  );
  const refs: DbRun[] = [];
  const flash = await paired(
    runs,
    async () => {
      const r = await sqlBaseline(b, [
        "--mode",
        "flash",
        "--buyers",
        String(s.flashBuyers),
        "--units",
        String(FLASH_UNITS),
        "--concurrency",
        String(s.flashConnections),
      ]);
      refs.push(r);
      return asStats(r);
    },
    once,
  );
  b.base.cFlash = medianDb(refs);
  report.raw.flashSale = { ...flash, sqlRuns: refs, outcomes };
  report.fromRun("(c) bare SQL, flash-sale race", medianStats(flash.refs), {
    unit: "buyers/s",
    note: refs.map((r) => `sold ${r.sold}`).join(", "),
  });
  report.fromRun(`flash sale: ${s.flashBuyers} buyers, ${FLASH_UNITS} units`, flash.median, {
    unit: "buyers/s",
    ratio: flash.ratio,
    target: "≥ 0.5 × (c) hot row",
    verdict: judge(flash.ratio >= 0.5),
  });
  const exact = outcomes.every(
    (o) => (o.statuses["201"] ?? 0) === FLASH_UNITS && o.stock === 0 && o.paid === FLASH_UNITS,
  );
  report.add({
    scenario: `flash sale: exactly ${FLASH_UNITS} sold`,
    verdict: judge(exact),
    target: `${FLASH_UNITS} × 201, stock 0, ${FLASH_UNITS} paid`,
    note: outcomes
      .map((o) => `${describeStatuses(o.statuses)}; stock ${o.stock}; paid orders ${o.paid}`)
      .join(" | "),
  });
}

/** What the database says was sold of a product: its stock and its paid orders. */
async function sold(
  databaseUrl: string,
  productId: string,
): Promise<{ stock: number; paid: number }> {
  const db = await mysql.createConnection(databaseUrl);
  try {
    const [stock] = await db.query("SELECT stock FROM products WHERE id = ?", [productId]);
    const [paid] = await db.query(
      "SELECT COUNT(DISTINCT o.id) AS n FROM orders o JOIN order_items i ON i.orderId = o.id " +
        "WHERE i.productId = ? AND o.status = 'paid'",
      [productId],
    );
    return {
      stock: Number((stock as Array<{ stock: number }>)[0]?.stock ?? NaN),
      paid: Number((paid as Array<{ n: number }>)[0]?.n ?? NaN),
    };
  } finally {
    await db.end();
  }
}
