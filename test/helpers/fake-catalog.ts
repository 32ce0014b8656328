/**
 * TEST-ONLY FAKE of the catalog's `products.*` and `carts.*` actions — exactly the contract the
 * orders service codes against (getMany, reserve, release, commit, reservation; carts.get and
 * carts.clear acting on ctx.meta.user.id), plus `fake*` actions the tests use to set things up.
 * It exists only so the orders suites run before the real catalog services are merged; once
 * services/products.service.ts and services/carts.service.ts exist, test/helpers/catalog.ts uses
 * them through the HTTP API instead. Never loaded by the application.
 *
 * State is in memory (one JS turn per action, so each reservation is trivially atomic), written
 * synchronously to `stateFile` after every change when given, so that a crash test can kill the
 * process hosting it and restart it on the same state.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Context, ServiceSchema } from "moleculer";
import {
  ConflictError,
  NotFoundError,
  UnauthorizedError,
  UnprocessableError,
} from "../../lib/errors.ts";

interface FakeProduct {
  id: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
  picture: string | null;
  merchantId: string;
  available: boolean;
}

interface FakeReservation {
  orderId: string;
  status: "held" | "committed" | "released";
  items: Array<{
    productId: string;
    quantity: number;
    name: string;
    price: number;
    currency: string;
  }>;
}

export interface FakeCatalogState {
  nextId: number;
  products: Record<string, FakeProduct>;
  reservations: Record<string, FakeReservation>;
  carts: Record<string, Record<string, number>>;
  /** How many release calls each order got, and how many of them returned stock. */
  releases: Record<string, { calls: number; effective: number }>;
}

type UserCtx<P = Record<string, unknown>> = Context<P, { user?: { id: string } }>;

