/**
 * Schema-driven fuzzing, in both modes: for every operation of the served /api/openapi.json,
 * fast-check generates invalid and boundary requests (wrong types, missing and extra fields,
 * nulls, huge and tiny numbers, long, control-character, CJK and emoji text, in path params,
 * query strings and JSON bodies), as every kind of caller (anonymous, a bad token, customer,
 * merchant, admin). Any 5xx, any error outside `{name, message, code, type, data?}`, or any
 * hang fails the suite, printing the seed and the request.
 *
 * FUZZ_SEED (default 20261207), FUZZ_RUNS (runs per operation, default 30), FUZZ_ONLY (a
 * substring of "METHOD /api/path"), FUZZ_SHRINK=1 (shrink a failure to a smaller request).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { testModes } from "../helpers/infra.ts";
import { ADMIN, startShop, type TestShop } from "../helpers/shop.ts";
import { call, loginAdmin, registerUser, userWithRole } from "../helpers/http.ts";
import { createProduct } from "../helpers/catalog.ts";
import { ADDRESS, newKey } from "../helpers/orders.ts";
import {
  describeRequest,
  nameOf,
  operationsOf,
  problemWith,
  requestsFor,
  seedFor,
  send,
  type Caller,
  type Operation,
  type RequestSpace,
} from "../helpers/fuzz.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const ONLY = process.env.FUZZ_ONLY;
const SHRINK = process.env.FUZZ_SHRINK === "1";
/** A request with no answer by then hangs (generous: the machine may be busy). */
const TIMEOUT_MS = 15_000;

/** Operations that end the caller's session: each run gets a throwaway account's. */
const CONSUMES_SESSION = new Set(["POST /api/auth/logout", "DELETE /api/users/me"]);

const modes = await testModes();

