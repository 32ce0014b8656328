/** The live view of the cluster: nodes, services and instances, rates, errors, latency, breakers. */
import { useTranslation } from "react-i18next";
import { useEffect, useMemo, useState } from "react";
import { admin } from "../../api/shop.ts";
import { EmptyState, ErrorAlert, Spinner } from "../../components/Feedback.tsx";
import {
  normalizeCluster,
  type ActionStat,
  type BreakerState,
  type ClusterView,
} from "../../lib/cluster.ts";
import { formatNumber, formatPercent } from "../../lib/format.ts";
import { usePolling } from "../../lib/usePolling.ts";
import { useTitle } from "../../lib/useTitle.ts";
import { AdminNav } from "./AdminNav.tsx";

export const POLL_MS = 2000;
const HISTORY = 60;

/** Numbers in the app's language through Intl (units by Intl's own unit names). */
const fmt = {
  rate: (n: number | null) =>
    n === null ? "—" : formatNumber(n, { maximumFractionDigits: n >= 100 ? 0 : 1 }),
  percent: (n: number | null) => (n === null ? "—" : formatPercent(n, n > 0 && n < 0.01 ? 2 : 1)),
  ms: (n: number | null) =>
    n === null
      ? "—"
      : formatNumber(n, {
          style: "unit",
          unit: "millisecond",
          unitDisplay: "short",
          maximumFractionDigits: n >= 100 ? 0 : 1,
        }),
  uptime: (s: number | null) => {
    if (s === null) return "—";
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const unit = (value: number, name: "hour" | "minute") =>
      formatNumber(value, { style: "unit", unit: name, unitDisplay: "short" });
    return h ? `${unit(h, "hour")} ${unit(m, "minute")}` : unit(m, "minute");
  },
};

function Sparkline({ values, label }: { values: number[]; label: string }) {
  if (values.length < 2) return <div className="sparkline empty-spark" aria-hidden="true" />;
  const max = Math.max(...values, 1);
  const w = 240;
  const h = 48;
  const points = values
    .map(
      (v, i) =>
        `${((i / (HISTORY - 1)) * w).toFixed(1)},${(h - (v / max) * (h - 4) - 2).toFixed(1)}`,
    )
    .join(" ");
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      <polyline
        points={points}
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        vectorEffect="non-scaling-stroke"
      />
    </svg>
  );
}

function BreakerBadge({ state }: { state: BreakerState | null }) {
  const { t } = useTranslation();
  if (!state) return <span className="muted">—</span>;
  return (
    <span className={`badge breaker-${state}`} data-testid="breaker-state" data-state={state}>
      {t(`monitoring.breaker.${state}`)}
    </span>
  );
}

function Ago({ at }: { at: number | null }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (at === null) return <>{t("monitoring.waiting")}</>;
  const s = Math.max(0, Math.round((now - at) / 1000));
  return <>{s <= 1 ? t("monitoring.justNow") : t("monitoring.ago", { count: s })}</>;
}

function errorClass(rate: number | null): string {
  if (rate === null) return "";
  if (rate >= 0.05) return "bad";
  if (rate > 0) return "warn";
  return "";
}

