/**
 * A stand-in for the shop's REST API (shared/API.md), in memory, for developing and
 * demonstrating the web app without the backend: `npm run mock` then open http://localhost:3000.
 * It also serves web/dist with the SPA fallback the real gateway needs. Not the contract's judge:
 * the real backend is. Plain JavaScript so that it runs on any Node without a build step.
 *
 * Env: PORT (3000), ACCESS_TTL seconds (60, short so that token refresh happens), ORDER_TTL
 * seconds (900), ADMIN_EMAIL / ADMIN_PASSWORD (admin@shop.test / admin-password).
 */
/* global setInterval, URL, Buffer, performance */
import { createServer } from "node:http";
import { randomUUID, createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const PORT = Number(process.env.PORT ?? 3000);
const ACCESS_TTL = Number(process.env.ACCESS_TTL ?? 60);
const ORDER_TTL = Number(process.env.ORDER_TTL ?? 900);
const DIST = fileURLToPath(new URL("../dist/", import.meta.url));
const started = Date.now();

// ---------- state ----------

const users = new Map(); // id → {id,email,name,role,createdAt,password}
const sessions = new Map(); // access token → {userId, sessionId, expiresAt}
const refreshTokens = new Map(); // refresh token → {userId, sessionId, alive}
const products = new Map();
const carts = new Map(); // userId → Map(productId → quantity)
const orders = new Map();
const idempotency = new Map(); // userId:key → {bodyHash, status, body} | "running"
const banned = new Set();
const blockedIps = new Set();
const stats = new Map(); // action → {count, errors, latencies[]}

const now = () => new Date().toISOString();
const id = () => randomUUID();

function addUser(email, password, name, role = "customer") {
  const user = { id: id(), email, name, role, createdAt: now(), password };
  users.set(user.id, user);
  return user;
}
addUser(
  process.env.ADMIN_EMAIL ?? "admin@shop.test",
  process.env.ADMIN_PASSWORD ?? "admin-password",
  "Admin",
  "admin",
);
const merchant = addUser("merchant@shop.test", "merchant-password", "Tea House", "merchant");
addUser("shopper@shop.test", "shopper-password", "Ann Shopper");

const CATEGORIES = ["Tea", "Snacks", "Kitchen", "Phones", "Clothing", "Beauty"];
const NAMES = {
  Tea: [
    "Jasmine green tea",
    "Oolong gift box",
    "Pu-erh cake 357 g",
    "Longjing spring harvest",
    "White peony tea",
  ],
  Snacks: [
    "Spicy dried tofu",
    "Sunflower seeds",
    "Mooncake assortment",
    "Crispy seaweed",
    "Rice crackers",
  ],
  Kitchen: ["Bamboo steamer", "Cast iron wok", "Ceramic teapot", "Chopstick set", "Rice cooker"],
  Phones: [
    "Phone stand",
    "USB-C cable 2 m",
    "Wireless charger",
    "Selfie ring light",
    "Power bank 10000 mAh",
  ],
  Clothing: [
    "Silk scarf",
    "Linen shirt",
    "Cotton socks (5 pairs)",
    "Rain jacket",
    "Canvas tote bag",
  ],
  Beauty: ["Sheet masks (10)", "Hand cream", "Sunscreen SPF 50", "Lip balm", "Face mist"],
};
const COLOURS = ["#fe2c55", "#25a7f4", "#f4a825", "#19c37d", "#8b5cf6", "#ef7d22"];
let n = 0;
for (const category of CATEGORIES) {
  for (const name of NAMES[category]) {
    n += 1;
    const pid = `p${String(n).padStart(3, "0")}`;
    const created = new Date(Date.now() - n * 3_600_000).toISOString();
    products.set(pid, {
      id: pid,
      name,
      description: `${name}, chosen by our merchants.\n\nShips within 48 hours.`,
      price: 500 + ((n * 733) % 19000),
      currency: "CNY",
      stock: n % 9 === 0 ? 0 : n % 7 === 0 ? 3 : 20 + (n % 30),
      categories: [category],
      picture: n % 10 === 0 ? null : `/images/${pid}.svg`,
      merchantId: merchant.id,
      createdAt: created,
      updatedAt: created,
      deleted: false,
    });
  }
}

// ---------- helpers ----------

class HttpError extends Error {
  constructor(status, type, message, data, headers = {}) {
    super(message);
    this.status = status;
    this.type = type;
    this.data = data;
    this.headers = headers;
  }
}
const NAMES_BY_STATUS = {
  400: "BadRequestError",
  401: "UnauthorizedError",
  402: "PaymentDeclinedError",
  403: "ForbiddenError",
  404: "NotFoundError",
  409: "ConflictError",
  422: "ValidationError",
  429: "RateLimitedError",
  503: "UnavailableError",
};
const fail = (status, type, message, data, headers) => {
  throw new HttpError(status, type, message, data, headers);
};
const invalid = (field, message) =>
  fail(422, "VALIDATION_ERROR", "Parameters validation error!", [
    { field, message, type: "invalid" },
  ]);

function page(rows, query) {
  const p = Math.max(1, Number(query.get("page") ?? 1) || 1);
  const size = Number(query.get("pageSize") ?? 20) || 20;
  if (size > 100) invalid("pageSize", "The 'pageSize' field must be less than or equal to 100.");
  return {
    rows: rows.slice((p - 1) * size, p * size),
    total: rows.length,
    page: p,
    pageSize: size,
    totalPages: Math.ceil(rows.length / size),
  };
}

const publicUser = ({ password: _p, ...u }) => u;
const publicProduct = ({ deleted: _d, ...p }) => p;

function issue(user, sessionId = id()) {
  const accessToken = `at_${id()}`;
  const refreshToken = `rt_${id()}`;
  sessions.set(accessToken, {
    userId: user.id,
    sessionId,
    expiresAt: Date.now() + ACCESS_TTL * 1000,
  });
  refreshTokens.set(refreshToken, { userId: user.id, sessionId, alive: true });
  return { accessToken, refreshToken, expiresIn: ACCESS_TTL };
}

function revokeSession(sessionId) {
  for (const [token, s] of sessions) if (s.sessionId === sessionId) sessions.delete(token);
  for (const r of refreshTokens.values()) if (r.sessionId === sessionId) r.alive = false;
}

function cartView(userId) {
  const lines = carts.get(userId) ?? new Map();
  const items = [];
  for (const [productId, quantity] of lines) {
    const p = products.get(productId);
    if (!p || p.deleted) continue;
    items.push({
      productId,
      quantity,
      product: {
        id: p.id,
        name: p.name,
        price: p.price,
        currency: p.currency,
        stock: p.stock,
        picture: p.picture,
      },
      lineTotal: p.price * quantity,
    });
  }
  return {
    items,
    subtotal: items.reduce((s, l) => s + l.lineTotal, 0),
    currency: "CNY",
    itemCount: items.reduce((s, l) => s + l.quantity, 0),
  };
}

function ownOrder(user, orderId) {
  const order = orders.get(orderId);
  if (!order || order.userId !== user.id)
    fail(404, "NOT_FOUND", "Order not found", { id: orderId });
  return order;
}

function release(order) {
  for (const item of order.items) {
    const p = products.get(item.productId);
    if (p) p.stock += item.quantity;
  }
}

function sweep() {
  for (const order of orders.values()) {
    if (order.status === "pending" && Date.parse(order.expiresAt) <= Date.now()) {
      order.status = "cancelled";
      order.updatedAt = now();
      release(order);
    }
  }
}
setInterval(sweep, 1000).unref();

function luhn(number) {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function charge(order, card) {
  if (
    !card ||
    typeof card.number !== "string" ||
    !/^\d{12,19}$/.test(card.number) ||
    !luhn(card.number)
  ) {
    invalid("card.number", "The card number is not valid.");
  }
  const d = new Date();
  if (!(
    card.expYear > d.getFullYear() ||
    (card.expYear === d.getFullYear() && card.expMonth >= d.getMonth() + 1)
  )) {
    invalid("card.expiry", "The card has expired.");
  }
  if (!/^\d{3,4}$/.test(String(card.cvv ?? ""))) invalid("card.cvv", "The CVV is not valid.");
  if (card.number === "4000000000000002") fail(402, "PAYMENT_DECLINED", "The card was declined");
  if (card.number === "4000000000009995") fail(402, "INSUFFICIENT_FUNDS", "Insufficient funds");
  order.status = "paid";
  order.updatedAt = now();
  order.payment = {
    id: id(),
    status: "succeeded",
    amount: order.total,
    cardLast4: card.number.slice(-4),
    transactionId: `tx_${id().slice(0, 8)}`,
    createdAt: now(),
  };
}

/** Replays the first answer for a repeated Idempotency-Key (per user), as API.md says. */
async function idempotent(req, user, body, run) {
  const key = req.headers["idempotency-key"];
  if (typeof key !== "string" || !key || key.length > 255) {
    fail(
      400,
      "IDEMPOTENCY_KEY_REQUIRED",
      "An Idempotency-Key header of 1 to 255 characters is required",
    );
  }
  const slot = `${user.id}:${req.url}:${key}`;
  const hash = createHash("sha256")
    .update(JSON.stringify(body ?? null))
    .digest("hex");
  const prior = idempotency.get(slot);
  if (prior === "running")
    fail(409, "IDEMPOTENCY_KEY_IN_PROGRESS", "A request with this key is still running");
  if (prior) {
    if (prior.hash !== hash)
      fail(422, "IDEMPOTENCY_KEY_REUSED", "This key was used with another body");
    if (prior.error) throw prior.error;
    return prior.result;
  }
  idempotency.set(slot, "running");
  try {
    const result = await run();
    idempotency.set(slot, { hash, result });
    return result;
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) idempotency.set(slot, { hash, error });
    else idempotency.delete(slot);
    throw error;
  }
}

// ---------- routes ----------

const routes = [];
const route = (method, path, access, handler, status = 200) => {
  const names = [];
  const pattern = new RegExp(
    `^/api${path.replace(/:(\w+)/g, (_, name) => {
      names.push(name);
      return "([^/]+)";
    })}$`,
  );
  routes.push({ method, pattern, names, access, handler, status, action: `${method} ${path}` });
};

route("GET", "/health", "public", () => ({ status: "ok" }));

route(
  "POST",
  "/auth/register",
  "public",
  ({ body }) => {
    if (typeof body.email !== "string" || !/^[^\s@]+@[^\s@]+$/.test(body.email))
      invalid("email", "The 'email' field must be a valid e-mail.");
    if (typeof body.password !== "string" || body.password.length < 8)
      invalid(
        "password",
        "The 'password' field length must be greater than or equal to 8 characters long.",
      );
    const email = body.email.toLowerCase();
    if ([...users.values()].some((u) => u.email === email))
      fail(409, "EMAIL_TAKEN", "This email is already registered");
    const user = addUser(email, body.password, body.name ?? email.split("@")[0]);
    return { user: publicUser(user), ...issue(user) };
  },
  201,
);

const loginAttempts = new Map();
route("POST", "/auth/login", "public", ({ body, ip }) => {
  const window = Math.floor(Date.now() / 60_000);
  const key = `${ip}:${window}`;
  const count = (loginAttempts.get(key) ?? 0) + 1;
  loginAttempts.set(key, count);
  if (count > 30)
    fail(
      429,
      "RATE_LIMITED",
      "Too many requests",
      { retryAfter: 60 - (Math.floor(Date.now() / 1000) % 60) },
      { "Retry-After": String(60 - (Math.floor(Date.now() / 1000) % 60)) },
    );
  const user = [...users.values()].find((u) => u.email === String(body.email ?? "").toLowerCase());
  if (!user || user.password !== body.password)
    fail(401, "INVALID_CREDENTIALS", "Wrong email or password");
  if (banned.has(user.id)) fail(403, "USER_BANNED", "This account is banned");
  return { user: publicUser(user), ...issue(user) };
});

route("POST", "/auth/refresh", "public", ({ body }) => {
  const record = refreshTokens.get(body.refreshToken);
  if (!record) fail(401, "UNAUTHORIZED", "Invalid refresh token");
  if (!record.alive) {
    revokeSession(record.sessionId); // reuse of a dead token: the whole family dies
    fail(401, "UNAUTHORIZED", "Refresh token reused; session revoked");
  }
  if (banned.has(record.userId)) fail(403, "USER_BANNED", "This account is banned");
  record.alive = false;
  for (const [token, s] of sessions) if (s.sessionId === record.sessionId) sessions.delete(token);
  return issue(users.get(record.userId), record.sessionId);
});

route("POST", "/auth/logout", "user", ({ session }) => revokeSession(session.sessionId), 204);
route("GET", "/users/me", "user", ({ user }) => publicUser(user));

route("GET", "/categories", "public", () =>
  CATEGORIES.map((name) => ({
    id: name.toLowerCase(),
    name,
    slug: name.toLowerCase(),
    productCount: [...products.values()].filter((p) => !p.deleted && p.categories.includes(name))
      .length,
  })),
);

route("GET", "/products", "public", ({ query }) => {
  const q = (query.get("q") ?? "").toLowerCase();
  const category = (query.get("category") ?? "").toLowerCase();
  const min = query.get("minPrice");
  const max = query.get("maxPrice");
  const merchantId = query.get("merchantId");
  let rows = [...products.values()].filter(
    (p) =>
      !p.deleted &&
      (!q || p.name.toLowerCase().includes(q) || p.description.toLowerCase().includes(q)) &&
      (!category || p.categories.some((c) => c.toLowerCase() === category)) &&
      (min === null || p.price >= Number(min)) &&
      (max === null || p.price <= Number(max)) &&
      (!merchantId || p.merchantId === merchantId),
  );
  const sort = query.get("sort") ?? "newest";
  if (sort === "price") rows.sort((a, b) => a.price - b.price);
  else if (sort === "-price") rows.sort((a, b) => b.price - a.price);
  else if (sort === "relevance" && q)
    rows.sort(
      (a, b) => Number(b.name.toLowerCase().includes(q)) - Number(a.name.toLowerCase().includes(q)),
    );
  else rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  rows = rows.map(publicProduct);
  return page(rows, query);
});

route("GET", "/products/:id", "public", ({ params }) => {
  const p = products.get(params.id);
  if (!p || p.deleted) fail(404, "NOT_FOUND", "Product not found", { id: params.id });
  return publicProduct(p);
});

function productFields(body, partial) {
  const out = {};
  for (const key of [
    "name",
    "description",
    "price",
    "currency",
    "stock",
    "categories",
    "picture",
  ]) {
    if (body[key] !== undefined) out[key] = body[key];
  }
  if (!partial || out.name !== undefined)
    if (typeof out.name !== "string" || !out.name.trim())
      invalid("name", "The 'name' field is required.");
  if (!partial || out.price !== undefined)
    if (!Number.isInteger(out.price) || out.price < 0)
      invalid("price", "The 'price' field must be a non-negative integer.");
  if (!partial || out.stock !== undefined)
    if (!Number.isInteger(out.stock) || out.stock < 0)
      invalid("stock", "The 'stock' field must be a non-negative integer.");
  return out;
}
const canEdit = (user, p) => user.role === "admin" || p.merchantId === user.id;

route(
  "POST",
  "/products",
  ["merchant", "admin"],
  ({ body, user }) => {
    const fields = productFields(body, false);
    const p = {
      id: `p${id().slice(0, 8)}`,
      description: "",
      currency: "CNY",
      categories: [],
      picture: null,
      ...fields,
      merchantId: user.id,
      createdAt: now(),
      updatedAt: now(),
      deleted: false,
    };
    products.set(p.id, p);
    return publicProduct(p);
  },
  201,
);

route("PATCH", "/products/:id", ["merchant", "admin"], ({ body, user, params }) => {
  const p = products.get(params.id);
  if (!p || p.deleted || !canEdit(user, p)) fail(404, "NOT_FOUND", "Product not found");
  Object.assign(p, productFields(body, true), { updatedAt: now() });
  return publicProduct(p);
});

route(
  "DELETE",
  "/products/:id",
  ["merchant", "admin"],
  ({ user, params }) => {
    const p = products.get(params.id);
    if (!p || p.deleted || !canEdit(user, p)) fail(404, "NOT_FOUND", "Product not found");
    p.deleted = true;
  },
  204,
);

route("GET", "/cart", "user", ({ user }) => cartView(user.id));

route("POST", "/cart/items", "user", ({ user, body }) => {
  const p = products.get(body.productId);
  if (!p || p.deleted) fail(404, "NOT_FOUND", "Product not found");
  const lines = carts.get(user.id) ?? new Map();
  const quantity = (lines.get(p.id) ?? 0) + Number(body.quantity);
  if (!Number.isInteger(body.quantity) || body.quantity < 1 || quantity > 99)
    invalid("quantity", "The quantity must be between 1 and 99.");
  if (quantity > p.stock)
    fail(409, "OUT_OF_STOCK", "Not enough stock", { productId: p.id, available: p.stock });
  lines.set(p.id, quantity);
  carts.set(user.id, lines);
  return cartView(user.id);
});

route("PUT", "/cart/items/:productId", "user", ({ user, body, params }) => {
  const lines = carts.get(user.id) ?? new Map();
  const p = products.get(params.productId);
  if (!p || p.deleted) fail(404, "NOT_FOUND", "Product not found");
  if (!Number.isInteger(body.quantity) || body.quantity < 0 || body.quantity > 99)
    invalid("quantity", "The quantity must be between 0 and 99.");
  if (body.quantity > p.stock)
    fail(409, "OUT_OF_STOCK", "Not enough stock", { productId: p.id, available: p.stock });
  if (body.quantity === 0) lines.delete(p.id);
  else lines.set(p.id, body.quantity);
  carts.set(user.id, lines);
  return cartView(user.id);
});

route("DELETE", "/cart/items/:productId", "user", ({ user, params }) => {
  carts.get(user.id)?.delete(params.productId);
  return cartView(user.id);
});
route("DELETE", "/cart", "user", ({ user }) => void carts.delete(user.id), 204);

route(
  "POST",
  "/checkout",
  "user",
  ({ req, user, body }) =>
    idempotent(req, user, body, async () => {
      const a = body.address ?? {};
      for (const f of ["name", "phone", "line1", "city", "country"]) {
        if (typeof a[f] !== "string" || !a[f].trim())
          invalid(`address.${f}`, `The 'address.${f}' field is required.`);
      }
      const cart = cartView(user.id);
      if (!cart.items.length) fail(422, "CART_EMPTY", "The cart is empty");
      for (const line of cart.items) {
        const p = products.get(line.productId);
        if (p.stock < line.quantity)
          fail(409, "OUT_OF_STOCK", `Not enough stock for ${p.name}`, {
            productId: p.id,
            name: p.name,
            available: p.stock,
          });
      }
      for (const line of cart.items) products.get(line.productId).stock -= line.quantity;
      const order = {
        id: `o${id().replace(/-/g, "").slice(0, 12)}`,
        userId: user.id,
        status: "pending",
        items: cart.items.map((l) => ({
          productId: l.productId,
          name: l.product.name,
          price: l.product.price,
          quantity: l.quantity,
          lineTotal: l.lineTotal,
        })),
        total: cart.subtotal,
        currency: "CNY",
        address: a,
        email: body.email ?? user.email,
        payment: null,
        expiresAt: new Date(Date.now() + ORDER_TTL * 1000).toISOString(),
        createdAt: now(),
        updatedAt: now(),
      };
      orders.set(order.id, order);
      carts.delete(user.id);
      if (body.card) charge(order, body.card);
      return order;
    }),
  201,
);

route("GET", "/orders", "user", ({ user, query }) => {
  const status = query.get("status");
  const rows = [...orders.values()]
    .filter((o) => o.userId === user.id && (!status || o.status === status))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return page(rows, query);
});
route("GET", "/orders/:id", "user", ({ user, params }) => ownOrder(user, params.id));

route("POST", "/orders/:id/pay", "user", ({ req, user, params, body }) =>
  idempotent(req, user, body, async () => {
    const order = ownOrder(user, params.id);
    if (order.status !== "pending") fail(409, "ORDER_NOT_PENDING", `The order is ${order.status}`);
    if (process.env.PAYMENTS_DOWN) fail(503, "PAYMENT_UNAVAILABLE", "Payments are unavailable");
    charge(order, body.card);
    return order;
  }),
);

route("POST", "/orders/:id/cancel", "user", ({ user, params }) => {
  const order = ownOrder(user, params.id);
  if (order.status === "pending") order.status = "cancelled";
  else if (order.status === "paid") {
    order.status = "refunded";
    order.payment.status = "refunded";
  } else fail(409, "ORDER_NOT_CANCELLABLE", `A ${order.status} order cannot be cancelled`);
  order.updatedAt = now();
  release(order);
  return order;
});

route("GET", "/admin/orders", ["admin"], ({ query }) => {
  const status = query.get("status");
  const rows = [...orders.values()]
    .filter((o) => !status || o.status === status)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return page(rows, query);
});
route("PATCH", "/admin/orders/:id", ["admin"], ({ params, body }) => {
  const order = orders.get(params.id);
  if (!order) fail(404, "NOT_FOUND", "Order not found");
  const allowed = { paid: "shipped", shipped: "completed" };
  if (allowed[order.status] !== body.status)
    fail(409, "INVALID_TRANSITION", `Cannot go from ${order.status} to ${body.status}`);
  order.status = body.status;
  order.updatedAt = now();
  return order;
});

route("GET", "/admin/users", ["admin"], ({ query }) => {
  const q = (query.get("q") ?? "").toLowerCase();
  const role = query.get("role");
  const rows = [...users.values()]
    .filter(
      (u) =>
        (!q || u.email.includes(q) || u.name.toLowerCase().includes(q)) &&
        (!role || u.role === role),
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map(publicUser);
  return page(rows, query);
});
route("PATCH", "/admin/users/:id", ["admin"], ({ params, body }) => {
  const user = users.get(params.id);
  if (!user) fail(404, "NOT_FOUND", "User not found");
  if (!["customer", "merchant", "admin"].includes(body.role)) invalid("role", "Unknown role");
  user.role = body.role;
  return publicUser(user);
});

route("GET", "/admin/access", ["admin"], () => ({
  whitelist: [
    "GET /api/health",
    "GET /api/products",
    "GET /api/products/:id",
    "GET /api/categories",
    "POST /api/auth/login",
    "POST /api/auth/register",
    "POST /api/auth/refresh",
  ],
  blacklist: { users: [...banned], ips: [...blockedIps] },
}));
route("PUT", "/admin/access/blacklist/users/:id", ["admin"], ({ params }) => {
  banned.add(params.id);
  return { users: [...banned] };
});
route("DELETE", "/admin/access/blacklist/users/:id", ["admin"], ({ params }) => {
  banned.delete(params.id);
  return { users: [...banned] };
});
route("PUT", "/admin/access/blacklist/ips/:ip", ["admin"], ({ params }) => {
  blockedIps.add(decodeURIComponent(params.ip));
  return { ips: [...blockedIps] };
});
route("DELETE", "/admin/access/blacklist/ips/:ip", ["admin"], ({ params }) => {
  blockedIps.delete(decodeURIComponent(params.ip));
  return { ips: [...blockedIps] };
});

route("GET", "/admin/cluster", ["admin"], () => {
  const up = (Date.now() - started) / 1000;
  const nodes = [
    {
      id: "gateway-1",
      hostname: "gw-1",
      ipList: ["10.0.0.10"],
      available: true,
      local: true,
      cpu: 10 + Math.random() * 20,
      uptime: up,
      services: ["api", "users"],
    },
    {
      id: "catalog-1",
      hostname: "cat-1",
      ipList: ["10.0.0.11"],
      available: true,
      cpu: 5 + Math.random() * 30,
      uptime: up,
      services: ["products", "carts"],
    },
    {
      id: "orders-1",
      hostname: "ord-1",
      ipList: ["10.0.0.12"],
      available: true,
      cpu: 5 + Math.random() * 40,
      uptime: up,
      services: ["orders", "payments"],
    },
  ];
  const services = [];
  for (const node of nodes)
    for (const s of node.services)
      services.push({ name: s, instances: [{ nodeId: node.id, available: true }] });
  const actions = [...stats.entries()].map(([name, s]) => {
    const sorted = [...s.latencies].sort((a, b) => a - b);
    const at = (q) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null;
    const rate = s.count / Math.max(1, up);
    return {
      name,
      requestRate: rate,
      errorRate: s.count ? s.errors / s.count : 0,
      latency: {
        mean: sorted.length ? sorted.reduce((x, y) => x + y, 0) / sorted.length : null,
        p95: at(0.95),
        p99: at(0.99),
      },
      breaker: name.includes("pay") && s.errors > 5 ? "half-open" : "closed",
    };
  });
  return { nodes, services, actions };
});

// ---------- server ----------

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

function pictureSvg(pid) {
  const p = products.get(pid);
  const colour = COLOURS[Number(pid.replace(/\D/g, "")) % COLOURS.length] ?? "#888";
  const letter = (p?.name ?? "?").slice(0, 1);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${colour}"/><stop offset="1" stop-color="#161823"/></linearGradient></defs><rect width="400" height="400" fill="url(#g)"/><text x="200" y="250" font-family="sans-serif" font-size="160" font-weight="700" text-anchor="middle" fill="#fff" fill-opacity=".9">${letter}</text></svg>`;
}

async function serveStatic(req, res, pathname) {
  const image = /^\/images\/([\w-]+)\.svg$/.exec(pathname);
  if (image) {
    res.writeHead(200, { "Content-Type": TYPES[".svg"], "Cache-Control": "max-age=3600" });
    return res.end(pictureSvg(image[1]));
  }
  const file = normalize(join(DIST, decodeURIComponent(pathname)));
  if (file.startsWith(DIST)) {
    try {
      if ((await stat(file)).isFile()) {
        res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
        return res.end(await readFile(file));
      }
    } catch {
      // fall through to the SPA fallback
    }
  }
  if (extname(pathname)) {
    res.writeHead(404, { "Content-Type": "text/plain" });
    return res.end("Not found");
  }
  try {
    res.writeHead(200, { "Content-Type": TYPES[".html"] });
    return res.end(await readFile(join(DIST, "index.html")));
  } catch {
    res.writeHead(503, { "Content-Type": "text/plain" });
    return res.end("Build the web app first: npm run build");
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (!text) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new HttpError(400, "BAD_REQUEST", "The body is not valid JSON"));
      }
    });
    req.on("error", reject);
  });
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
  res.end(status === 204 || body === undefined ? undefined : JSON.stringify(body));
}