for (const mode of modes) {
  describe(`schema-driven fuzzing (${mode} mode)`, () => {
    let shop: TestShop;
    let doc: unknown;
    const tokens: Partial<Record<Caller, string>> = {};
    const protectedUsers: string[] = [];
    const ids: Record<string, string[]> = {};
    let sent = 0;
    /** Answers by status over the whole run: the suite must reach past the gates. */
    const tally: Record<number, number> = {};

    before(async () => {
      shop = await startShop(mode);
      const admin = await loginAdmin(shop.url, ADMIN);
      const customer = await registerUser(shop.url, "fuzz-customer");
      const merchant = await userWithRole(shop.url, ADMIN, "merchant", "fuzz-merchant");
      const victim = await registerUser(shop.url, "fuzz-victim");
      Object.assign(tokens, {
        admin: admin.accessToken,
        customer: customer.accessToken,
        merchant: merchant.accessToken,
        "bad-token": "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.",
      });
      protectedUsers.push(admin.user.id, customer.user.id, merchant.user.id);
      const product = await createProduct(shop.url, merchant.accessToken, { stock: 1000 });
      const spare = await createProduct(shop.url, merchant.accessToken);
      const as = { token: customer.accessToken };
      await call(shop.url, "POST", "/api/cart/items", { productId: product.id, quantity: 1 }, as);
      const order = await call(
        shop.url,
        "POST",
        "/api/checkout",
        { address: ADDRESS },
        {
          ...as,
          headers: { "idempotency-key": newKey() },
        },
      );
      assert.equal(order.status, 201, JSON.stringify(order.body));
      await call(shop.url, "POST", "/api/cart/items", { productId: product.id, quantity: 2 }, as);
      Object.assign(ids, {
        product: [product.id, spare.id],
        keptProduct: [product.id],
        order: [order.body.id],
        user: [victim.user.id],
        ip: ["203.0.113.9", "198.51.100.0/24", "2001:db8::1"],
      });
      doc = (await call(shop.url, "GET", "/api/openapi.json")).body;
    });
    after(async () => {
      await shop?.stop();
    });

    const space: RequestSpace = {
      pathValues(op, param) {
        if (param === "ip") return ids.ip;
        if (param === "productId") return ids.product;
        if (op.path.includes("/users/") || op.path.includes("/blacklist/users/")) return ids.user;
        if (op.path.includes("/orders/")) return ids.order;
        return ids.product;
      },
      guard(op, req, { path }) {
        const same = (value: string | undefined, kept: readonly string[]) =>
          value !== undefined && kept.some((k) => Number(value.trim()) === Number(k));
        // The suite's own users keep their roles, sessions and access.
        if (/\/(admin|blacklist)\/users\//.test(op.path) && same(path.id, protectedUsers))
          return false;
        if (op.method === "DELETE" && op.path === "/api/products/{id}")
          return !same(path.id, ids.keptProduct);
        if (op.method === "PUT" && op.path.includes("/blacklist/ips/"))
          return !coversLoopback(path.ip);
        if (op.path.startsWith("/api/admin/access/policy") && req.body) return !namesRole(req.body);
        return true;
      },
    };

    it("fuzzes every operation of the served OpenAPI document", async (t) => {
      const ops = operationsOf(doc).filter((op) => !ONLY || nameOf(op).includes(ONLY));
      assert.ok(ONLY || ops.length >= 30, `only ${ops.length} operations in /api/openapi.json`);
      for (const op of ops) {
        await t.test(nameOf(op), () => fuzzOperation(op));
      }
      t.diagnostic(`answers by status: ${JSON.stringify(tally)}`);
      const total = Object.values(tally).reduce((a, b) => a + b, 0);
      const successes = Object.entries(tally)
        .filter(([status]) => status.startsWith("2"))
        .reduce((sum, [, n]) => sum + n, 0);
      // Valid requests with one part wrong must often get through: else the fuzzing only
      // exercised a gate (a blocked address, a lost session) and proved nothing.
      assert.ok(successes >= total * 0.1, `only ${successes} of ${total} requests succeeded`);
      const me = await call(shop.url, "GET", "/api/users/me", undefined, {
        token: tokens.customer,
      });
      assert.equal(me.status, 200, "the suite's own customer still gets in");
    });

    async function fuzzOperation(op: Operation): Promise<void> {
      const seed = seedFor(SEED, op);
      const consumes = CONSUMES_SESSION.has(nameOf(op));
      const property = fc.asyncProperty(requestsFor(op, space), async (req) => {
        const token = await tokenFor(req.caller, consumes);
        // Every gateway in turn (cluster mode has two).
        const gateway = shop.urls[sent++ % shop.urls.length];
        const reply = await send(gateway, req, token, TIMEOUT_MS);
        const status = reply?.status ?? 0;
        tally[status] = (tally[status] ?? 0) + 1;
        const problem = problemWith(op, reply);
        if (!problem) return;
        assert.fail(
          `${nameOf(op)}: ${problem}\n${describeRequest(req, reply)}\n` +
            `replay: FUZZ_SEED=${SEED} FUZZ_ONLY="${nameOf(op)}" (operation seed ${seed})`,
        );
      });
      await fc.assert(property, {
        seed,
        numRuns: consumes ? Math.min(RUNS, 6) : RUNS,
        endOnFailure: !SHRINK,
      });
    }

    async function tokenFor(caller: Caller, consumes: boolean): Promise<string | undefined> {
      if (caller === "anonymous") return undefined;
      if (consumes && caller !== "bad-token") {
        return (await registerUser(shop.url, "fuzz-throwaway")).accessToken;
      }
      return tokens[caller];
    }
  });
}

/** Whether blocking this address or range would block the suite itself (loopback). */
function coversLoopback(value: string | undefined): boolean {
  if (value === undefined) return false;
  const text = value.trim();
  let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    range = text.includes("/") ? ipaddr.parseCIDR(text) : [ipaddr.parse(text), 128];
    if (!text.includes("/") && range[0].kind() === "ipv4") range[1] = 32;
  } catch {
    return false;
  }
  const [net, bits] = range;
  return ["127.0.0.1", "::1", "::ffff:127.0.0.1"].some((probe) => {
    const addr = ipaddr.parse(probe);
    return addr.kind() === net.kind() && addr.match(net, bits);
  });
}

/** Whether a policy body names one of the shop's roles (changing those would lock the suite out). */
function namesRole(body: string): boolean {
  return /customer|merchant|admin|\*/i.test(body);
}
