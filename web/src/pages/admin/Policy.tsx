/**
 * The access policy (Casbin rules, GET/POST /api/admin/access/policy): which role may call which
 * route, and which role inherits which. List, add and remove rules; changes apply on every gateway
 * within a second.
 */
import { useTranslation } from "react-i18next";
import { useState, type FormEvent } from "react";
import { admin, type PolicyRule } from "../../api/shop.ts";
import { useConfirm } from "../../components/ConfirmDialog.tsx";
import { ErrorAlert, Spinner } from "../../components/Feedback.tsx";
import { Field, Select } from "../../components/Field.tsx";
import { useLoad } from "../../lib/useLoad.ts";
import { useTitle } from "../../lib/useTitle.ts";
import { useToast } from "../../state/toast.tsx";
import { AdminNav } from "./AdminNav.tsx";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "*"];

interface Draft {
  kind: "p" | "g";
  role: string;
  path: string;
  method: string;
  parent: string;
}

/** The rule to send, or the problems found first (the server's rules, lib/access/policy.ts). */
export function ruleOf(
  d: Draft,
  t: (key: string) => string,
): {
  rule?: PolicyRule;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const parts =
    d.kind === "p" ? { role: d.role, path: d.path } : { role: d.role, parent: d.parent };
  for (const [key, value] of Object.entries(parts)) {
    const v = value.trim();
    if (!v) errors[key] = t("policy.required");
    else if (v.includes(",") || v.length > 200) errors[key] = t("policy.noCommas");
  }
  if (d.kind === "p" && d.path.trim() && !d.path.trim().startsWith("/") && !errors.path) {
    errors.path = t("policy.slash");
  }
  if (Object.keys(errors).length) return { errors };
  return {
    errors,
    rule:
      d.kind === "p"
        ? ["p", d.role.trim(), d.path.trim(), d.method]
        : ["g", d.role.trim(), d.parent.trim()],
  };
}

const EMPTY: Draft = { kind: "p", role: "", path: "/api/", method: "GET", parent: "" };

