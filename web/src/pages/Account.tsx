/**
 * My account: the profile (name), a new password, the address book (./account/AddressBook.tsx),
 * the favourites, and deleting the account (after a confirmation).
 */
import { useTranslation } from "react-i18next";
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { account, auth } from "../api/shop.ts";
import { ErrorAlert, Notice, Spinner } from "../components/Feedback.tsx";
import { Field } from "../components/Field.tsx";
import { Money } from "../components/Money.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { explain } from "../lib/messages.ts";
import { useLoad } from "../lib/useLoad.ts";
import { useTitle } from "../lib/useTitle.ts";
import { AddressBook } from "./account/AddressBook.tsx";
import { useAuth } from "../state/auth.tsx";

export function Account() {
  const { t } = useTranslation();
  useTitle(t("account.title"));
  return (
    <div className="account-page">
      <h1>{t("account.title")}</h1>
      <Profile />
      <PasswordChange />
      <AddressBook />
      <Favorites />
      <DeleteAccount />
    </div>
  );
}

function Profile() {
  const { t } = useTranslation();
  const { user, updated } = useAuth();
  const [name, setName] = useState(user?.name ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    setBusy(true);
    try {
      updated(await auth.updateMe({ name: name.trim() }));
      setSaved(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="account-profile">
      <h2 id="account-profile">{t("account.profile")}</h2>
      <form onSubmit={submit} noValidate data-testid="profile-form">
        <p className="muted">{t("account.email", { email: user?.email ?? "" })}</p>
        <Field
          label={t("account.name")}
          autoComplete="name"
          maxLength={100}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setSaved(false);
          }}
          testId="profile-name"
        />
        <ErrorAlert error={error} />
        {saved ? <Notice tone="success">{t("account.saved")}</Notice> : null}
        <button type="submit" className="button primary" disabled={busy}>
          {t("account.save")}
        </button>
      </form>
    </section>
  );
}

function PasswordChange() {
  const { t } = useTranslation();
  const [currentPassword, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    const problems: Record<string, string> = {};
    if (!currentPassword) problems.currentPassword = t("checkout.required");
    if (password.length < 8) problems.password = t("account.passwordShort");
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      await auth.updateMe({ currentPassword, password });
      setCurrent("");
      setPassword("");
      setDone(true);
    } catch (failure) {
      setError(failure);
      setErrors(explain(failure).fields);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="account-password">
      <h2 id="account-password">{t("account.password")}</h2>
      <form onSubmit={submit} noValidate data-testid="password-form">
        <Field
          label={t("account.currentPassword")}
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
          error={errors.currentPassword}
          testId="current-password"
        />
        <Field
          label={t("account.newPassword")}
          type="password"
          autoComplete="new-password"
          hint={t("account.passwordHint")}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
          testId="new-password"
        />
        <ErrorAlert error={error} />
        {done ? <Notice tone="success">{t("account.passwordChanged")}</Notice> : null}
        <button type="submit" className="button primary" disabled={busy}>
          {t("account.changePassword")}
        </button>
      </form>
    </section>
  );
}

const FAVORITES_PAGE = 12;

function Favorites() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const list = useLoad(
    (signal) => account.favorites({ page, pageSize: FAVORITES_PAGE }, signal),
    [page],
  );
  const [error, setError] = useState<unknown>(null);
  const remove = async (id: string) => {
    setError(null);
    try {
      await account.removeFavorite(id);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section className="panel" aria-labelledby="account-favorites">
      <h2 id="account-favorites">{t("account.favorites")}</h2>
      {list.loading && !list.data ? <Spinner /> : null}
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <ErrorAlert error={error} />
      {list.data && list.data.total === 0 ? (
        <p className="muted" data-testid="no-favorites">
          {t("account.noFavorites")} <Link to="/search">{t("cart.startShopping")}</Link>
        </p>
      ) : null}
      <ul className="favorites">
        {(list.data?.rows ?? []).map((p) => (
          <li key={p.id} data-testid="favorite">
            <Link to={`/products/${encodeURIComponent(p.id)}`} className="favorite-link">
              <ProductImage src={p.picture} name={p.name} className="thumb" />
              <span>{p.name}</span>
            </Link>
            <Money amount={p.price} currency={p.currency} />
            <button
              type="button"
              className="button small ghost"
              onClick={() => remove(p.id)}
              aria-label={t("account.unfavorite", { name: p.name })}
              data-testid="unfavorite"
            >
              {t("account.remove")}
            </button>
          </li>
        ))}
      </ul>
      {list.data ? (
        <Pagination page={list.data.page} totalPages={list.data.totalPages} onPage={setPage} />
      ) : null}
    </section>
  );
}

function DeleteAccount() {
  const { t } = useTranslation();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setError(null);
    setBusy(true);
    try {
      await auth.deleteMe();
      await logout();
      navigate("/");
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <section className="panel danger-zone" aria-labelledby="account-delete">
      <h2 id="account-delete">{t("account.deleteTitle")}</h2>
      <p className="muted">{t("account.deleteWarning")}</p>
      <ErrorAlert error={error} />
      {asking ? (
        <div role="alertdialog" aria-labelledby="account-delete-confirm" className="confirm">
          <p id="account-delete-confirm">
            <strong>{t("account.deleteConfirm")}</strong>
          </p>
          <button
            type="button"
            className="button danger"
            onClick={confirm}
            disabled={busy}
            data-testid="confirm-delete"
          >
            {t("account.deleteYes")}
          </button>{" "}
          <button
            type="button"
            className="button ghost"
            onClick={() => setAsking(false)}
            disabled={busy}
            autoFocus
          >
            {t("account.cancel")}
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="button danger"
          onClick={() => setAsking(true)}
          data-testid="delete-account"
        >
          {t("account.deleteButton")}
        </button>
      )}
    </section>
  );
}
