/** The shopper's orders, newest first, by tab (待付款/待发货/…) and searchable. */
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { orders } from "../api/shop.ts";
import { EmptyState, ErrorAlert, Spinner } from "../components/Feedback.tsx";
import { Money } from "../components/Money.tsx";
import { OrderSearch, OrderTabs } from "../components/OrderTabs.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { emptyListTitle, linePicture, tabOf } from "../lib/orderTabs.ts";
import { useLoad } from "../lib/useLoad.ts";
import { useTitle } from "../lib/useTitle.ts";
import { formatDate, shortId } from "./OrderDetail.tsx";

/** Lines shown per order in the list; the rest are counted. */
const SHOWN_LINES = 3;

export function Orders() {
  const { t } = useTranslation();
  useTitle(t("layout.yourOrders"));
  const [params, setParams] = useSearchParams();
  const tab = tabOf(params.get("status"));
  const q = params.get("q") ?? "";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const list = useLoad(
    (signal) => orders.list({ status: tab, q: q || undefined, page, pageSize: 10 }, signal),
    [tab, q, page],
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
        <OrderSearch key={q} query={q} onSearch={(text) => set({ q: text, page: "" })} />
      </div>
      <OrderTabs
        tab={tab}
        onTab={(next) => set({ status: next, page: "" })}
        label={t("orderTabs.label")}
      />
      {list.loading ? (
        <Spinner label={t("orders.loading")} />
      ) : list.error ? (
        <ErrorAlert error={list.error} onRetry={list.reload} />
      ) : list.data && list.data.rows.length > 0 ? (
        <>
          <ul className="order-list" data-testid="order-list">
            {list.data.rows.map((o) => {
              const items = o.items ?? [];
              return (
                <li key={o.id} className="order-row" data-testid="order-row" data-order-id={o.id}>
                  <Link to={`/orders/${encodeURIComponent(o.id)}`} className="order-row-link">
                    <span className="order-row-id">{t("orders.order", { id: shortId(o.id) })}</span>
                    <span className="muted">{formatDate(o.createdAt)}</span>
                    <span className="muted">
                      {t("orders.items", {
                        count: items.reduce((n, i) => n + i.quantity, 0),
                      })}
                    </span>
                    <Money amount={o.total} currency={o.currency} />
                    <StatusBadge status={o.status} />
                  </Link>
                  <ul className="order-row-lines" data-testid="order-row-lines">
                    {items.slice(0, SHOWN_LINES).map((i) => (
                      <li key={i.productId} className="order-row-line">
                        <ProductImage
                          src={linePicture(i.productId)}
                          name={i.name}
                          className="thumb"
                        />
                        <span className="order-row-line-name">{i.name}</span>
                        <span className="muted">× {i.quantity}</span>
                      </li>
                    ))}
                    {items.length > SHOWN_LINES ? (
                      <li className="muted">
                        {t("orders.moreLines", { count: items.length - SHOWN_LINES })}
                      </li>
                    ) : null}
                  </ul>
                </li>
              );
            })}
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
          title={emptyListTitle(t, q, tab, t("orders.none"))}
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
