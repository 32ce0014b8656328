import { describe, expect, it, vi } from "vitest";
import { ApiClient, tokensFrom, type SessionEvent } from "./client.ts";
import { ApiError } from "./errors.ts";
import { memoryTokenStore } from "./tokens.ts";
import type { Tokens } from "./types.ts";

const NOW = 1_000_000;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/**
 * A tiny stand-in for the gateway: access tokens "access-N" are valid while N is the current
 * generation; POST /auth/refresh rotates, and a dead refresh token is refused.
 */
function fakeShop(options: { refreshDelayMs?: number; refreshFails?: "network" | 401 } = {}) {
  let generation = 1;
  const calls: { method: string; url: string; auth: string | null; body: unknown }[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const headers = new Headers(init.headers);
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method: init.method ?? "GET", url, auth: headers.get("Authorization"), body });
    if (url === "/api/auth/refresh") {
      if (options.refreshDelayMs) await new Promise((r) => setTimeout(r, options.refreshDelayMs));
      if (options.refreshFails === "network") throw new TypeError("Failed to fetch");
      if (options.refreshFails === 401 || body.refreshToken !== `refresh-${generation}`) {
        return json(401, {
          name: "UnauthorizedError",
          message: "Invalid refresh token",
          code: 401,
          type: "UNAUTHORIZED",
        });
      }
      generation += 1;
      return json(200, {
        accessToken: `access-${generation}`,
        refreshToken: `refresh-${generation}`,
        expiresIn: 900,
      });
    }
    if (headers.get("Authorization") !== `Bearer access-${generation}`) {
      return json(401, {
        name: "UnauthorizedError",
        message: "Invalid token",
        code: 401,
        type: "UNAUTHORIZED",
      });
    }
    return json(200, { ok: true, url });
  });
  return {
    fetch,
    calls,
    refreshes: () => calls.filter((c) => c.url === "/api/auth/refresh").length,
    /** The server side expires the current access token (as time passes). */
    expireAccess: () => {
      generation += 0.5;
    },
    get generation() {
      return generation;
    },
  };
}

function clientFor(
  shop: ReturnType<typeof fakeShop>,
  tokens: Tokens | null,
  extra: Partial<ConstructorParameters<typeof ApiClient>[0]> = {},
) {
  const store = memoryTokenStore(tokens);
  const client = new ApiClient({
    store,
    fetch: shop.fetch as unknown as typeof fetch,
    now: () => NOW,
    ...extra,
  });
  const events: SessionEvent[] = [];
  client.onSession((e) => events.push(e));
  return { client, store, events };
}

const fresh: Tokens = {
  accessToken: "access-1",
  refreshToken: "refresh-1",
  expiresAt: NOW + 600_000,
};

describe("ApiClient requests", () => {
  it("sends the bearer token and JSON, and leaves empty query values out", async () => {
    const shop = fakeShop();
    const { client } = clientFor(shop, fresh);
    await client.post("/cart/items", { productId: "p1", quantity: 2 });
    await client.get("/products", { q: "tea", page: 2, category: "", minPrice: undefined });
    expect(shop.calls[0]).toMatchObject({
      method: "POST",
      url: "/api/cart/items",
      auth: "Bearer access-1",
      body: { productId: "p1", quantity: 2 },
    });
    expect(shop.calls[1].url).toBe("/api/products?q=tea&page=2");
  });

  it("sends no token when asked not to", async () => {
    const fetch = vi.fn(async () => json(200, {}));
    const client = new ApiClient({ store: memoryTokenStore(fresh), fetch });
    await client.post("/auth/login", { email: "a@b.c", password: "x" }, { auth: false });
    expect(
      new Headers((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].headers).has(
        "Authorization",
      ),
    ).toBe(false);
  });

  it("passes extra headers such as Idempotency-Key", async () => {
    const fetch = vi.fn(async () => json(201, { id: "o1" }));
    const client = new ApiClient({ store: memoryTokenStore(null), fetch });
    await client.post("/checkout", {}, { headers: { "Idempotency-Key": "k-1" } });
    expect(
      new Headers((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].headers).get(
        "Idempotency-Key",
      ),
    ).toBe("k-1");
  });

  it("answers undefined for 204", async () => {
    const client = new ApiClient({
      store: memoryTokenStore(null),
      fetch: async () => new Response(null, { status: 204 }),
    });
    await expect(client.delete("/cart")).resolves.toBeUndefined();
  });

  it("throws the API's error shape as an ApiError", async () => {
    const client = new ApiClient({
      store: memoryTokenStore(null),
      fetch: async () =>
        json(422, {
          name: "ValidationError",
          message: "Bad",
          code: 422,
          type: "VALIDATION_ERROR",
          data: [{ field: "email", message: "Not an email" }],
        }),
    });
    const error = await client.post("/auth/register", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, type: "VALIDATION_ERROR", message: "Bad" });
    expect((error as ApiError).fields).toEqual({ email: "Not an email" });
  });

  it("reads Retry-After on 429", async () => {
    const client = new ApiClient({
      store: memoryTokenStore(null),
      fetch: async () =>
        json(
          429,
          { message: "Too many requests", type: "RATE_LIMITED", code: 429 },
          { "Retry-After": "12" },
        ),
    });
    await expect(client.get("/products")).rejects.toMatchObject({
      status: 429,
      type: "RATE_LIMITED",
      retryAfter: 12,
    });
  });

  it("gives a typed error for a non-JSON gateway failure", async () => {
    const client = new ApiClient({
      store: memoryTokenStore(null),
      fetch: async () =>
        new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    });
    await expect(client.get("/products")).rejects.toMatchObject({
      status: 502,
      type: "BAD_GATEWAY",
      transient: true,
    });
  });

  it("turns a failed fetch into NETWORK_ERROR", async () => {
    const client = new ApiClient({
      store: memoryTokenStore(null),
      fetch: async () => {
        throw new TypeError("Failed to fetch");
      },
    });
    await expect(client.get("/products")).rejects.toMatchObject({
      status: 0,
      type: "NETWORK_ERROR",
    });
  });

  it("announces a ban", async () => {
    const client = new ApiClient({
      store: memoryTokenStore(fresh),
      now: () => NOW,
      fetch: async () => json(403, { message: "banned", type: "USER_BANNED", code: 403 }),
    });
    const events: SessionEvent[] = [];
    client.onSession((e) => events.push(e));
    await expect(client.get("/cart")).rejects.toMatchObject({ type: "USER_BANNED" });
    expect(events.map((e) => e.type)).toEqual(["banned"]);
  });
});