export function AdminPolicy() {
  const { t } = useTranslation();
  useTitle(t("policy.title"));
  const toast = useToast();
  const policy = useLoad((signal) => admin.policy(signal), []);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState("");
  const [confirm, dialog] = useConfirm();

  const set = (key: keyof Draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  const show = (r: PolicyRule) => r.slice(1).join(", ");

  const change = async (call: () => Promise<{ rules: PolicyRule[] }>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      const { rules } = await call();
      policy.setData({ rules });
      toast(done);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const { rule, errors: problems } = ruleOf(draft, t);
    setErrors(problems);
    if (!rule) return;
    if (await change(() => admin.addRule(rule), t("policy.added", { rule: show(rule) }))) {
      setDraft((d) => ({ ...EMPTY, kind: d.kind }));
    }
  };

  const remove = async (rule: PolicyRule) => {
    const ok = await confirm({
      title: t("policy.confirmRemoveTitle", { rule: show(rule) }),
      body: t("policy.confirmRemoveBody"),
      confirm: t("policy.remove"),
      danger: true,
    });
    if (ok) await change(() => admin.removeRule(rule), t("policy.removed", { rule: show(rule) }));
  };

  const rules = policy.data?.rules ?? [];
  const needle = filter.trim().toLowerCase();
  const matches = (r: PolicyRule) => !needle || r.some((p) => p.toLowerCase().includes(needle));
  const inherits = rules.filter((r) => r[0] === "g" && matches(r));
  const permissions = rules.filter((r) => r[0] === "p" && matches(r));

  return (
    <div className="admin-page">
      <AdminNav />
      <h1>{t("policy.title")}</h1>
      <p className="muted">{t("policy.lead")}</p>
      <ErrorAlert error={error} />

      <section className="panel" aria-labelledby="add-rule-title">
        <h2 id="add-rule-title">{t("policy.addTitle")}</h2>
        <form className="policy-form" onSubmit={add} noValidate data-testid="policy-form">
          <Select
            label={t("policy.kind")}
            value={draft.kind}
            onChange={set("kind")}
            testId="policy-kind"
          >
            <option value="p">{t("policy.kindP")}</option>
            <option value="g">{t("policy.kindG")}</option>
          </Select>
          <Field
            label={t("policy.role")}
            value={draft.role}
            onChange={set("role")}
            error={errors.role}
            placeholder="merchant"
            testId="policy-role"
            required
          />
          {draft.kind === "p" ? (
            <>
              <Field
                label={t("policy.path")}
                value={draft.path}
                onChange={set("path")}
                error={errors.path}
                placeholder="/api/products/:id"
                testId="policy-path"
                required
              />
              <Select
                label={t("policy.method")}
                value={draft.method}
                onChange={set("method")}
                testId="policy-method"
              >
                {METHODS.map((m) => (
                  <option key={m} value={m}>
                    {m === "*" ? t("policy.anyMethod") : m}
                  </option>
                ))}
              </Select>
            </>
          ) : (
            <Field
              label={t("policy.parent")}
              value={draft.parent}
              onChange={set("parent")}
              error={errors.parent}
              placeholder="customer"
              testId="policy-parent"
              required
            />
          )}
          <button type="submit" className="button primary" disabled={busy} data-testid="policy-add">
            {t("policy.add")}
          </button>
        </form>
      </section>

      {policy.loading && !policy.data ? (
        <Spinner label={t("policy.loading")} />
      ) : policy.error && !policy.data ? (
        <ErrorAlert error={policy.error} onRetry={policy.reload} />
      ) : (
        <>
          <div className="toolbar">
            <form role="search" className="inline-search" onSubmit={(e) => e.preventDefault()}>
              <label htmlFor="policy-filter" className="visually-hidden">
                {t("policy.filterLabel")}
              </label>
              <input
                id="policy-filter"
                type="search"
                placeholder={t("policy.filterPlaceholder")}
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                data-testid="policy-filter"
              />
            </form>
          </div>
          <section className="panel" aria-labelledby="inherit-title">
            <h2 id="inherit-title">{t("policy.inheritTitle")}</h2>
            {inherits.length ? (
              <ul className="access-list" data-testid="policy-inherits">
                {inherits.map((r) => (
                  <li key={r.join(",")} data-testid="policy-rule">
                    <span>{t("policy.inherits", { role: r[1], parent: r[2] })}</span>
                    <button
                      type="button"
                      className="button small ghost"
                      disabled={busy}
                      aria-label={t("policy.removeLabel", { rule: show(r) })}
                      onClick={() => remove(r)}
                    >
                      {t("policy.remove")}
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty-inline">{t("policy.none")}</p>
            )}
          </section>
          <section className="panel" aria-labelledby="perm-title">
            <h2 id="perm-title">
              {t("policy.permTitle")}{" "}
              <span className="muted small">
                {t("policy.ruleCount", { count: permissions.length })}
              </span>
            </h2>
            {permissions.length ? (
              <div className="table-wrap">
                <table className="table stack" data-testid="policy-permissions">
                  <caption className="visually-hidden">{t("policy.permTitle")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("policy.role")}</th>
                      <th scope="col">{t("policy.path")}</th>
                      <th scope="col">{t("policy.method")}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t("users.colActions")}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {permissions.map((r) => (
                      <tr key={r.join(",")} data-testid="policy-rule">
                        <td data-label={t("policy.role")}>{r[1]}</td>
                        <td data-label={t("policy.path")} className="break">
                          <code>{r[2]}</code>
                        </td>
                        <td data-label={t("policy.method")}>
                          {r[3] === "*" ? t("policy.anyMethod") : r[3]}
                        </td>
                        <td>
                          <button
                            type="button"
                            className="button small ghost"
                            disabled={busy}
                            aria-label={t("policy.removeLabel", { rule: show(r) })}
                            onClick={() => remove(r)}
                            data-testid="policy-remove"
                          >
                            {t("policy.remove")}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="empty-inline">{t("policy.none")}</p>
            )}
          </section>
        </>
      )}
      {dialog}
    </div>
  );
}
