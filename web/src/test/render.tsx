/** Rendering helpers for component tests: providers, a router, and a fake shop behind fetch. */
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { vi } from "vitest";
import type { User } from "../api/types.ts";
import { AuthTestProvider } from "../state/auth.tsx";
import { CartProvider } from "../state/cart.tsx";
import { ToastProvider } from "../state/toast.tsx";

export const shopper: User = {
  id: "u1",
  email: "ann@example.com",
  name: "Ann",
  role: "customer",
  createdAt: "2026-01-01T00:00:00.000Z",
};

export function json(
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export interface SeenRequest {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

type Handler = (req: SeenRequest) => Response | Promise<Response>;

/** Stubs fetch with handlers keyed "METHOD /api/path" (query strings ignored). */
export function fakeShop(handlers: Record<string, Handler>) {
  const seen: SeenRequest[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://shop.test");
    const req: SeenRequest = {
      method: init.method ?? "GET",
      path: url.pathname + url.search,
      headers: new Headers(init.headers),
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    };
    seen.push(req);
    const handler = handlers[`${req.method} ${url.pathname}`];
    if (!handler)
      return json(404, {
        name: "NotFoundError",
        message: "Not found",
        code: 404,
        type: "NOT_FOUND",
      });
    return handler(req);
  });
  vi.stubGlobal("fetch", fetch);
  return { fetch, seen };
}

/** Signs the test "browser" in, so the client sends a bearer token. */
export function signIn(): void {
  localStorage.setItem(
    "shop.tokens",
    JSON.stringify({ accessToken: "a1", refreshToken: "r1", expiresAt: Date.now() + 3_600_000 }),
  );
}

/**
 * Renders `ui` at `path` inside the app's providers. `routes` adds the other pages a flow may
 * navigate to, as [pattern, element].
 */
export function renderAt(
  path: string,
  pattern: string,
  ui: ReactElement,
  options: { user?: User | null; routes?: [string, ReactElement][] } = {},
) {
  const user = options.user === undefined ? shopper : options.user;
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AuthTestProvider value={{ user }}>
        <CartProvider>
          <ToastProvider>
            <Routes>
              <Route path={pattern} element={ui} />
              {(options.routes ?? []).map(([p, el]) => (
                <Route key={p} path={p} element={el} />
              ))}
            </Routes>
          </ToastProvider>
        </CartProvider>
      </AuthTestProvider>
    </MemoryRouter>,
  );
}
