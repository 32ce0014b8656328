/**
 * The catalog (products + carts) as the orders suites see it. With the real services merged
 * (ALL_SERVICES has "products" and "carts"), everything goes through the real HTTP API: a
 * merchant creates products, users fill their carts. Until then, the TEST-ONLY fake of
 * fake-catalog.ts is attached to the test shop (in its process, or as its own node over NATS).
 */
import { randomBytes } from "node:crypto";
import { ServiceBroker } from "moleculer";
import { ALL_SERVICES } from "../../lib/services.ts";
import { fakeCatalogServices } from "./fake-catalog.ts";
import { client, userWithRole } from "./http.ts";
import { ADMIN, type TestShop } from "./shop.ts";

export const REAL_CATALOG =
  (ALL_SERVICES as readonly string[]).includes("products") &&
  (ALL_SERVICES as readonly string[]).includes("carts");

export interface Shopper {
  accessToken: string;
  user: { id: string };
}

export interface Reservation {
  orderId: string;
  status: "held" | "committed" | "released" | "none";
  items: Array<{ productId: string; quantity: number }>;
}

export interface Catalog {
  /** A broker that can call products.* and carts.* (for inspection). */
  broker: ServiceBroker;
  createProduct(opts: {
    price: number;
    stock: number;
    name?: string;
    currency?: string;
  }): Promise<string>;
  setPrice(productId: string, price: number): Promise<void>;
  addToCart(shopper: Shopper, productId: string, quantity: number): Promise<void>;
  cartItems(shopper: Shopper): Promise<Array<{ productId: string; quantity: number }>>;
  stock(productId: string): Promise<number>;
  reservation(orderId: string): Promise<Reservation>;
  stop(): Promise<void>;
}

export async function attachCatalog(shop: TestShop): Promise<Catalog> {
  return REAL_CATALOG ? realCatalog(shop) : fakeCatalog(shop);
}

function inspector(broker: ServiceBroker) {
  return {
    async stock(productId: string) {
      const [p] = await broker.call<Array<{ stock: number }>, { ids: string[] }>(
        "products.getMany",
        { ids: [productId] },
        { meta: { $cache: false } },
      );
      return p.stock;
    },
    reservation(orderId: string) {
      return broker.call<Reservation, { orderId: string }>("products.reservation", { orderId });
    },
  };
}

function realCatalog(shop: TestShop): Catalog {
  const broker = shop.nodes[0].broker;
  let merchant: Promise<{ accessToken: string }> | undefined;
  return {
    broker,
    ...inspector(broker),
    async createProduct({ price, stock, name, currency }) {
      merchant ??= userWithRole(shop.url, ADMIN, "merchant");
      const { accessToken } = await merchant;
      const res = await client(shop.url, accessToken).post("/api/products", {
        name: name ?? `Product ${randomBytes(3).toString("hex")}`,
        description: "A product for the orders tests",
        price,
        stock,
        ...(currency ? { currency } : {}),
      });
      if (res.status !== 201)
        throw new Error(`create product: ${res.status} ${JSON.stringify(res.body)}`);
      return String(res.body.id);
    },
    async setPrice(productId, price) {
      const { accessToken } = await (merchant ??= userWithRole(shop.url, ADMIN, "merchant"));
      const res = await client(shop.url, accessToken).patch(`/api/products/${productId}`, {
        price,
      });
      if (res.status !== 200) {
        throw new Error(`set price: ${res.status} ${JSON.stringify(res.body)}`);
      }
    },
    async addToCart(shopper, productId, quantity) {
      const res = await client(shop.url, shopper.accessToken).post("/api/cart/items", {
        productId,
        quantity,
      });
      if (res.status !== 200)
        throw new Error(`add to cart: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async cartItems(shopper) {
      const res = await client(shop.url, shopper.accessToken).get("/api/cart");
      return res.body.items;
    },
    async stop() {},
  };
}

async function fakeCatalog(shop: TestShop): Promise<Catalog> {
  const fake = fakeCatalogServices();
  let broker: ServiceBroker;
  let stop: () => Promise<void>;
  if (shop.mode === "embedded") {
    broker = shop.nodes[0].broker;
    const services = [broker.createService(fake.products), broker.createService(fake.carts)];
    stop = async () => {
      for (const s of services) await broker.destroyService(s);
    };
  } else {
    broker = new ServiceBroker({
      namespace: shop.env.NAMESPACE,
      transporter: shop.env.TRANSPORTER as "NATS",
      nodeID: `fake-catalog-${randomBytes(3).toString("hex")}`,
      logLevel: "error",
      heartbeatInterval: 5,
      heartbeatTimeout: 15,
    });
    broker.createService(fake.products);
    broker.createService(fake.carts);
    await broker.start();
    stop = () => broker.stop();
  }
  await Promise.all(shop.nodes.map((n) => n.broker.waitForServices(["products", "carts"], 20_000)));
  return {
    broker,
    ...inspector(broker),
    async createProduct({ price, stock, name, currency }) {
      const p = await broker.call<{ id: string }, object>("products.fakeCreate", {
        price,
        stock,
        name,
        currency,
      });
      return p.id;
    },
    async setPrice(productId, price) {
      await broker.call("products.fakeUpdate", { id: productId, price });
    },
    async addToCart(shopper, productId, quantity) {
      await broker.call("carts.fakeAdd", { productId, quantity }, { meta: { user: shopper.user } });
    },
    async cartItems(shopper) {
      const cart = await broker.call<
        { items: Array<{ productId: string; quantity: number }> },
        object
      >("carts.get", {}, { meta: { user: shopper.user } });
      return cart.items;
    },
    stop,
  };
}
