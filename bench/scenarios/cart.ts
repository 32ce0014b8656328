/**
 * Add to cart (POST /api/cart/items), authenticated, against (b) measured right before each run:
 * ≥ 0.3 × (b). One shopper per connection (fresh accounts each run), each adding one unit of ten
 * products in turn, so carts stay at ten lines.
 */
import type { Bench } from "../lib/context.ts";
import { ErrorSamples, fire, jsonHeaders, paired, perConnection } from "../lib/load.ts";
import { judge } from "../lib/report.ts";
import { FIRST_REGULAR_PRODUCT } from "../lib/shop.ts";
import { createShoppers, type Shopper } from "../lib/users.ts";
import { echoReference } from "./baselines.ts";

export function addToCartLoad(
  url: string,
  shoppers: Shopper[],
  connections: number,
  duration: number,
  errors?: ErrorSamples,
) {
  return {
    url: `${url}/api/cart/items`,
    method: "POST" as const,
    connections,
    duration,
    setupClient: perConnection((connection) => {
      const shopper = shoppers[connection % shoppers.length];
      let n = 0;
      return [
        {
          method: "POST",
          onResponse: errors?.onResponse,
          setupRequest: (req: object) => {
            n += 1;
            const product = FIRST_REGULAR_PRODUCT + 500 + ((connection * 10 + (n % 10)) % 9000);
            return {
              ...req,
              headers: jsonHeaders(shopper.token),
              body: JSON.stringify({ productId: String(product), quantity: 1 }),
            };
          },
        },
      ];
    }),
  };
}

export async function cart(b: Bench): Promise<void> {
  const { s, shop, report } = b;
  const echo = echoReference(b);
  let run = 0;
  const errors = new ErrorSamples();
  const once = async () => {
    const shoppers = await createShoppers(
      shop.databaseUrl,
      shop.env,
      `cart${run++}`,
      s.connections,
    );
    await fire(addToCartLoad(shop.gatewayUrl, shoppers, s.connections, s.warmSec));
    return fire(addToCartLoad(shop.gatewayUrl, shoppers, s.connections, s.throughputSec, errors));
  };
  b.log("add to cart ...");
  const add = await paired(s.runs, echo.throughput, once);
  report.raw.addToCart = { ...add, errorBodies: errors.bodies };
  report.fromRun("add to cart", add.median, {
    ratio: add.ratio,
    target: "≥ 0.3 × (b)",
    verdict: judge(add.ratio >= 0.3 && add.median.non2xx === 0),
  });
}