createServer(async (req, res) => {
  const url = new URL(req.url, "http://localhost");
  const ip = req.socket.remoteAddress ?? "";
  if ([...blockedIps].some((b) => ip.endsWith(b.split("/")[0]))) {
    return send(res, 403, {
      name: "ForbiddenError",
      message: "Your address is blocked",
      code: 403,
      type: "IP_BLOCKED",
    });
  }
  if (!url.pathname.startsWith("/api/")) return serveStatic(req, res, url.pathname);
  const started = performance.now();
  let action = "unknown";
  let failed = false;
  try {
    const match = routes
      .filter((r) => r.method === req.method)
      .map((r) => ({ r, m: r.pattern.exec(url.pathname) }))
      .find((x) => x.m);
    if (!match) fail(404, "NOT_FOUND", "No such route");
    const { r, m } = match;
    action = r.action;
    const params = Object.fromEntries(
      r.names.map((name, i) => [name, decodeURIComponent(m[i + 1])]),
    );
    const body = ["POST", "PUT", "PATCH"].includes(req.method) ? await readBody(req) : {};
    let user = null;
    let session = null;
    const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "");
    if (auth) {
      session = sessions.get(auth[1]) ?? null;
      if (session && session.expiresAt < Date.now()) session = null;
      user = session ? users.get(session.userId) : null;
      if (!user && r.access !== "public")
        fail(401, "UNAUTHORIZED", "Invalid, expired or revoked token");
    }
    if (r.access !== "public") {
      if (!user) fail(401, "UNAUTHORIZED", "Authentication required");
      if (banned.has(user.id)) fail(403, "USER_BANNED", "This account is banned");
      if (Array.isArray(r.access) && !r.access.includes(user.role))
        fail(403, "FORBIDDEN", "You are not allowed to do this");
    }
    const result = await r.handler({
      req,
      params,
      query: url.searchParams,
      body,
      user,
      session,
      ip,
    });
    send(res, r.status, r.status === 204 ? undefined : result);
  } catch (error) {
    failed = true;
    if (error instanceof HttpError) {
      send(
        res,
        error.status,
        {
          name: NAMES_BY_STATUS[error.status] ?? "Error",
          message: error.message,
          code: error.status,
          type: error.type,
          data: error.data,
        },
        error.headers,
      );
    } else {
      console.error(error);
      send(res, 500, {
        name: "InternalError",
        message: "Something went wrong on our side",
        code: 500,
        type: "INTERNAL_ERROR",
      });
    }
  } finally {
    const s = stats.get(action) ?? { count: 0, errors: 0, latencies: [] };
    s.count += 1;
    if (failed && res.statusCode >= 500) s.errors += 1;
    s.latencies.push(performance.now() - started);
    if (s.latencies.length > 500) s.latencies.shift();
    stats.set(action, s);
  }
}).listen(PORT, "127.0.0.1", () => {
  console.warn(
    `Mock shop on http://localhost:${PORT} (access tokens live ${ACCESS_TTL} s). Accounts:`,
  );
  console.warn(
    "  admin@shop.test / admin-password, merchant@shop.test / merchant-password, shopper@shop.test / shopper-password",
  );
});