describe("ApiClient token refresh", () => {
  it("renews once and retries when the access token is refused", async () => {
    const shop = fakeShop();
    const stale: Tokens = {
      accessToken: "access-0",
      refreshToken: "refresh-1",
      expiresAt: NOW + 600_000,
    };
    const { client, events } = clientFor(shop, stale);
    await expect(client.get("/cart")).resolves.toMatchObject({ ok: true });
    expect(shop.refreshes()).toBe(1);
    expect(shop.calls.map((c) => [c.url, c.auth])).toEqual([
      ["/api/cart", "Bearer access-0"],
      ["/api/auth/refresh", null],
      ["/api/cart", "Bearer access-2"],
    ]);
    expect(events).toEqual([]);
  });

  it("makes ONE refresh call for many concurrent 401s and retries them all with the new token", async () => {
    const shop = fakeShop({ refreshDelayMs: 20 });
    // Tokens the client believes are fresh, but the server already rotated the access token.
    const stale: Tokens = {
      accessToken: "access-0",
      refreshToken: "refresh-1",
      expiresAt: NOW + 600_000,
    };
    const { client, store } = clientFor(shop, stale);
    const results = await Promise.all([
      client.get("/cart"),
      client.get("/orders"),
      client.get("/users/me"),
      client.get("/cart"),
    ]);
    expect(results).toHaveLength(4);
    expect(shop.refreshes()).toBe(1);
    expect(store.get()).toMatchObject({ accessToken: "access-2", refreshToken: "refresh-2" });
    const retried = shop.calls.filter(
      (c) => c.url !== "/api/auth/refresh" && c.auth === "Bearer access-2",
    );
    expect(retried).toHaveLength(4);
  });

  it("renews before sending when the access token is about to expire", async () => {
    const shop = fakeShop();
    const soon: Tokens = {
      accessToken: "access-1",
      refreshToken: "refresh-1",
      expiresAt: NOW + 5_000,
    };
    const { client, store } = clientFor(shop, soon);
    await Promise.all([client.get("/cart"), client.get("/orders")]);
    expect(shop.refreshes()).toBe(1);
    // No request went out with the old token: nothing was refused.
    expect(shop.calls.filter((c) => c.auth === "Bearer access-1")).toHaveLength(0);
    expect(store.get()?.expiresAt).toBe(NOW + 900_000);
  });

  it("plans renewal 15 s early, or a fifth of the life early for short-lived tokens", () => {
    const long = tokensFrom({ accessToken: "a", refreshToken: "r", expiresIn: 900 }, 0);
    const short = tokensFrom({ accessToken: "a", refreshToken: "r", expiresIn: 10 }, 0);
    expect(long).toMatchObject({ expiresAt: 900_000, refreshAt: 885_000 });
    expect(short).toMatchObject({ expiresAt: 10_000, refreshAt: 8_000 });
  });

  it("uses tokens another tab already renewed instead of presenting a dead refresh token", async () => {
    const shop = fakeShop();
    const { client, store } = clientFor(shop, fresh);
    // Another tab renews: the shared store now holds generation 2.
    await new ApiClient({
      store,
      fetch: shop.fetch as unknown as typeof fetch,
      now: () => NOW,
    }).refresh(fresh);
    expect(shop.refreshes()).toBe(1);
    // This tab still sends with what it read before, gets a 401, and must not refresh again.
    const r = await client.refresh(fresh);
    expect(r?.accessToken).toBe("access-2");
    expect(shop.refreshes()).toBe(1);
  });

  it("ends the session when the refresh token is refused", async () => {
    const shop = fakeShop({ refreshFails: 401 });
    const stale: Tokens = {
      accessToken: "access-0",
      refreshToken: "refresh-1",
      expiresAt: NOW + 600_000,
    };
    const { client, store, events } = clientFor(shop, stale);
    const results = await Promise.allSettled([client.get("/cart"), client.get("/orders")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ status: 401 });
    expect(shop.refreshes()).toBe(1);
    expect(store.get()).toBeNull();
    expect(events).toEqual([{ type: "ended", reason: "expired" }]);
  });

  it("keeps the session when the refresh could not reach the shop", async () => {
    const shop = fakeShop({ refreshFails: "network" });
    const soon: Tokens = { accessToken: "access-1", refreshToken: "refresh-1", expiresAt: NOW - 1 };
    const { client, store, events } = clientFor(shop, soon);
    await expect(client.get("/cart")).rejects.toMatchObject({ type: "NETWORK_ERROR" });
    expect(store.get()).toEqual(soon);
    expect(events).toEqual([]);
  });

  it("keeps the tokens and reports the ban when the refresh is refused for a banned user", async () => {
    const soon: Tokens = { accessToken: "access-1", refreshToken: "refresh-1", expiresAt: NOW - 1 };
    const store = memoryTokenStore(soon);
    const fetch = vi.fn(async () =>
      json(403, { message: "banned", type: "USER_BANNED", code: 403 }),
    );
    const client = new ApiClient({ store, fetch, now: () => NOW });
    const events: SessionEvent[] = [];
    client.onSession((e) => events.push(e));
    await expect(client.get("/cart")).rejects.toMatchObject({ type: "USER_BANNED" });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(store.get()).toEqual(soon);
    expect(events.map((e) => e.type)).toEqual(["banned"]);
  });

  it("does not refresh for an anonymous request", async () => {
    const shop = fakeShop();
    const { client } = clientFor(shop, null);
    await expect(client.get("/cart")).rejects.toMatchObject({ status: 401 });
    expect(shop.refreshes()).toBe(0);
  });

  it("holds the cross-tab lock while renewing", async () => {
    const shop = fakeShop();
    const request = vi.fn((_name: string, run: () => Promise<unknown>) => run());
    const stale: Tokens = {
      accessToken: "access-0",
      refreshToken: "refresh-1",
      expiresAt: NOW + 600_000,
    };
    const { client } = clientFor(shop, stale, { locks: { request } as unknown as LockManager });
    await client.get("/cart");
    expect(request).toHaveBeenCalledTimes(1);
    expect(request.mock.calls[0][0]).toBe("shop.tokens.refresh");
  });

  it("a logout during a renewal wins", async () => {
    const shop = fakeShop({ refreshDelayMs: 10 });
    const soon: Tokens = { accessToken: "access-1", refreshToken: "refresh-1", expiresAt: NOW - 1 };
    const { client, store } = clientFor(shop, soon);
    const pending = client.refresh(soon);
    client.endSession("loggedOut");
    await expect(pending).resolves.toBeNull();
    expect(store.get()).toBeNull();
  });
});

describe("ApiClient public reads for a banned session", () => {
  it("retries a public read without the refused token, and sends none afterwards", async () => {
    const fresh: Tokens = { accessToken: "a", refreshToken: "r", expiresAt: NOW + 600_000 };
    const seen: (string | null)[] = [];
    const client = new ApiClient({
      store: memoryTokenStore(fresh),
      now: () => NOW,
      fetch: async (_url, init: RequestInit = {}) => {
        const auth = new Headers(init.headers).get("Authorization");
        seen.push(auth);
        return auth
          ? json(403, { message: "banned", type: "USER_BANNED", code: 403 })
          : json(200, { rows: [] });
      },
    });
    const events: SessionEvent[] = [];
    client.onSession((e) => events.push(e));
    await expect(client.getPublic("/products")).resolves.toEqual({ rows: [] });
    await expect(client.getPublic("/products")).resolves.toEqual({ rows: [] });
    expect(seen).toEqual(["Bearer a", null, null]);
    expect(events.map((e) => e.type)).toEqual(["banned"]);
    // Signed-in reads keep the token (and keep being refused).
    await expect(client.get("/cart")).rejects.toMatchObject({ type: "USER_BANNED" });
    expect(seen.at(-1)).toBe("Bearer a");
  });
});
