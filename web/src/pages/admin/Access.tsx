/** The access lists: open routes (whitelist), banned users and blocked addresses (blacklist). */
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { admin } from "../../api/shop.ts";
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
  useTitle("Admin: access lists");
  const toast = useToast();
  const access = useLoad((signal) => admin.access(signal), []);
  const [ip, setIp] = useState("");
  const [ipError, setIpError] = useState<string | undefined>();
  const [userId, setUserId] = useState("");
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
      setIpError("Enter an IP address or a CIDR range, like 203.0.113.7 or 203.0.113.0/24.");
      return;
    }
    setIpError(undefined);
    if (await run(() => admin.blockIp(value), `Blocked ${value}`)) setIp("");
  };

  const ban = async (e: FormEvent) => {
    e.preventDefault();
    const value = userId.trim();
    if (!value) return;
    if (await run(() => admin.banUser(value), `Banned user ${value}`)) setUserId("");
  };

  const lists = access.data;
  return (
    <div className="admin-page">
      <AdminNav />
      <h1>Access lists</h1>
      <p className="muted">Changes apply on every gateway node at once, without a restart.</p>
      <ErrorAlert error={error} />
      {access.loading && !lists ? (
        <Spinner label="Loading access lists…" />
      ) : access.error && !lists ? (
        <ErrorAlert error={access.error} onRetry={access.reload} />
      ) : lists ? (
        <div className="access-grid">
          <section className="panel" aria-labelledby="banned-title">
            <h2 id="banned-title">Banned users</h2>
            <p className="muted small">
              A banned user gets “account suspended” on every signed-in action. Ban from the{" "}
              <Link to="/admin/users">users page</Link>, or by id:
            </p>
            <form onSubmit={ban} className="inline-form">
              <Field
                label="User id"
                value={userId}
                onChange={(e) => setUserId(e.target.value)}
                testId="ban-user-id"
              />
              <button
                type="submit"
                className="button danger"
                disabled={busy || !userId.trim()}
                data-testid="ban-user-by-id"
              >
                Ban
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
                      onClick={() => run(() => admin.unbanUser(id), `Unbanned ${id}`)}
                      aria-label={`Unban user ${id}`}
                      data-testid="unban-user"
                    >
                      Unban
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty-inline">Nobody is banned.</p>
            )}
          </section>

          <section className="panel" aria-labelledby="ips-title">
            <h2 id="ips-title">Blocked addresses</h2>
            <p className="muted small">Requests from these addresses get 403 on every route.</p>
            <form onSubmit={block} className="inline-form">
              <Field
                label="IP address or CIDR range"
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
                Block
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
                      onClick={() => run(() => admin.unblockIp(addr), `Unblocked ${addr}`)}
                      aria-label={`Unblock ${addr}`}
                      data-testid="unblock-ip"
                    >
                      Unblock
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty-inline">No address is blocked.</p>
            )}
          </section>

          <section className="panel wide" aria-labelledby="white-title">
            <h2 id="white-title">Open routes (whitelist)</h2>
            <p className="muted small">These routes need no login.</p>
            {lists.whitelist.length ? (
              <ul className="route-list">
                {lists.whitelist.map((r) => (
                  <li key={r}>
                    <code>{r}</code>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty-inline">No open routes listed.</p>
            )}
          </section>
        </div>
      ) : null}
    </div>
  );
}
