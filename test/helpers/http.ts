/**
 * A tiny HTTP client for the tests: JSON in, { status, body, headers } out. Every answer is
 * checked against the OpenAPI document (./contract.ts).
 */
import { checkAnswer } from "./contract.ts";

/**
 * What a test reads an answer as by default. Loose on purpose: every answer's shape is checked
 * against the OpenAPI document at runtime (./contract.ts), which is the type that matters here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type Loose = any;

export interface Reply<T = Loose> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Raw body (sent as is); otherwise `body` is JSON-encoded. */
  raw?: string;
}

/** JSON when the body is JSON, else the text itself (null when empty). */
function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

export async function call<T = Loose>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  opts: RequestOptions = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (
    payload !== undefined &&
    !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")
  ) {
    headers["content-type"] = "application/json";
  }
  const res = await fetch(base + path, { method, headers, body: payload });
  const parsed = parseBody(await res.text());
  checkAnswer(method, path, res.status, res.headers, parsed);
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export function client(base: string, token?: string) {
  const withToken = (opts: RequestOptions = {}) => ({ token, ...opts });
  return {
    get: <T = Loose>(path: string, opts?: RequestOptions) =>
      call<T>(base, "GET", path, undefined, withToken(opts)),
    post: <T = Loose>(path: string, body?: unknown, opts?: RequestOptions) =>
      call<T>(base, "POST", path, body, withToken(opts)),
    put: <T = Loose>(path: string, body?: unknown, opts?: RequestOptions) =>
      call<T>(base, "PUT", path, body, withToken(opts)),
    patch: <T = Loose>(path: string, body?: unknown, opts?: RequestOptions) =>
      call<T>(base, "PATCH", path, body, withToken(opts)),
    delete: <T = Loose>(path: string, opts?: RequestOptions) =>
      call<T>(base, "DELETE", path, undefined, withToken(opts)),
  };
}

let counter = 0;
/** A unique email for a test user. */
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 7)}@example.com`;
}

/** Registers a new customer and returns its session. */
export async function registerUser(base: string, prefix = "user") {
  const email = uniqueEmail(prefix);
  const password = "correct-horse-battery";
  const res = await call(base, "POST", "/api/auth/register", { email, password });
  if (res.status !== 201)
    throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { email, password, ...res.body } as {
    email: string;
    password: string;
    user: { id: string; role: string };
    accessToken: string;
    refreshToken: string;
  };
}

/** Logs in as the bootstrapped administrator of a test shop. */
export async function loginAdmin(base: string, admin: { email: string; password: string }) {
  const res = await call(base, "POST", "/api/auth/login", admin);
  if (res.status !== 200)
    throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { accessToken: string; user: { id: string } };
}

/** A new user with the given role (set by the admin), logged in again so the token carries it. */
export async function userWithRole(
  base: string,
  admin: { email: string; password: string },
  role: "customer" | "merchant" | "admin",
  prefix: string = role,
) {
  const u = await registerUser(base, prefix);
  if (role !== "customer") {
    const a = await loginAdmin(base, admin);
    const set = await call(
      base,
      "PATCH",
      `/api/admin/users/${u.user.id}`,
      { role },
      { token: a.accessToken },
    );
    if (set.status !== 200)
      throw new Error(`set role failed: ${set.status} ${JSON.stringify(set.body)}`);
  }
  const login = await call(base, "POST", "/api/auth/login", {
    email: u.email,
    password: u.password,
  });
  return { ...u, ...login.body } as typeof u;
}

/** Like `call`, but from another loopback source address (127.0.0.x), to test per-address rules. */
export async function callFrom<T = Loose>(
  localAddress: string,
  base: string,
  method: string,
  path: string,
  body?: unknown,
  opts: RequestOptions = {},
): Promise<Reply<T>> {
  const { request } = await import("node:http");
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (payload) headers["content-type"] = "application/json";
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers,
        localAddress,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const parsed = parseBody(Buffer.concat(chunks).toString());
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") h.set(k, v);
          try {
            checkAnswer(method, path, res.statusCode ?? 0, h, parsed);
          } catch (err) {
            reject(err);
            return;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T, headers: h });
        });
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Retries `probe` until it returns true or `ms` pass; returns the time it took. */
export async function eventually(
  probe: () => Promise<boolean>,
  ms = 5_000,
  step = 50,
): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, step));
  }
}
