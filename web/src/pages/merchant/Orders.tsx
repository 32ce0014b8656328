/**
 * The orders holding a merchant's products: only its lines and their subtotal, the address to
 * ship to; by tab, searchable; a paid order that is all its own is shipped from here.
 */
import { useTranslation } from "react-i18next";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { merchant } from "../../api/shop.ts";
import type { MerchantOrder } from "../../api/types.ts";
import { EmptyState, ErrorAlert, Spinner } from "../../components/Feedback.tsx";
import { Money } from "../../components/Money.tsx";
import { OrderSearch, OrderTabs } from "../../components/OrderTabs.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { ProductImage } from "../../components/ProductImage.tsx";
import { StatusBadge, statusLabel } from "../../components/StatusBadge.tsx";
import { canShip, emptyListTitle, linePicture, tabOf } from "../../lib/orderTabs.ts";
import { useLoad } from "../../lib/useLoad.ts";
import { useTitle } from "../../lib/useTitle.ts";
import { useToast } from "../../state/toast.tsx";
import { formatDate, shortId } from "../OrderDetail.tsx";
import { MerchantNav } from "./MerchantNav.tsx";
import { ShipDialog } from "./ShipDialog.tsx";
import { ReturnDecision } from "../../components/AfterSale.tsx";

function addressLine(o: MerchantOrder, separator: string): string {
  const a = o.address;
  return [a?.name, a?.phone, a?.province, a?.city, a?.district, a?.line1, a?.postalCode, a?.country]
    .filter(Boolean)
    .join(separator);
}

export function MerchantOrders() {
  const { t } = useTranslation();
  useTitle(t("merchantOrders.title"));
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const tab = tabOf(params.get("status"));
  const q = params.get("q") ?? "";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const [shipping, setShipping] = useState<MerchantOrder | null>(null);
  const list = useLoad(
    (signal) => merchant.orders({ status: tab, q: q || undefined, page, pageSize: 20 }, signal),
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
    <div className="admin-page merchant-orders">
      <MerchantNav />
      <div className="results-head">
        <h1>{t("merchantOrders.title")}</h1>
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
      ) : list.data && list.data.rows.length ? (
        <>
          <ul className="order-list" data-testid="merchant-orders">
            {list.data.rows.map((o) => (
              <li
                key={o.id}
                className="order-row"
                data-testid="merchant-order"
                data-order-id={o.id}
              >
                <div className="order-row-link">
                  <span className="order-row-id">{t("orders.order", { id: shortId(o.id) })}</span>
                  <span className="muted">{formatDate(o.createdAt)}</span>
                  <Money amount={o.total} currency={o.currency} />
                  <StatusBadge status={o.status} />
                  {canShip(o.status) ? (
                    <button
                      type="button"
                      className="button small primary"
                      onClick={() => setShipping(o)}
                      data-testid="ship-order"
                    >
                      {t("merchantOrders.ship")}
                    </button>
                  ) : null}
                </div>
                <ReturnDecision order={o} onChanged={() => list.reload()} />
                <ul className="order-row-lines">
                  {o.items.map((i) => (
                    <li key={i.productId} className="order-row-line">
                      <ProductImage
                        src={linePicture(i.productId)}
                        name={i.name}
                        className="thumb"
                      />
                      <span className="order-row-line-name">{i.name}</span>
                      <span className="muted">× {i.quantity}</span>
                      <Money amount={i.lineTotal} currency={o.currency} />
                    </li>
                  ))}
                </ul>
                <p className="small muted">
                  {t("merchantOrders.shipTo", {
                    address: addressLine(o, t("admin.addressSeparator")),
                  })}
                </p>
                {o.shipment ? (
                  <p className="small" data-testid="shipment">
                    {t("merchantOrders.shipment", {
                      carrier: o.shipment.carrier ?? "—",
                      tracking: o.shipment.trackingNumber ?? "—",
                      date: formatDate(o.shipment.shippedAt),
                    })}
                  </p>
                ) : null}
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
          title={emptyListTitle(t, q, tab, t("merchantOrders.none"))}
          icon="📦"
          testId="merchant-orders-empty"
        />
      )}
      {shipping ? (
        <ShipDialog
          order={shipping}
          onClose={(shipped) => {
            setShipping(null);
            if (!shipped) return;
            list.setData((d) => ({
              ...d!,
              rows: d!.rows.map((r) => (r.id === shipped.id ? shipped : r)),
            }));
            toast(
              t("admin.marked", { id: shortId(shipped.id), status: statusLabel(shipped.status) }),
            );
          }}
        />
      ) : null}
    </div>
  );
}