export function Monitoring() {
  const { t } = useTranslation();
  useTitle(t("layout.adminMonitoring"));
  const polled = usePolling((signal) => admin.cluster(signal), POLL_MS);
  const view: ClusterView | null = useMemo(
    () => (polled.data === undefined ? null : normalizeCluster(polled.data)),
    [polled.data],
  );
  const [history, setHistory] = useState<number[]>([]);
  useEffect(() => {
    if (view) setHistory((h) => [...h, view.totals.requestRate ?? 0].slice(-HISTORY));
  }, [view]);
  const [filter, setFilter] = useState("");

  const live = !polled.error && polled.updatedAt !== null;
  const actions: ActionStat[] = (view?.actions ?? []).filter(
    (a) => !filter || a.name.toLowerCase().includes(filter.toLowerCase()),
  );
  const tripped = (view?.breakers ?? []).filter((b) => b.state !== "closed");

  return (
    <div className="admin-page monitoring">
      <AdminNav />
      <div className="results-head">
        <h1>{t("monitoring.title")}</h1>
        <p
          className={`live ${live ? "on" : "off"}`}
          aria-live="off"
          data-testid="monitoring-status"
        >
          <span className="dot" aria-hidden="true" />
          {polled.stopped
            ? t("monitoring.stopped")
            : live
              ? t("monitoring.live")
              : polled.error
                ? t("monitoring.reconnecting")
                : t("monitoring.connecting")}{" "}
          · <Ago at={polled.updatedAt} />
        </p>
      </div>
      {polled.error ? <ErrorAlert error={polled.error} /> : null}
      {!view ? (
        polled.error ? null : (
          <Spinner label={t("monitoring.connectingCluster")} />
        )
      ) : (
        <>
          <section className="tiles" aria-label={t("monitoring.summary")}>
            <div className="tile">
              <span className="tile-label">{t("monitoring.nodesUp")}</span>
              <strong data-testid="nodes-up">
                {view.nodes.filter((n) => n.available).length}/{view.nodes.length}
              </strong>
            </div>
            <div className="tile">
              <span className="tile-label">{t("monitoring.services")}</span>
              <strong>{view.services.length}</strong>
            </div>
            <div className="tile">
              <span className="tile-label">{t("monitoring.rps")}</span>
              <strong data-testid="total-rps">{fmt.rate(view.totals.requestRate)}</strong>
              <Sparkline values={history} label={t("monitoring.sparkline")} />
            </div>
            <div className={`tile ${errorClass(view.totals.errorRate)}`}>
              <span className="tile-label">{t("monitoring.errorRate")}</span>
              <strong>{fmt.percent(view.totals.errorRate)}</strong>
            </div>
            <div className="tile">
              <span className="tile-label">{t("monitoring.slowest")}</span>
              <strong>{fmt.ms(view.totals.latencyP95)}</strong>
            </div>
            <div className={`tile ${tripped.length ? "bad" : ""}`}>
              <span className="tile-label">{t("monitoring.openBreakers")}</span>
              <strong data-testid="open-breakers">{tripped.length}</strong>
            </div>
          </section>

          <section aria-labelledby="nodes-title" className="section">
            <h2 id="nodes-title">{t("monitoring.nodes")}</h2>
            {view.nodes.length ? (
              <ul className="node-list" data-testid="monitoring-nodes">
                {view.nodes.map((n) => (
                  <li
                    key={n.id}
                    className={`node ${n.available ? "up" : "down"}`}
                    data-testid="monitoring-node"
                    data-node-id={n.id}
                  >
                    <div className="node-head">
                      <span className="dot" aria-hidden="true" />
                      <strong>{n.id}</strong>
                      <span className="badge">
                        {n.available ? t("monitoring.up") : t("monitoring.down")}
                      </span>
                      {n.local ? <span className="badge">{t("monitoring.gateway")}</span> : null}
                    </div>
                    <dl className="node-facts">
                      {n.hostname ? (
                        <div>
                          <dt>{t("monitoring.host")}</dt>
                          <dd>{n.hostname}</dd>
                        </div>
                      ) : null}
                      {n.ips.length ? (
                        <div>
                          <dt>IP</dt>
                          <dd>{n.ips.slice(0, 2).join(", ")}</dd>
                        </div>
                      ) : null}
                      <div>
                        <dt>CPU</dt>
                        <dd>{n.cpu === null ? "—" : formatPercent(n.cpu / 100, 0)}</dd>
                      </div>
                      <div>
                        <dt>{t("monitoring.uptime")}</dt>
                        <dd>{fmt.uptime(n.uptime)}</dd>
                      </div>
                    </dl>
                    {n.services.length ? (
                      <ul className="chips small">
                        {n.services.map((s) => (
                          <li key={s} className="chip static">
                            {s}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <EmptyState title={t("monitoring.noNodes")} icon="🛰️" testId="monitoring-no-nodes" />
            )}
          </section>

          <section aria-labelledby="services-title" className="section">
            <h2 id="services-title">{t("monitoring.servicesTitle")}</h2>
            {view.services.length ? (
              // Scrolls sideways on a phone: focusable, so a keyboard can scroll it too.
              <div
                className="table-wrap"
                tabIndex={0}
                role="region"
                aria-labelledby="services-title"
              >
                <table className="table" data-testid="monitoring-services">
                  <thead>
                    <tr>
                      <th scope="col">{t("monitoring.service")}</th>
                      <th scope="col" className="num">
                        {t("monitoring.instances")}
                      </th>
                      <th scope="col">{t("monitoring.nodes")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.services.map((s) => (
                      <tr key={s.name}>
                        <th scope="row">
                          {s.name}
                          {s.version ? <span className="muted small"> v{s.version}</span> : null}
                        </th>
                        <td className="num">
                          {s.instances.filter((i) => i.available).length}/{s.instances.length}
                        </td>
                        <td>
                          {s.instances.map((i) => (
                            <span
                              key={i.nodeId}
                              className={`node-pill ${i.available ? "" : "down"}`}
                            >
                              {i.nodeId}
                            </span>
                          ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="empty-inline">{t("monitoring.noServices")}</p>
            )}
          </section>

          <section aria-labelledby="actions-title" className="section">
            <div className="section-head">
              <h2 id="actions-title">{t("monitoring.actions")}</h2>
              <input
                type="search"
                aria-label={t("monitoring.filter")}
                placeholder={t("monitoring.filter")}
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
              />
            </div>
            {actions.length ? (
              <div
                className="table-wrap"
                tabIndex={0}
                role="region"
                aria-labelledby="actions-title"
              >
                <table className="table" data-testid="monitoring-actions">
                  <thead>
                    <tr>
                      <th scope="col">{t("monitoring.action")}</th>
                      <th scope="col" className="num">
                        {t("monitoring.reqs")}
                      </th>
                      <th scope="col" className="num">
                        {t("monitoring.errors")}
                      </th>
                      <th scope="col" className="num">
                        {t("monitoring.mean")}
                      </th>
                      <th scope="col" className="num">
                        p95
                      </th>
                      <th scope="col" className="num">
                        p99
                      </th>
                      <th scope="col">{t("monitoring.breakerCol")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {actions.map((a) => (
                      <tr key={`${a.nodeId ?? ""}:${a.name}`}>
                        <th scope="row">
                          {a.name}
                          {a.nodeId ? <span className="muted small"> @{a.nodeId}</span> : null}
                        </th>
                        <td className="num">{fmt.rate(a.requestRate)}</td>
                        <td className={`num ${errorClass(a.errorRate)}`}>
                          {fmt.percent(a.errorRate)}
                        </td>
                        <td className="num">{fmt.ms(a.latencyMean)}</td>
                        <td className="num">{fmt.ms(a.latencyP95)}</td>
                        <td className="num">{fmt.ms(a.latencyP99)}</td>
                        <td>
                          <BreakerBadge
                            state={
                              a.breaker ??
                              view.breakers.find((b) => b.action === a.name)?.state ??
                              null
                            }
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="empty-inline">
                {filter ? t("monitoring.noMatch") : t("monitoring.noTraffic")}
              </p>
            )}
          </section>

          {view.breakers.length ? (
            <section aria-labelledby="breakers-title" className="section">
              <h2 id="breakers-title">{t("monitoring.breakers")}</h2>
              {tripped.length === 0 ? (
                <p className="empty-inline" data-testid="breakers-all-closed">
                  {t("monitoring.allClosed", { count: view.breakers.length })}
                </p>
              ) : null}
              <ul className="breaker-list" data-testid="monitoring-breakers">
                {tripped.map((b) => (
                  <li key={`${b.nodeId ?? ""}:${b.action}`}>
                    <BreakerBadge state={b.state} /> <code>{b.action}</code>
                    {b.nodeId ? (
                      <span className="muted small"> {t("monitoring.on", { node: b.nodeId })}</span>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}
