/** The access lists: open routes (whitelist), banned users and blocked addresses (blacklist). */
import { Trans, useTranslation } from "react-i18next";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { admin } from "../../api/shop.ts";
import { useConfirm } from "../../components/ConfirmDialog.tsx";
import { ErrorAlert, Spinner } from "../../components/Feedback.tsx";
import { Field } from "../../components/Field.tsx";
import { useLoad } from "../../lib/useLoad.ts";
import { useTitle } from "../../lib/useTitle.ts";
import { useToast } from "../../state/toast.tsx";
import { AdminNav } from "./AdminNav.tsx";

/** IPv4 or IPv6, optionally with a /prefix. A loose check: the server decides. */
export function looksLikeIpOrCidr(text: string): boolean {
  const [ip, prefix, ...rest] = text.trim().split("/");
  if (rest.length) return false;
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return false;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4)
    return (
      v4.slice(1).every((o) => Number(o) <= 255) && (prefix === undefined || Number(prefix) <= 32)
    );
  return (
    /^[0-9a-f:.]+$/i.test(ip) && ip.includes(":") && (prefix === undefined || Number(prefix) <= 128)
  );
}

export function AdminAccess() {
  const { t } = useTranslation();
  useTitle(t("layout.adminAccess"));
  const toast = useToast();
  const access = useLoad((signal) => admin.access(signal), []);
  const [ip, setIp] = useState("");
  const [ipError, setIpError] = useState<string | undefined>();
  const [userId, setUserId] = useState("");
  const [userError, setUserError] = useState<string | undefined>();
  const [confirm, dialog] = useConfirm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      toast(done);
      access.reload();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const block = async (e: FormEvent) => {
    e.preventDefault();
    const value = ip.trim();
    if (!looksLikeIpOrCidr(value)) {
      setIpError(t("access.badIp"));
      return;
    }
    setIpError(undefined);
    const ok = await confirm({
      title: t("access.confirmBlockTitle", { ip: value }),
      body: t("access.ipsLead"),
      confirm: t("access.block"),
      danger: true,
    });
    if (!ok) return;
    if (await run(() => admin.blockIp(value), t("access.blocked", { ip: value }))) setIp("");
  };

  /** By email (looked up with the users search) or by id. */
  const ban = async (e: FormEvent) => {
    e.preventDefault();
    const value = userId.trim();
    if (!value) return;
    setUserError(undefined);
    setError(null);
    let id = value;
    let who = t("access.userWithId", { id: value });
    if (value.includes("@")) {
      let found;
      try {
        setBusy(true);
        const page = await admin.users({ q: value, pageSize: 20 });
        found = page.rows.find((u) => u.email.toLowerCase() === value.toLowerCase());
      } catch (err) {
        setError(err);
        return;
      } finally {
        setBusy(false);
      }
      if (!found) {
        setUserError(t("access.noSuchEmail", { email: value }));
        return;
      }
      id = found.id;
      who = found.name ? `${found.name} (${found.email})` : found.email;
    }
    const ok = await confirm({
      title: t("users.confirmBanTitle", { name: who }),
      body: t("access.confirmBanBody"),
      confirm: t("users.ban"),
      danger: true,
    });
    if (!ok) return;
    if (await run(() => admin.banUser(id), t("users.bannedToast", { name: who }))) {
      setUserId("");
    }
  };

  const lists = access.data;
  return (
    <div className="admin-page">
      <AdminNav />
      <h1>{t("admin.access")}</h1>
      <p className="muted">{t("access.lead")}</p>
      <ErrorAlert error={error} />
      {access.loading && !lists ? (
        <Spinner label={t("access.loading")} />
      ) : access.error && !lists ? (
        <ErrorAlert error={access.error} onRetry={access.reload} />
      ) : lists ? (
        <div className="access-grid">
          <section className="panel" aria-labelledby="banned-title">
            <h2 id="banned-title">{t("access.bannedTitle")}</h2>
            <p className="muted small">
              <Trans
                i18nKey="access.bannedLead"
                components={{ users: <Link to="/admin/users" /> }}
              />
            </p>
            <form onSubmit={ban} className="inline-form">
              <Field
                label={t("access.userLabel")}
                value={userId}
                onChange={(e) => setUserId(e.target.value)}
                error={userError}
                autoComplete="off"
                placeholder="name@example.com"
                testId="ban-user-id"
              />
              <button
                type="submit"
                className="button danger"
                disabled={busy || !userId.trim()}
                data-testid="ban-user-by-id"
              >
                {t("users.ban")}
              </button>
            </form>
            {lists.blacklist.users.length ? (
              <ul className="access-list" data-testid="banned-users">
                {lists.blacklist.users.map((id) => (
                  <li key={id}>
                    <code>{id}</code>
                    <button
                      type="button"
                      className="button small ghost"
                      disabled={busy}
                      onClick={() => run(() => admin.unbanUser(id), t("access.unbanned", { id }))}
                      aria-label={t("access.unbanLabel", { id })}
                      data-testid="unban-user"
                    >
                      {t("users.unban")}
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty-inline">{t("access.nobody")}</p>
            )}
          </section>

          <section className="panel" aria-labelledby="ips-title">
            <h2 id="ips-title">{t("access.ipsTitle")}</h2>
            <p className="muted small">{t("access.ipsLead")}</p>
            <form onSubmit={block} className="inline-form">
              <Field
                label={t("access.ipLabel")}
                value={ip}
                onChange={(e) => setIp(e.target.value)}
                error={ipError}
                placeholder="203.0.113.0/24"
                testId="block-ip-input"
              />
              <button
                type="submit"
                className="button danger"
                disabled={busy || !ip.trim()}
                data-testid="block-ip"
              >
                {t("access.block")}
              </button>
            </form>
            {lists.blacklist.ips.length ? (
              <ul className="access-list" data-testid="blocked-ips">
                {lists.blacklist.ips.map((addr) => (
                  <li key={addr}>
                    <code>{addr}</code>
                    <button
                      type="button"
                      className="button small ghost"
                      disabled={busy}
                      onClick={() =>
                        run(() => admin.unblockIp(addr), t("access.unblocked", { ip: addr }))
                      }
                      aria-label={t("access.unblockLabel", { ip: addr })}
                      data-testid="unblock-ip"
                    >
                      {t("access.unblock")}
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty-inline">{t("access.noIps")}</p>
            )}
          </section>

          <section className="panel wide" aria-labelledby="white-title">
            <h2 id="white-title">{t("access.whiteTitle")}</h2>
            <p className="muted small">{t("access.whiteLead")}</p>
            {lists.whitelist.length ? (
              <ul className="route-list">
                {lists.whitelist.map((r) => (
                  <li key={r}>
                    <code>{r}</code>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty-inline">{t("access.noWhite")}</p>
            )}
          </section>
        </div>
      ) : null}
      {dialog}
    </div>
  );
}
