/** Every order, newest first: fulfilment moves paid orders to shipped, then completed. */
import { useTranslation } from "react-i18next";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { admin } from "../../api/shop.ts";
import type { Order, OrderStatus } from "../../api/types.ts";
import { EmptyState, ErrorAlert, Spinner } from "../../components/Feedback.tsx";
import { Select } from "../../components/Field.tsx";
import { Money } from "../../components/Money.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { ReturnDecision } from "../../components/AfterSale.tsx";
import { StatusBadge, statusLabel } from "../../components/StatusBadge.tsx";
import { useLoad } from "../../lib/useLoad.ts";
import { useTitle } from "../../lib/useTitle.ts";
import { useToast } from "../../state/toast.tsx";
import { formatDate, shortId } from "../OrderDetail.tsx";
import { AdminNav } from "./AdminNav.tsx";

/**
 * Every order status, in the order an order goes through them: the filter offers each. A status
 * the API adds fails the type check here until it is placed.
 */
const STATUS_FILTER = {
  pending: true,
  paid: true,
  shipped: true,
  completed: true,
  return_requested: true,
  refunded: true,
  cancelled: true,
} satisfies Record<OrderStatus, true>;
const STATUSES = Object.keys(STATUS_FILTER) as OrderStatus[];

const NEXT: Partial<Record<OrderStatus, "shipped" | "completed">> = {
  paid: "shipped",
  shipped: "completed",
};

function OrderRow({ order, onChanged }: { order: Order; onChanged: (o: Order) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const next = NEXT[order.status];
  const advance = async () => {
    if (!next) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await admin.setOrderStatus(order.id, next);
      onChanged(updated);
      toast(t("admin.marked", { id: shortId(order.id), status: statusLabel(updated.status) }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-testid="admin-order" data-order-id={order.id}>
      <td data-label={t("admin.colOrder")}>
        <details>
          <summary>{shortId(order.id)}</summary>
          <ul className="plain small">
            {(order.items ?? []).map((i) => (
              <li key={i.productId}>{t("checkout.line", { count: i.quantity, name: i.name })}</li>
            ))}
          </ul>
          <p className="small muted">
            {[
              order.address?.name,
              order.address?.province,
              order.address?.city,
              order.address?.district,
              order.address?.line1,
              order.address?.country,
            ]
              .filter(Boolean)
              .join(t("admin.addressSeparator"))}
          </p>
        </details>
      </td>
      <td data-label={t("admin.colPlaced")}>{formatDate(order.createdAt)}</td>
      <td data-label={t("admin.colCustomer")} className="break" data-testid="order-customer">
        {order.address?.name ? <strong>{order.address.name}</strong> : null}
        <span className="muted small customer-contact">
          {order.email ?? t("access.userWithId", { id: order.userId })}
        </span>
      </td>
      <td data-label={t("checkout.total")} className="num">
        <Money amount={order.total} currency={order.currency} />
      </td>
      <td data-label={t("orders.status")}>
        <StatusBadge status={order.status} />
      </td>
      <td data-label={t("admin.colFulfilment")}>
        {next ? (
          <button
            type="button"
            className="button small primary"
            onClick={advance}
            disabled={busy}
            data-testid="advance-order"
          >
            {next === "shipped" ? t("admin.markShipped") : t("admin.markCompleted")}
          </button>
        ) : order.status === "return_requested" ? null : (
          <span className="muted small">—</span>
        )}
        <ReturnDecision order={order} onChanged={onChanged} />
        {error ? <ErrorAlert error={error} /> : null}
      </td>
    </tr>
  );
}

export function AdminOrders() {
  const { t } = useTranslation();
  useTitle(t("layout.adminOrders"));
  const [params, setParams] = useSearchParams();
  const status = (params.get("status") ?? "") as OrderStatus | "";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const list = useLoad(
    (signal) => admin.orders({ status, page, pageSize: 20 }, signal),
    [status, page],
  );
  return (
    <div className="admin-page">
      <AdminNav />
      <div className="results-head">
        <h1>{t("admin.ordersTitle")}</h1>
        <Select
          label={t("orders.status")}
          value={status}
          onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {})}
        >
          <option value="">{t("admin.all")}</option>
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
      ) : list.data && list.data.rows.length ? (
        <>
          <div className="table-wrap">
            <table className="table stack">
              <caption className="visually-hidden">{t("admin.orders")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("admin.colOrder")}</th>
                  <th scope="col">{t("admin.colPlaced")}</th>
                  <th scope="col">{t("admin.colCustomer")}</th>
                  <th scope="col" className="num">
                    {t("checkout.total")}
                  </th>
                  <th scope="col">{t("orders.status")}</th>
                  <th scope="col">{t("admin.colFulfilment")}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.rows.map((o) => (
                  <OrderRow
                    key={o.id}
                    order={o}
                    onChanged={(u) =>
                      list.setData((d) => ({
                        ...d!,
                        rows: d!.rows.map((r) => (r.id === u.id ? u : r)),
                      }))
                    }
                  />
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            page={list.data.page ?? page}
            totalPages={list.data.totalPages}
            onPage={(p) => setParams({ ...(status ? { status } : {}), page: String(p) })}
          />
        </>
      ) : (
        <EmptyState title={t("orders.none")} icon="🧾" />
      )}
    </div>
  );
}
