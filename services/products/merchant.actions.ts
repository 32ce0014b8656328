/** products: merchants' writes (the gateway lets merchants and admins in; ownership is checked here). */
import type { ActionSchema } from "moleculer";
import { paramsOf } from "../../lib/http/routes/index.ts";
import {
  createProduct,
  deleteProduct,
  updateProduct,
  type ProductInput,
  type ProductPatch,
} from "../../lib/products/merchant.ts";
import type { Ctx, ProductsThis } from "./context.ts";

export const merchantActions: Record<string, ActionSchema<ProductsThis>> = {
  /** Creates a product owned by the calling merchant. */
  create: {
    params: paramsOf("products.create"),
    async handler(this: ProductsThis, ctx: Ctx<ProductInput>) {
      const product = await createProduct(this.deps, this.actor(ctx), ctx.params);
      await this.cleanCache({ scope: "catalog" });
      return product;
    },
  },

  /** Changes a product: its merchant or an admin (403 for anyone else). */
  update: {
    params: paramsOf("products.update"),
    async handler(this: ProductsThis, ctx: Ctx<ProductPatch & { id: string }>) {
      const { id: productId, ...patch } = ctx.params;
      const product = await updateProduct(this.deps, this.actor(ctx), productId, patch);
      await this.cleanCache({ scope: "catalog" });
      return product;
    },
  },

  /** Deletes a product: it leaves every list and cannot be bought; orders keep their lines. */
  remove: {
    params: paramsOf("products.remove"),
    async handler(this: ProductsThis, ctx: Ctx<{ id: string }>) {
      await deleteProduct(this.deps, this.actor(ctx), ctx.params.id);
      await this.cleanCache({ scope: "catalog" });
      return null;
    },
  },
};
