/** Users: find them, change their role, ban and unban them. */
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { admin, type AdminUser } from "../../api/shop.ts";
import type { Role } from "../../api/types.ts";
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
}: {
  user: AdminUser;
  banned: boolean;
  self: boolean;
  onBanned: (banned: boolean) => void;
  onRole: (u: AdminUser) => void;
}) {
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
      <td data-label="User">
        <strong>{user.name || "—"}</strong>
        <br />
        <span className="muted small break">{user.email}</span>
      </td>
      <td data-label="Role">
        <label className="visually-hidden" htmlFor={`role-${user.id}`}>
          Role of {label}
        </label>
        <select
          id={`role-${user.id}`}
          value={user.role}
          disabled={busy || self}
          data-testid="user-role"
          onChange={(e) =>
            run(async () => {
              const updated = await admin.setRole(user.id, e.target.value as Role);
              onRole({ ...user, ...updated });
              toast(`${label} is now ${updated.role}`);
            })
          }
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </td>
      <td data-label="Joined">{formatDate(user.createdAt)}</td>
      <td data-label="Access">
        {banned ? (
          <span className="badge status-cancelled">Banned</span>
        ) : (
          <span className="badge status-completed">Active</span>
        )}
      </td>
      <td data-label="Actions">
        {self ? (
          <span className="muted small">You</span>
        ) : banned ? (
          <button
            type="button"
            className="button small ghost"
            disabled={busy}
            aria-label={`Unban ${label}`}
            data-testid="unban-user"
            onClick={() =>
              run(async () => {
                await admin.unbanUser(user.id);
                onBanned(false);
                toast(`${label} can use the shop again`);
              })
            }
          >
            Unban
          </button>
        ) : (
          <button
            type="button"
            className="button small danger"
            disabled={busy}
            aria-label={`Ban ${label}`}
            data-testid="ban-user"
            onClick={() =>
              run(async () => {
                await admin.banUser(user.id);
                onBanned(true);
                toast(`${label} is banned`);
              })
            }
          >
            Ban
          </button>
        )}
        {error ? <ErrorAlert error={error} /> : null}
      </td>
    </tr>
  );
}

export function AdminUsers() {
  useTitle("Admin: users");
  const { user: me } = useAuth();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const role = (params.get("role") ?? "") as Role | "";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const [qText, setQText] = useState(q);
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
      <h1>Users and roles</h1>
      <div className="toolbar">
        <form role="search" onSubmit={search} className="inline-search">
          <label htmlFor="user-q" className="visually-hidden">
            Search users by email or name
          </label>
          <input
            id="user-q"
            type="search"
            placeholder="Email or name"
            value={qText}
            onChange={(e) => setQText(e.target.value)}
            data-testid="user-search"
          />
          <button type="submit" className="button secondary" data-testid="user-search-submit">
            Search
          </button>
        </form>
        <Select label="Role" value={role} onChange={(e) => setQuery({ role: e.target.value })}>
          <option value="">All roles</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </Select>
      </div>
      {users.loading ? (
        <Spinner label="Loading users…" />
      ) : users.error ? (
        <ErrorAlert error={users.error} onRetry={users.reload} />
      ) : users.data && users.data.rows.length ? (
        <>
          <div className="table-wrap">
            <table className="table stack" data-testid="admin-users">
              <caption className="visually-hidden">Users</caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  <th scope="col">Access</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {users.data.rows.map((u) => (
                  <UserRow
                    key={u.id}
                    user={u}
                    self={u.id === me?.id}
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
        <EmptyState title="No users found" icon="👤" />
      )}
    </div>
  );
}
