/**
 * Add to cart (POST /api/cart/items), authenticated, against (b) measured right before each run:
 * ≥ 0.3 × (b). One shopper per connection (fresh accounts each run), each adding one unit of ten
 * products in turn, so carts stay at ten lines.
 */
import type { Bench } from "../lib/context.ts";
import { ErrorSamples, fire, jsonHeaders, paired } from "../lib/load.ts";
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
  let nextShopper = 0;
  return {
    url: `${url}/api/cart/items`,
    connections,
    duration,
    requests: [
      {
        method: "POST" as const,
        onResponse: errors?.onResponse,
        setupRequest: (req: object, ctx: { shopper?: number; n?: number }) => {
          ctx.shopper ??= nextShopper++ % shoppers.length;
          ctx.n = (ctx.n ?? 0) + 1;
          const productId =
            FIRST_REGULAR_PRODUCT + 500 + ((ctx.shopper * 10 + (ctx.n % 10)) % 9000);
          return {
            ...req,
            headers: jsonHeaders(shoppers[ctx.shopper].token),
            body: JSON.stringify({ productId: String(productId), quantity: 1 }),
          };
        },
      },
    ],
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
