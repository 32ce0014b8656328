/**
 * The one way the app talks to the shop: JSON over fetch, bearer tokens attached, errors thrown
 * as ApiError. The access token is renewed before it expires and once more on a 401; renewals
 * are single-flight (one POST /auth/refresh however many requests need it, across tabs too),
 * because the refresh token rotates and presenting a dead one revokes the whole session.
 */
import { ApiError, errorFromResponse, networkError } from "./errors.ts";
import type { TokenStore } from "./tokens.ts";
import type { Session, Tokens } from "./types.ts";

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** false: never send the token (login, register, refresh). Default true. */
  auth?: boolean;
  /**
   * A read anyone may make (the catalog): the token goes with it while the session is good,
   * never once the account is banned (a banned token is refused everywhere, the catalog too).
   */
  public?: boolean;
}

export type SessionEvent =
  | { type: "signedIn" }
  | { type: "ended"; reason: "expired" | "loggedOut" }
  | { type: "banned"; error: ApiError };

export interface ClientOptions {
  store: TokenStore;
  baseUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Renew this many ms before the access token expires. */
  refreshMarginMs?: number;
  /** Cross-tab lock for renewals (navigator.locks); omitted where unavailable. */
  locks?: Pick<LockManager, "request"> | null;
  /** The app's language, sent as Accept-Language (category names come in it). */
  language?: () => string;
}

const REFRESH_LOCK = "shop.tokens.refresh";

export function tokensFrom(
  session: Pick<Session, "accessToken" | "refreshToken" | "expiresIn">,
  now: number,
  margin = 15_000,
): Tokens {
  const lifetime = Math.max(0, Number(session.expiresIn) || 0) * 1000;
  return {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    expiresAt: now + lifetime,
    refreshAt: now + lifetime - Math.min(margin, lifetime / 5),
  };
}

export class ApiClient {
  private readonly store: TokenStore;
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private readonly margin: number;
  private readonly locks: Pick<LockManager, "request"> | null;
  private readonly language: (() => string) | null;
  private refreshing: Promise<Tokens | null> | null = null;
  /** The server said USER_BANNED to this session: public reads go anonymously. */
  private bannedSession = false;
  private readonly listeners = new Set<(e: SessionEvent) => void>();

  constructor(options: ClientOptions) {
    this.store = options.store;
    this.baseUrl = options.baseUrl ?? "/api";
    this.fetchFn = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.now = options.now ?? Date.now;
    this.margin = options.refreshMarginMs ?? 15_000;
    this.locks = options.locks ?? null;
    this.language = options.language ?? null;
  }

  /** Listens to sign-in, sign-out, expiry and ban; returns the unsubscribe function. */
  onSession(listener: (e: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: SessionEvent): void {
    if (event.type === "banned") this.bannedSession = true;
    else this.bannedSession = false;
    for (const listener of this.listeners) listener(event);
  }

  get hasSession(): boolean {
    return this.store.get() !== null;
  }

  /** Keeps the tokens of a register or login answer. */
  startSession(session: Session): void {
    this.store.set(tokensFrom(session, this.now(), this.margin));
    this.emit({ type: "signedIn" });
  }

  /** Forgets the tokens (the server side is told by logout()). */
  endSession(reason: "expired" | "loggedOut"): void {
    this.store.set(null);
    this.emit({ type: "ended", reason });
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>("GET", path, { query, signal });
  }
  /** A GET anyone may make (see RequestOptions.public). */
  getPublic<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>("GET", path, { query, signal, public: true });
  }
  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, "body"> = {}): Promise<T> {
    return this.request<T>("POST", path, { ...options, body });
  }
  put<T>(path: string, body?: unknown, options: Omit<RequestOptions, "body"> = {}): Promise<T> {
    return this.request<T>("PUT", path, { ...options, body });
  }
  patch<T>(path: string, body?: unknown, options: Omit<RequestOptions, "body"> = {}): Promise<T> {
    return this.request<T>("PATCH", path, { ...options, body });
  }
  delete<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>("DELETE", path, options);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    if (options.public && options.auth !== false) {
      if (this.bannedSession) return this.request<T>(method, path, { ...options, auth: false });
      try {
        return await this.request<T>(method, path, { ...options, public: false });
      } catch (err) {
        if (!(err instanceof ApiError && err.type === "USER_BANNED")) throw err;
        return this.request<T>(method, path, { ...options, auth: false });
      }
    }
    const useAuth = options.auth !== false;
    let tokens = useAuth ? this.store.get() : null;
    if (tokens && this.due(tokens)) {
      tokens = await this.refresh(tokens);
    }
    let res = await this.send(method, path, options, tokens);
    if (res.status === 401 && tokens) {
      const renewed = await this.refresh(tokens);
      if (renewed) res = await this.send(method, path, options, renewed);
    }
    if (!res.ok) {
      const error = await errorFromResponse(res);
      if (error.type === "USER_BANNED") this.emit({ type: "banned", error });
      throw error;
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Time to renew these tokens ahead of their expiry. */
  private due(tokens: Tokens): boolean {
    return (tokens.refreshAt ?? tokens.expiresAt - this.margin) <= this.now();
  }

  /**
   * Renews the tokens that `stale` belongs to. Callers that arrive while a renewal runs share
   * it; a caller whose tokens were already replaced (by another request or tab) gets the new ones
   * without a second POST. Resolves to null when the session is over.
   */
  refresh(stale: Tokens): Promise<Tokens | null> {
    if (!this.refreshing) {
      const run = () => this.renew(stale);
      const task: Promise<Tokens | null> = this.locks
        ? (this.locks.request(REFRESH_LOCK, run) as unknown as Promise<Tokens | null>)
        : run();
      this.refreshing = task.finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async renew(stale: Tokens): Promise<Tokens | null> {
    const current = this.store.get();
    if (!current) return null;
    if (current.refreshToken !== stale.refreshToken && !this.due(current)) {
      return current;
    }
    let res: Response;
    try {
      res = await this.fetchFn(this.url("/auth/refresh"), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
    } catch (cause) {
      throw networkError(cause);
    }
    if (res.ok) {
      const body = (await res.json()) as Session;
      const next = tokensFrom(body, this.now(), this.margin);
      // A logout in the meantime wins over the renewal.
      if (!this.store.get()) return null;
      this.store.set(next);
      return next;
    }
    const error = await errorFromResponse(res);
    if (error.type === "USER_BANNED") {
      // Keep the tokens: the ban may be lifted, and the reason must reach the page.
      this.emit({ type: "banned", error });
      throw error;
    }
    if (res.status >= 500 || res.status === 429 || res.status === 403) throw error;
    this.endSession("expired");
    return null;
  }

  private url(path: string, query?: Query): string {
    let url = this.baseUrl + path;
    if (query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
      }
      const qs = params.toString();
      if (qs) url += `?${qs}`;
    }
    return url;
  }

  private async send(
    method: string,
    path: string,
    options: RequestOptions,
    tokens: Tokens | null,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    if (this.language) headers["Accept-Language"] = this.language();
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (tokens) headers.Authorization = `Bearer ${tokens.accessToken}`;
    try {
      return await this.fetchFn(this.url(path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (cause) {
      throw networkError(cause);
    }
  }
}

export { ApiError };
