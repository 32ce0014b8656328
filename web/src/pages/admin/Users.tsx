/** Users: find them, change their role, ban and unban them. */
import { useTranslation } from "react-i18next";
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { admin, type AdminUser } from "../../api/shop.ts";
import type { Role } from "../../api/types.ts";
import { useConfirm, type ConfirmOptions } from "../../components/ConfirmDialog.tsx";
import { EmptyState, ErrorAlert, Spinner } from "../../components/Feedback.tsx";
import { Select } from "../../components/Field.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { useLoad } from "../../lib/useLoad.ts";
import { useTitle } from "../../lib/useTitle.ts";
import { useAuth } from "../../state/auth.tsx";
import { useToast } from "../../state/toast.tsx";
import { formatDate } from "../OrderDetail.tsx";
import { AdminNav } from "./AdminNav.tsx";

const ROLES: Role[] = ["customer", "merchant", "admin"];

function UserRow({
  user,
  banned,
  self,
  onBanned,
  onRole,
  confirm,
}: {
  user: AdminUser;
  banned: boolean;
  self: boolean;
  onBanned: (banned: boolean) => void;
  onRole: (u: AdminUser) => void;
  confirm: (options: ConfirmOptions) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const label = user.name || user.email;
  return (
    <tr
      data-testid="admin-user"
      data-user-id={user.id}
      data-email={user.email}
      data-banned={banned ? "true" : "false"}
    >
      <td data-label={t("users.colUser")}>
        <strong>{user.name || "—"}</strong>
        <br />
        <span className="muted small break">{user.email}</span>
      </td>
      <td data-label={t("users.colRole")}>
        <label className="visually-hidden" htmlFor={`role-${user.id}`}>
          {t("users.roleOf", { name: label })}
        </label>
        <select
          id={`role-${user.id}`}
          value={user.role}
          disabled={busy || self}
          data-testid="user-role"
          onChange={async (e) => {
            const role = e.target.value as Role;
            const ok = await confirm({
              title: t("users.confirmRoleTitle", { name: label, role: t(`roles.${role}`) }),
              body: t(`users.confirmRoleBody.${role}`, { email: user.email }),
              confirm: t("users.confirmRole", { role: t(`roles.${role}`) }),
              danger: role === "admin",
            });
            if (!ok) return;
            await run(async () => {
              const updated = await admin.setRole(user.id, role);
              onRole({ ...user, ...updated });
              toast(t("users.nowRole", { name: label, role: t(`roles.${updated.role}`) }));
            });
          }}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
      </td>
      <td data-label={t("users.colJoined")}>{formatDate(user.createdAt)}</td>
      <td data-label={t("users.colAccess")}>
        {banned ? (
          <span className="badge status-cancelled">{t("users.banned")}</span>
        ) : (
          <span className="badge status-completed">{t("users.active")}</span>
        )}
      </td>
      <td data-label={t("users.colActions")}>
        {self ? (
          <span className="muted small">{t("users.you")}</span>
        ) : banned ? (
          <button
            type="button"
            className="button small ghost"
            disabled={busy}
            aria-label={t("users.unbanLabel", { name: label })}
            data-testid="unban-user"
            onClick={() =>
              run(async () => {
                await admin.unbanUser(user.id);
                onBanned(false);
                toast(t("users.unbannedToast", { name: label }));
              })
            }
          >
            {t("users.unban")}
          </button>
        ) : (
          <button
            type="button"
            className="button small danger"
            disabled={busy}
            aria-label={t("users.banLabel", { name: label })}
            data-testid="ban-user"
            onClick={async () => {
              const ok = await confirm({
                title: t("users.confirmBanTitle", { name: label }),
                body: t("users.confirmBanBody", { email: user.email }),
                confirm: t("users.ban"),
                danger: true,
              });
              if (!ok) return;
              await run(async () => {
                await admin.banUser(user.id);
                onBanned(true);
                toast(t("users.bannedToast", { name: label }));
              });
            }}
          >
            {t("users.ban")}
          </button>
        )}
        {error ? <ErrorAlert error={error} /> : null}
      </td>
    </tr>
  );
}

export function AdminUsers() {
  const { t } = useTranslation();
  useTitle(t("layout.adminUsers"));
  const { user: me } = useAuth();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const role = (params.get("role") ?? "") as Role | "";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const [qText, setQText] = useState(q);
  const [confirm, dialog] = useConfirm();
  const users = useLoad(
    (signal) => admin.users({ q: q || undefined, role, page, pageSize: 20 }, signal),
    [q, role, page],
  );
  const access = useLoad((signal) => admin.access(signal).catch(() => null), []);
  const bannedIds = new Set(access.data?.blacklist?.users ?? []);

  const setQuery = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!("page" in patch)) next.delete("page");
    setParams(next);
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    setQuery({ q: qText.trim() });
  };
  const setBanned = (id: string, banned: boolean) =>
    access.setData((a) => {
      const base = a ?? { whitelist: [], blacklist: { users: [], ips: [] } };
      const ids = new Set(base.blacklist.users);
      if (banned) ids.add(id);
      else ids.delete(id);
      return { ...base, blacklist: { ...base.blacklist, users: [...ids] } };
    });

  return (
    <div className="admin-page">
      <AdminNav />
      <h1>{t("users.title")}</h1>
      <div className="toolbar">
        <form role="search" onSubmit={search} className="inline-search">
          <label htmlFor="user-q" className="visually-hidden">
            {t("users.searchLabel")}
          </label>
          <input
            id="user-q"
            type="search"
            placeholder={t("users.searchPlaceholder")}
            value={qText}
            onChange={(e) => setQText(e.target.value)}
            data-testid="user-search"
          />
          <button type="submit" className="button secondary" data-testid="user-search-submit">
            {t("layout.searchButton")}
          </button>
        </form>
        <Select
          label={t("users.colRole")}
          value={role}
          onChange={(e) => setQuery({ role: e.target.value })}
        >
          <option value="">{t("users.allRoles")}</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </Select>
      </div>
      {users.loading ? (
        <Spinner label={t("users.loading")} />
      ) : users.error ? (
        <ErrorAlert error={users.error} onRetry={users.reload} />
      ) : users.data && users.data.rows.length ? (
        <>
          <div className="table-wrap">
            <table className="table stack" data-testid="admin-users">
              <caption className="visually-hidden">{t("admin.users")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("users.colUser")}</th>
                  <th scope="col">{t("users.colRole")}</th>
                  <th scope="col">{t("users.colJoined")}</th>
                  <th scope="col">{t("users.colAccess")}</th>
                  <th scope="col">{t("users.colActions")}</th>
                </tr>
              </thead>
              <tbody>
                {users.data.rows.map((u) => (
                  <UserRow
                    key={u.id}
                    user={u}
                    self={u.id === me?.id}
                    confirm={confirm}
                    banned={u.banned ?? bannedIds.has(u.id)}
                    onBanned={(b) => {
                      setBanned(u.id, b);
                      users.setData((d) => ({
                        ...d!,
                        rows: d!.rows.map((r) => (r.id === u.id ? { ...r, banned: b } : r)),
                      }));
                    }}
                    onRole={(next) =>
                      users.setData((d) => ({
                        ...d!,
                        rows: d!.rows.map((r) => (r.id === next.id ? next : r)),
                      }))
                    }
                  />
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            page={users.data.page ?? page}
            totalPages={users.data.totalPages}
            onPage={(p) => setQuery({ page: String(p) })}
          />
        </>
      ) : (
        <EmptyState title={t("users.none")} icon="👤" />
      )}
      {dialog}
    </div>
  );
}
