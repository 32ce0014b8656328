/**
 * Scale-out: product detail (cached, closed loop) with one instance of `products`, then with a
 * second node hosting another instance (Moleculer balances calls round-robin). Reported as the
 * ratio two ÷ one. On this machine every server process shares the server core(s): a second
 * instance adds no CPU, so the ratio shows the cost of balancing, not a capacity gain (see
 * docs/benchmarks.md); with a core per instance it would approach the share of the time the
 * products node is the bottleneck.
 */
import { availableParallelism } from "node:os";
import type { Bench } from "../lib/context.ts";
import { fire, repeat } from "../lib/load.ts";
import { cycling, HOT_PRODUCTS } from "./catalog.ts";

export async function scaleOut(b: Bench): Promise<void> {
  const { s, shop, report } = b;
  const paths = HOT_PRODUCTS.map((id) => `/api/products/${id}`);
  const load = () => fire(cycling(shop.gatewayUrl, s.connections, s.throughputSec, paths));
  b.log("product detail with one instance of products ...");
  const one = await repeat(s.runs, load);
  b.log("starting a second products node ...");
  const second = await shop.addNode("products-2", ["products"]);
  try {
    // Heartbeats announce the node to the gateway within a second; then warm its connections.
    await new Promise((r) => setTimeout(r, s.quick ? 1_000 : 2_000));
    await fire(cycling(shop.gatewayUrl, s.connections, s.warmSec, paths));
    b.log("product detail with two instances ...");
    const two = await repeat(s.runs, load);
    report.raw.scaleOut = { one, two };
    report.fromRun("scale-out: products ×1", one.median);
    report.fromRun("scale-out: products ×2", two.median, {
      ratio: two.median.rps / one.median.rps,
      target: "report ×2 ÷ ×1",
      note: `server processes share ${Math.max(1, availableParallelism() - 1)} core(s)`,
    });
  } finally {
    await shop.stopNode(second);
  }
}
