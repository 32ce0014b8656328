/** The frame of every page: header with search, cart and account menu; the page; a footer. */
import { Suspense, useEffect, useRef, useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, useLocation, useNavigate, useSearchParams } from "react-router";
import { switchLanguage } from "../i18n/index.ts";
import { LANGUAGES, isLanguage } from "../i18n/language.ts";
import { useAuth } from "../state/auth.tsx";
import { Spinner } from "./Feedback.tsx";
import { useCart } from "../state/cart.tsx";

function SearchBox() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const location = useLocation();
  const [q, setQ] = useState("");
  useEffect(() => {
    if (location.pathname === "/search") setQ(params.get("q") ?? "");
  }, [location.pathname, params]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (q.trim()) next.set("q", q.trim());
    navigate(`/search${next.size ? `?${next}` : ""}`);
  };
  return (
    <form
      className="search-box"
      role="search"
      aria-label={t("layout.searchLabel")}
      onSubmit={submit}
    >
      <label htmlFor="site-search" className="visually-hidden">
        {t("layout.searchLabel")}
      </label>
      <input
        id="site-search"
        type="search"
        placeholder={t("layout.searchPlaceholder")}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        data-testid="search-input"
        enterKeyHint="search"
      />
      <button
        type="submit"
        className="button primary"
        data-testid="search-submit"
        aria-label={t("layout.searchButton")}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <circle cx="11" cy="11" r="6.5" fill="none" stroke="currentColor" strokeWidth="2.2" />
          <path d="M16 16l4.5 4.5" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
        </svg>
      </button>
    </form>
  );
}

function AccountMenu() {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const menu = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    menu.current?.removeAttribute("open");
  }, [location.pathname]);
  // Close the menu on Escape (focus back on its button) and on a click elsewhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && menu.current?.open) {
        menu.current.removeAttribute("open");
        menu.current.querySelector("summary")?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (menu.current?.open && !menu.current.contains(e.target as Node)) {
        menu.current.removeAttribute("open");
      }
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("click", onClick);
    };
  }, []);
  if (!user) {
    return (
      <div className="account-links">
        <NavLink to="/login" data-testid="nav-login">
          {t("layout.login")}
        </NavLink>
        <Link to="/register" className="button primary small" data-testid="nav-register">
          {t("layout.signUp")}
        </Link>
      </div>
    );
  }
  return (
    <details className="menu" ref={menu} data-testid="account-menu">
      <summary aria-label={t("layout.accountMenu", { name: user.name || user.email })}>
        <span className="avatar" aria-hidden="true">
          {(user.name || user.email).slice(0, 1).toUpperCase()}
        </span>
        <span className="menu-name" data-testid="current-user">
          {user.name || user.email}
        </span>
      </summary>
      <ul className="menu-list">
        <li className="menu-caption">
          <Trans
            i18nKey="layout.signedInAs"
            values={{ email: user.email, role: t(`roles.${user.role}`) }}
            components={{ strong: <strong /> }}
          />
        </li>
        <li>
          <Link to="/account" data-testid="nav-account">
            {t("layout.myAccount")}
          </Link>
        </li>
        <li>
          <Link to="/orders">{t("layout.yourOrders")}</Link>
        </li>
        {user.role === "merchant" || user.role === "admin" ? (
          <li>
            <Link to="/merchant/products" data-testid="nav-merchant">
              {t("layout.yourProducts")}
            </Link>
          </li>
        ) : null}
        {user.role === "merchant" || user.role === "admin" ? (
          <li>
            <Link to="/merchant/orders" data-testid="nav-merchant-orders">
              {t("merchantOrders.title")}
            </Link>
          </li>
        ) : null}
        {user.role === "admin" ? (
          <>
            <li>
              <Link to="/admin/orders" data-testid="nav-admin">
                {t("layout.adminOrders")}
              </Link>
            </li>
            <li>
              <Link to="/admin/users">{t("layout.adminUsers")}</Link>
            </li>
            <li>
              <Link to="/admin/access">{t("layout.adminAccess")}</Link>
            </li>
            <li>
              <Link to="/admin/monitoring" data-testid="nav-monitoring">
                {t("layout.adminMonitoring")}
              </Link>
            </li>
          </>
        ) : null}
        <li>
          <button
            type="button"
            className="menu-button"
            data-testid="logout"
            onClick={async () => {
              await logout();
              navigate("/");
            }}
          >
            {t("layout.logout")}
          </button>
        </li>
      </ul>
    </details>
  );
}

/** 简体中文 / English: the choice is remembered (localStorage) and sets `<html lang>`. */
function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t("layout.language")}</span>
      <select
        value={i18n.language}
        data-testid="language-switch"
        onChange={(e) => {
          if (isLanguage(e.target.value)) void switchLanguage(e.target.value);
        }}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {t(`layout.languageName.${language}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Layout() {
  const { t } = useTranslation();
  const { user, banned } = useAuth();
  const { count } = useCart();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // Move focus to the new page so keyboard and screen-reader users start at its top.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    window.scrollTo?.(0, 0);
  }, [location.pathname]);

  return (
    <div className="app">
      <a href="#main" className="skip-link">
        {t("layout.skip")}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="logo" aria-label={t("layout.home")}>
            <svg className="logo-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <rect width="32" height="32" rx="8" fill="#fe2c55" />
              <path d="M9 12h14l-1.5 11a2 2 0 0 1-2 1.7h-7a2 2 0 0 1-2-1.7z" fill="#fff" />
              <path
                d="M12.5 12V10a3.5 3.5 0 0 1 7 0v2"
                fill="none"
                stroke="#25f4ee"
                strokeWidth="2"
                strokeLinecap="round"
              />
            </svg>
            <span className="logo-text">{t("app.name")}</span>
          </Link>
          <SearchBox />
          <nav className="header-actions" aria-label={t("layout.accountNav")}>
            {user?.role === "admin" ? (
              <NavLink to="/admin/orders" className="header-link hide-small">
                {t("layout.admin")}
              </NavLink>
            ) : null}
            <Link to="/cart" className="cart-link" aria-label={t("layout.cart", { count })}>
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                  d="M3 4h2l2.2 10.2a2 2 0 0 0 2 1.6h7.6a2 2 0 0 0 2-1.5L21 8H6.2"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="2"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                />
                <circle cx="10" cy="20" r="1.5" fill="currentColor" />
                <circle cx="17" cy="20" r="1.5" fill="currentColor" />
              </svg>
              <span className={`cart-count ${count ? "" : "zero"}`} data-testid="cart-count">
                {count}
              </span>
            </Link>
            <LanguageSwitch />
            <AccountMenu />
          </nav>
        </div>
      </header>
      {banned ? (
        <div className="ban-banner" role="alert" data-testid="ban-banner">
          {t("layout.banned")}
        </div>
      ) : null}
      <main id="main" ref={main} tabIndex={-1} className="page">
        <Suspense fallback={<Spinner />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer">
        <p>{t("layout.footer")}</p>
      </footer>
    </div>
  );
}
