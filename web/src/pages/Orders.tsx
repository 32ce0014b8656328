/** The shopper's orders, newest first, filtered by status. */
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { orders } from "../api/shop.ts";
import type { OrderStatus } from "../api/types.ts";
import { EmptyState, ErrorAlert, Spinner } from "../components/Feedback.tsx";
import { Select } from "../components/Field.tsx";
import { Money } from "../components/Money.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { StatusBadge, statusLabel } from "../components/StatusBadge.tsx";
import { useLoad } from "../lib/useLoad.ts";
import { useTitle } from "../lib/useTitle.ts";
import { formatDate, shortId } from "./OrderDetail.tsx";

export const STATUSES: OrderStatus[] = [
  "pending",
  "paid",
  "shipped",
  "completed",
  "cancelled",
  "refunded",
];

export function Orders() {
  const { t } = useTranslation();
  useTitle(t("layout.yourOrders"));
  const [params, setParams] = useSearchParams();
  const status = (params.get("status") ?? "") as OrderStatus | "";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const list = useLoad(
    (signal) => orders.list({ status, page, pageSize: 10 }, signal),
    [status, page],
  );

  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };

  return (
    <div className="orders-page">
      <div className="results-head">
        <h1>{t("layout.yourOrders")}</h1>
        <Select
          label={t("orders.status")}
          value={status}
          onChange={(e) => set({ status: e.target.value, page: "" })}
          testId="orders-status-filter"
        >
          <option value="">{t("orders.all")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </Select>
      </div>
      {list.loading ? (
        <Spinner label={t("orders.loading")} />
      ) : list.error ? (
        <ErrorAlert error={list.error} onRetry={list.reload} />
      ) : list.data && list.data.rows.length > 0 ? (
        <>
          <ul className="order-list" data-testid="order-list">
            {list.data.rows.map((o) => (
              <li key={o.id} className="order-row" data-testid="order-row" data-order-id={o.id}>
                <Link to={`/orders/${encodeURIComponent(o.id)}`} className="order-row-link">
                  <span className="order-row-id">{t("orders.order", { id: shortId(o.id) })}</span>
                  <span className="muted">{formatDate(o.createdAt)}</span>
                  <span className="muted">
                    {t("orders.items", {
                      count: (o.items ?? []).reduce((n, i) => n + i.quantity, 0),
                    })}
                  </span>
                  <Money amount={o.total} currency={o.currency} />
                  <StatusBadge status={o.status} />
                </Link>
              </li>
            ))}
          </ul>
          <Pagination
            page={list.data.page ?? page}
            totalPages={list.data.totalPages}
            onPage={(p) => set({ page: String(p) })}
            label={t("orders.pages")}
          />
        </>
      ) : (
        <EmptyState
          title={status ? t("orders.noneWith", { status: statusLabel(status) }) : t("orders.none")}
          icon="🧾"
          testId="orders-empty"
        >
          <p>
            <Link to="/search">{t("orders.findSomething")}</Link>
          </p>
        </EmptyState>
      )}
    </div>
  );
}
