/** Every order, newest first: fulfilment moves paid orders to shipped, then completed. */
import { useState } from "react";
import { useSearchParams } from "react-router";
import { admin } from "../../api/shop.ts";
import type { Order, OrderStatus } from "../../api/types.ts";
import { EmptyState, ErrorAlert, Spinner } from "../../components/Feedback.tsx";
import { Select } from "../../components/Field.tsx";
import { Money } from "../../components/Money.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { StatusBadge, statusLabel } from "../../components/StatusBadge.tsx";
import { useLoad } from "../../lib/useLoad.ts";
import { useTitle } from "../../lib/useTitle.ts";
import { useToast } from "../../state/toast.tsx";
import { formatDate, shortId } from "../OrderDetail.tsx";
import { STATUSES } from "../Orders.tsx";
import { AdminNav } from "./AdminNav.tsx";

const NEXT: Partial<Record<OrderStatus, "shipped" | "completed">> = {
  paid: "shipped",
  shipped: "completed",
};

function OrderRow({ order, onChanged }: { order: Order; onChanged: (o: Order) => void }) {
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
      toast(`Order ${shortId(order.id)} marked ${statusLabel(updated.status).toLowerCase()}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-testid="admin-order" data-order-id={order.id}>
      <td data-label="Order">
        <details>
          <summary>{shortId(order.id)}</summary>
          <ul className="plain small">
            {(order.items ?? []).map((i) => (
              <li key={i.productId}>
                {i.quantity} × {i.name}
              </li>
            ))}
          </ul>
          <p className="small muted">
            {order.address?.name}, {order.address?.line1}, {order.address?.city}{" "}
            {order.address?.country}
          </p>
        </details>
      </td>
      <td data-label="Placed">{formatDate(order.createdAt)}</td>
      <td data-label="Customer" className="break">
        {order.email ?? order.userId}
      </td>
      <td data-label="Total" className="num">
        <Money amount={order.total} currency={order.currency} />
      </td>
      <td data-label="Status">
        <StatusBadge status={order.status} />
      </td>
      <td data-label="Fulfilment">
        {next ? (
          <button
            type="button"
            className="button small primary"
            onClick={advance}
            disabled={busy}
            data-testid="advance-order"
          >
            {next === "shipped" ? "Mark shipped" : "Mark completed"}
          </button>
        ) : (
          <span className="muted small">—</span>
        )}
        {error ? <ErrorAlert error={error} /> : null}
      </td>
    </tr>
  );
}

export function AdminOrders() {
  useTitle("Admin: orders");
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
        <h1>Orders and fulfilment</h1>
        <Select
          label="Status"
          value={status}
          onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {})}
        >
          <option value="">All</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </Select>
      </div>
      {list.loading ? (
        <Spinner label="Loading orders…" />
      ) : list.error ? (
        <ErrorAlert error={list.error} onRetry={list.reload} />
      ) : list.data && list.data.rows.length ? (
        <>
          <div className="table-wrap">
            <table className="table stack">
              <caption className="visually-hidden">Orders</caption>
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Placed</th>
                  <th scope="col">Customer</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Fulfilment</th>
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
        <EmptyState title="No orders" icon="🧾" />
      )}
    </div>
  );
}