export function fakeCatalogServices(opts: { stateFile?: string } = {}): {
  products: ServiceSchema;
  carts: ServiceSchema;
  state: FakeCatalogState;
} {
  const state: FakeCatalogState =
    opts.stateFile && existsSync(opts.stateFile)
      ? JSON.parse(readFileSync(opts.stateFile, "utf8"))
      : { nextId: 1, products: {}, reservations: {}, carts: {}, releases: {} };
  const save = () => {
    if (!opts.stateFile) return;
    writeFileSync(opts.stateFile + ".tmp", JSON.stringify(state));
    renameSync(opts.stateFile + ".tmp", opts.stateFile);
  };
  // Let concurrent calls interleave between actions, as a real database would.
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const product = (id: string) => {
    const p = state.products[String(id)];
    if (!p) throw new NotFoundError("Product", id);
    return p;
  };
  const userOf = (ctx: UserCtx) => {
    const id = ctx.meta.user?.id;
    if (!id) throw new UnauthorizedError("no user");
    return String(id);
  };
  const cartOf = (userId: string) => {
    const lines = state.carts[userId] ?? {};
    const items = Object.entries(lines).map(([productId, quantity]) => {
      const p = state.products[productId];
      return { productId, quantity, product: { ...p }, lineTotal: p.price * quantity };
    });
    return {
      items,
      subtotal: items.reduce((s, i) => s + i.lineTotal, 0),
      currency: items[0]?.product.currency ?? "CNY",
      itemCount: items.reduce((s, i) => s + i.quantity, 0),
    };
  };

  const products: ServiceSchema = {
    name: "products",
    actions: {
      getMany: {
        visibility: "public",
        async handler(ctx: Context<{ ids: string[] }>) {
          await tick();
          return ctx.params.ids.map((id) => state.products[String(id)]).filter(Boolean);
        },
      },
      reserve: {
        visibility: "public",
        async handler(
          ctx: Context<{ orderId: string; items: Array<{ productId: string; quantity: number }> }>,
        ) {
          await tick();
          const { orderId, items } = ctx.params;
          const existing = state.reservations[orderId];
          if (existing) return existing;
          const wanted = items.map((i) => ({ p: product(i.productId), quantity: i.quantity }));
          const unavailable = wanted.find((w) => !w.p.available);
          if (unavailable) {
            throw new UnprocessableError("Product unavailable", "PRODUCT_UNAVAILABLE", [
              { productId: unavailable.p.id },
            ]);
          }
          const short = wanted.filter((w) => w.p.stock < w.quantity);
          if (short.length > 0) {
            throw new ConflictError(
              "Not enough stock",
              "OUT_OF_STOCK",
              short.map((w) => ({
                productId: w.p.id,
                requested: w.quantity,
                available: w.p.stock,
              })),
            );
          }
          for (const w of wanted) w.p.stock -= w.quantity;
          const reservation: FakeReservation = {
            orderId,
            status: "held",
            items: wanted.map((w) => ({
              productId: w.p.id,
              quantity: w.quantity,
              name: w.p.name,
              price: w.p.price,
              currency: w.p.currency,
            })),
          };
          state.reservations[orderId] = reservation;
          save();
          return reservation;
        },
      },
      release: {
        visibility: "public",
        async handler(ctx: Context<{ orderId: string }>) {
          await tick();
          const { orderId } = ctx.params;
          const r = state.reservations[orderId];
          const counter = (state.releases[orderId] ??= { calls: 0, effective: 0 });
          counter.calls++;
          if (!r) {
            save();
            return { orderId, status: "none" };
          }
          if (r.status !== "released") {
            for (const i of r.items) product(i.productId).stock += i.quantity;
            r.status = "released";
            counter.effective++;
          }
          save();
          return r;
        },
      },
      commit: {
        visibility: "public",
        async handler(ctx: Context<{ orderId: string }>) {
          await tick();
          const r = state.reservations[ctx.params.orderId];
          if (!r) throw new NotFoundError("Reservation", ctx.params.orderId);
          if (r.status === "released") {
            throw new ConflictError("The reservation was released", "RESERVATION_RELEASED");
          }
          r.status = "committed";
          save();
          return r;
        },
      },
      reservation: {
        visibility: "public",
        async handler(ctx: Context<{ orderId: string }>) {
          await tick();
          const r = state.reservations[ctx.params.orderId];
          return r ?? { orderId: ctx.params.orderId, status: "none", items: [] };
        },
      },
      /** Test set-up: a new product. */
      fakeCreate: {
        visibility: "public",
        handler(ctx: Context<{ name?: string; price: number; stock: number; currency?: string }>) {
          const id = String(state.nextId++);
          state.products[id] = {
            id,
            name: ctx.params.name ?? `Product ${id}`,
            price: ctx.params.price,
            currency: ctx.params.currency ?? "CNY",
            stock: ctx.params.stock,
            picture: null,
            merchantId: "0",
            available: true,
          };
          save();
          return state.products[id];
        },
      },
      /** Test set-up: changes a product. */
      fakeUpdate: {
        visibility: "public",
        handler(ctx: Context<{ id: string; price?: number; available?: boolean }>) {
          const p = product(ctx.params.id);
          if (ctx.params.price !== undefined) p.price = ctx.params.price;
          if (ctx.params.available !== undefined) p.available = ctx.params.available;
          save();
          return p;
        },
      },
      /** Test inspection: the whole state. */
      fakeState: { visibility: "public", handler: () => state },
    },
  };

  const carts: ServiceSchema = {
    name: "carts",
    actions: {
      get: {
        visibility: "public",
        async handler(ctx: UserCtx) {
          await tick();
          return cartOf(userOf(ctx));
        },
      },
      clear: {
        visibility: "public",
        async handler(ctx: UserCtx) {
          await tick();
          delete state.carts[userOf(ctx)];
          save();
          return null;
        },
      },
      /** Test set-up: adds to the caller's cart. */
      fakeAdd: {
        visibility: "public",
        handler(ctx: UserCtx<{ productId: string; quantity: number }>) {
          const userId = userOf(ctx);
          product(ctx.params.productId);
          const cart = (state.carts[userId] ??= {});
          cart[ctx.params.productId] = (cart[ctx.params.productId] ?? 0) + ctx.params.quantity;
          save();
          return cartOf(userId);
        },
      },
    },
  };

  return { products, carts, state };
}
