/** Log in and sign up. Both return to the page that sent the visitor here. */
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
  useTitle("Log in");
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
        <h1>Log in</h1>
        {notice ? (
          <Notice tone="warning">{notice}</Notice>
        ) : reason ? (
          <Notice>{reason}</Notice>
        ) : null}
        <Field
          label="Email"
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
          label="Password"
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
          {busy ? "Logging in…" : "Log in"}
        </button>
        <p className="muted">
          New here?{" "}
          <Link to="/register" state={{ from: returnTo }}>
            Create an account
          </Link>
        </p>
      </form>
    </div>
  );
}

export function Register() {
  useTitle("Create an account");
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
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))
      problems.email = "Enter a valid email address.";
    if (password.length < 8) problems.password = "Use at least 8 characters.";
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
        <h1>Create an account</h1>
        <Field
          label="Name"
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
          testId="register-name"
          autoFocus
        />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fields.email ?? (taken ? "This email is already registered." : undefined)}
          testId="register-email"
          required
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
          hint="At least 8 characters."
          testId="register-password"
          required
        />
        <ErrorAlert error={error} testId="register-error" />
        {taken ? (
          <p>
            <Link to="/login" state={{ from: returnTo }}>
              Log in with this email
            </Link>
          </p>
        ) : null}
        <button
          type="submit"
          className="button primary large block"
          disabled={busy}
          data-testid="register-submit"
        >
          {busy ? "Creating your account…" : "Create account"}
        </button>
        <p className="muted">
          Already have an account?{" "}
          <Link to="/login" state={{ from: returnTo }}>
            Log in
          </Link>
        </p>
      </form>
    </div>
  );
}

export function NotFound() {
  useTitle("Page not found");
  return (
    <div className="empty" data-testid="not-found">
      <div className="empty-icon" aria-hidden="true">
        🧭
      </div>
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the shop</Link>
      </p>
    </div>
  );
}
