/** Log in and sign up. Both return to the page that sent the visitor here. */
import { useTranslation } from "react-i18next";
import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { ApiError } from "../api/errors.ts";
import { ErrorAlert, Notice } from "../components/Feedback.tsx";
import { Field } from "../components/Field.tsx";
import { explain } from "../lib/messages.ts";
import { useTitle } from "../lib/useTitle.ts";
import { useAuth } from "../state/auth.tsx";

interface From {
  from?: string;
  reason?: string;
}

function useReturnTo(): [string, string | undefined] {
  const state = (useLocation().state ?? {}) as From;
  const from =
    state.from && state.from.startsWith("/") && !state.from.startsWith("/login") ? state.from : "/";
  return [from, state.reason];
}

/** A login failure in plain words: 401 is always "wrong email or password". */
function loginError(err: unknown): unknown {
  if (err instanceof ApiError && err.status === 401) {
    return new ApiError(401, "INVALID_CREDENTIALS", err.message, err.data);
  }
  return err;
}

export function Login() {
  const { t } = useTranslation();
  useTitle(t("auth.login"));
  const { login, notice, clearNotice } = useAuth();
  const navigate = useNavigate();
  const [returnTo, reason] = useReturnTo();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = explain(error).fields;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      clearNotice();
      navigate(returnTo, { replace: true });
    } catch (err) {
      setError(loginError(err));
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <form className="auth-card" onSubmit={submit} data-testid="login-form" noValidate>
        <h1>{t("auth.login")}</h1>
        {notice ? (
          <Notice tone="warning">{notice}</Notice>
        ) : reason ? (
          <Notice>{reason}</Notice>
        ) : null}
        <Field
          label={t("auth.email")}
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fields.email}
          testId="login-email"
          required
          autoFocus
        />
        <Field
          label={t("auth.password")}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
          testId="login-password"
          required
        />
        <ErrorAlert error={error} testId="login-error" />
        <button
          type="submit"
          className="button primary large block"
          disabled={busy || !email || !password}
          data-testid="login-submit"
        >
          {busy ? t("auth.loggingIn") : t("auth.login")}
        </button>
        <p className="muted">
          {t("auth.newHere")}{" "}
          <Link to="/register" state={{ from: returnTo }}>
            {t("auth.createAccountLink")}
          </Link>
        </p>
      </form>
    </div>
  );
}

export function Register() {
  const { t } = useTranslation();
  useTitle(t("auth.registerTitle"));
  const { register } = useAuth();
  const navigate = useNavigate();
  const [returnTo] = useReturnTo();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const fields = { ...explain(error).fields, ...local };
  const taken = error instanceof ApiError && error.type === "EMAIL_TAKEN";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) problems.email = t("auth.invalidEmail");
    if (password.length < 8) problems.password = t("auth.shortPassword");
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      await register(email.trim(), password, name.trim() || undefined);
      navigate(returnTo, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <form className="auth-card" onSubmit={submit} data-testid="register-form" noValidate>
        <h1>{t("auth.registerTitle")}</h1>
        <Field
          label={t("auth.name")}
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
          testId="register-name"
          autoFocus
        />
        <Field
          label={t("auth.email")}
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fields.email ?? (taken ? t("auth.emailRegistered") : undefined)}
          testId="register-email"
          required
        />
        <Field
          label={t("auth.password")}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
          hint={t("auth.passwordHint")}
          testId="register-password"
          required
        />
        <ErrorAlert error={error} testId="register-error" />
        {taken ? (
          <p>
            <Link to="/login" state={{ from: returnTo }}>
              {t("auth.loginWithEmail")}
            </Link>
          </p>
        ) : null}
        <button
          type="submit"
          className="button primary large block"
          disabled={busy}
          data-testid="register-submit"
        >
          {busy ? t("auth.creating") : t("auth.createAccount")}
        </button>
        <p className="muted">
          {t("auth.haveAccount")}{" "}
          <Link to="/login" state={{ from: returnTo }}>
            {t("auth.login")}
          </Link>
        </p>
      </form>
    </div>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  useTitle(t("auth.notFound"));
  return (
    <div className="empty" data-testid="not-found">
      <div className="empty-icon" aria-hidden="true">
        🧭
      </div>
      <h1>{t("auth.notFound")}</h1>
      <p>
        <Link to="/">{t("common.backToShop")}</Link>
      </p>
    </div>
  );
}
