/** Who is signed in, kept in step with the API client's session events and with other tabs. */
import { i18n } from "../i18n/index.ts";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";
import { ApiError } from "../api/errors.ts";
import { auth, client } from "../api/shop.ts";
import type { Role, User } from "../api/types.ts";

export interface AuthState {
  /** false until the stored session has been checked. */
  ready: boolean;
  user: User | null;
  /** The account was banned (403 USER_BANNED) during this visit. */
  banned: boolean;
  /** Why the user was signed out without asking, shown on the login page. */
  notice: string | null;
  login(email: string, password: string): Promise<User>;
  register(email: string, password: string, name?: string): Promise<User>;
  logout(): Promise<void>;
  /** The profile changed (name): show the new one. */
  updated(user: User): void;
  clearNotice(): void;
  hasRole(...roles: Role[]): boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(false);
  const [user, setUser] = useState<User | null>(null);
  const [banned, setBanned] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const loadMe = useCallback(async () => {
    if (!client.hasSession) {
      setUser(null);
      setReady(true);
      return;
    }
    try {
      setUser(await auth.me());
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.type === "USER_BANNED")) {
        setUser(null);
      }
      // Other failures (shop unreachable): keep the tokens, try again on the next visit.
    } finally {
      setReady(true);
    }
  }, []);

  useEffect(() => {
    void loadMe();
    const offSession = client.onSession((event) => {
      if (event.type === "ended") {
        setUser(null);
        if (event.reason === "expired") setNotice(i18n.t("errors.UNAUTHORIZED"));
      } else if (event.type === "banned") {
        setBanned(true);
      }
    });
    // Another tab logged in or out.
    const offStorage = (() => {
      const onStorage = (e: StorageEvent) => {
        if (e.key === "shop.tokens" || e.key === null) void loadMe();
      };
      window.addEventListener("storage", onStorage);
      return () => window.removeEventListener("storage", onStorage);
    })();
    return () => {
      offSession();
      offStorage();
    };
  }, [loadMe]);

  const value = useMemo<AuthState>(
    () => ({
      ready,
      user,
      banned,
      notice,
      async login(email, password) {
        const u = await auth.login({ email, password });
        setUser(u);
        setBanned(false);
        setNotice(null);
        return u;
      },
      async register(email, password, name) {
        const u = await auth.register({ email, password, ...(name ? { name } : {}) });
        setUser(u);
        setBanned(false);
        setNotice(null);
        return u;
      },
      async logout() {
        await auth.logout();
        setUser(null);
        setBanned(false);
      },
      updated: (u) => setUser(u),
      clearNotice: () => setNotice(null),
      hasRole: (...roles) => !!user && roles.includes(user.role),
    }),
    [ready, user, banned, notice],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth outside AuthProvider");
  return ctx;
}

/** For tests and stories: a fixed auth state. */
export function AuthTestProvider({
  value,
  children,
}: {
  value: Partial<AuthState>;
  children: ReactNode;
}) {
  const full: AuthState = {
    ready: true,
    user: null,
    banned: false,
    notice: null,
    login: async () => {
      throw new Error("not in tests");
    },
    register: async () => {
      throw new Error("not in tests");
    },
    logout: async () => {},
    updated: () => {},
    clearNotice: () => {},
    hasRole: (...roles) => !!value.user && roles.includes(value.user.role),
    ...value,
  };
  return <AuthContext.Provider value={full}>{children}</AuthContext.Provider>;
}
