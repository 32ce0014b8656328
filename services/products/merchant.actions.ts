/** products: merchants' writes (the gateway lets merchants and admins in; ownership is checked here). */
import type { ActionSchema } from "moleculer";
import {
  createProduct,
  deleteProduct,
  updateProduct,
  type ProductInput,
  type ProductPatch,
} from "../../lib/products/merchant.ts";
import { checkPictureUrl } from "../../lib/products/picture-url.ts";
import type { Ctx, ProductsThis } from "./context.ts";

const fields = {
  name: { type: "string", trim: true, min: 1, max: 200 },
  description: { type: "string", trim: true, max: 5000, multiline: true },
  price: { type: "number", integer: true, min: 0, max: 1_000_000_000 },
  currency: { type: "string", pattern: /^[A-Z]{3}$/, optional: true },
  stock: { type: "number", integer: true, min: 0, max: 1_000_000 },
  maxPerOrder: { type: "number", integer: true, min: 1, max: 99, optional: true },
  categories: {
    type: "array",
    max: 10,
    optional: true,
    items: { type: "string", trim: true, min: 1, max: 80 },
  },
  // A picture the shop serves (a path) or an https URL; none: the shop draws one.
  picture: {
    type: "string",
    min: 2,
    max: 500,
    optional: true,
    nullable: true,
    custom: checkPictureUrl,
    messages: { pictureUrl: "The '{field}' field must be a path on this shop or an https URL" },
  },
} as const;

const optional = Object.fromEntries(
  Object.entries(fields).map(([key, rule]) => [key, { ...rule, optional: true }]),
);

const id = { type: "string", trim: true, min: 1, max: 40 } as const;

export const merchantActions: Record<string, ActionSchema<ProductsThis>> = {
  /** Creates a product owned by the calling merchant. */
  create: {
    params: { $$strict: true, ...fields },
    async handler(this: ProductsThis, ctx: Ctx<ProductInput>) {
      const product = await createProduct(this.deps, this.actor(ctx), ctx.params);
      await this.cleanCache({ scope: "catalog" });
      return product;
    },
  },

  /** Changes a product: its merchant or an admin (403 for anyone else). */
  update: {
    params: { $$strict: true, id, ...optional },
    async handler(this: ProductsThis, ctx: Ctx<ProductPatch & { id: string }>) {
      const { id: productId, ...patch } = ctx.params;
      const product = await updateProduct(this.deps, this.actor(ctx), productId, patch);
      await this.cleanCache({ scope: "catalog" });
      return product;
    },
  },

  /** Deletes a product: it leaves every list and cannot be bought; orders keep their lines. */
  remove: {
    params: { $$strict: true, id },
    async handler(this: ProductsThis, ctx: Ctx<{ id: string }>) {
      await deleteProduct(this.deps, this.actor(ctx), ctx.params.id);
      await this.cleanCache({ scope: "catalog" });
      return null;
    },
  },
};
