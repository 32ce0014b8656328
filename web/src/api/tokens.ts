/** Where the session's tokens live: localStorage, shared by every tab of the shop. */
import type { Tokens } from "./types.ts";

export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens | null): void;
  /** Calls back when another tab changed the tokens; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export const TOKENS_KEY = "shop.tokens";

function isTokens(value: unknown): value is Tokens {
  const t = value as Partial<Tokens> | null;
  return (
    !!t &&
    typeof t.accessToken === "string" &&
    typeof t.refreshToken === "string" &&
    typeof t.expiresAt === "number"
  );
}

/** The browser's store. Reads are cheap, so every read sees what another tab just wrote. */
export function localTokenStore(storage: Storage = window.localStorage): TokenStore {
  return {
    get() {
      try {
        const raw = storage.getItem(TOKENS_KEY);
        const parsed: unknown = raw ? JSON.parse(raw) : null;
        return isTokens(parsed) ? parsed : null;
      } catch {
        return null;
      }
    },
    set(tokens) {
      try {
        if (tokens) storage.setItem(TOKENS_KEY, JSON.stringify(tokens));
        else storage.removeItem(TOKENS_KEY);
      } catch {
        // Storage full or disabled (private mode): the session lives as long as the page.
      }
    },
    subscribe(listener) {
      const onStorage = (e: StorageEvent) => {
        if (e.key === TOKENS_KEY || e.key === null) listener();
      };
      window.addEventListener("storage", onStorage);
      return () => window.removeEventListener("storage", onStorage);
    },
  };
}

/** A store in memory, for tests. */
export function memoryTokenStore(initial: Tokens | null = null): TokenStore {
  let tokens = initial;
  return {
    get: () => tokens,
    set: (t) => {
      tokens = t;
    },
    subscribe: () => () => {},
  };
}
