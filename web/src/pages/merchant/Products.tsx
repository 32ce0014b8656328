/** A merchant's products (all products for an admin): quick price and stock edits, delete. */
import { useTranslation } from "react-i18next";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { catalog } from "../../api/shop.ts";
import type { Product } from "../../api/types.ts";
import { EmptyState, ErrorAlert, Notice, Spinner } from "../../components/Feedback.tsx";
import { Pagination } from "../../components/Pagination.tsx";
import { ProductImage } from "../../components/ProductImage.tsx";
import { ProductStats } from "../../components/ProductStats.tsx";
import { listOwnProducts } from "../../lib/merchantProducts.ts";
import { explain } from "../../lib/messages.ts";
import { formatMoney, parseMoney, toMajorText } from "../../lib/money.ts";
import { useArrival } from "../../lib/useArrival.ts";
import { useLoad } from "../../lib/useLoad.ts";
import { useTitle } from "../../lib/useTitle.ts";
import { useAuth } from "../../state/auth.tsx";
import { useToast } from "../../state/toast.tsx";
import { MerchantNav } from "./MerchantNav.tsx";

const PAGE_SIZE = 20;

function ProductRow({
  product,
  onChanged,
  onDeleted,
}: {
  product: Product;
  onChanged: (p: Product) => void;
  onDeleted: (id: string) => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const [price, setPrice] = useState(toMajorText(product.price, product.currency));
  const [stock, setStock] = useState(String(product.stock));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);

  const parsedPrice = parseMoney(price, product.currency);
  const parsedStock = /^\d+$/.test(stock.trim()) ? Number(stock.trim()) : null;
  const changed = parsedPrice !== product.price || parsedStock !== product.stock;
  const invalid = parsedPrice === null || parsedStock === null;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (invalid || !changed) return;
    setBusy(true);
    setError(null);
    try {
      const patch: { price?: number; stock?: number } = {};
      if (parsedPrice !== product.price) patch.price = parsedPrice!;
      if (parsedStock !== product.stock) patch.stock = parsedStock!;
      const updated = await catalog.update(product.id, patch);
      onChanged(updated);
      setPrice(toMajorText(updated.price, updated.currency));
      setStock(String(updated.stock));
      toast(t("merchant.savedToast", { name: updated.name }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await catalog.remove(product.id);
      onDeleted(product.id);
      toast(t("merchant.deletedToast", { name: product.name }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const fields = explain(error).fields;
  return (
    <li className="merchant-row" data-testid="merchant-product" data-product-id={product.id}>
      <ProductImage src={product.picture} name={product.name} className="thumb" />
      <div className="merchant-row-info">
        <Link to={`/products/${encodeURIComponent(product.id)}`} className="strong">
          {product.name}
        </Link>
        <span className="muted small">
          {t("merchant.rowSummary", {
            categories:
              (product.categories ?? []).join(t("merchant.listSeparator")) ||
              t("merchant.noCategory"),
            price: formatMoney(product.price, product.currency),
            count: product.stock,
          })}
        </span>
        <ProductStats product={product} />
        <Link to={`/products/${encodeURIComponent(product.id)}#reviews`} className="small">
          {t("reviews.manage", { name: product.name })}
        </Link>
      </div>
      <form
        className="quick-edit"
        onSubmit={save}
        aria-label={t("merchant.quickEditLabel", { name: product.name })}
      >
        <label>
          <span>{t("merchant.price", { currency: product.currency })}</span>
          <input
            value={price}
            inputMode="decimal"
            onChange={(e) => setPrice(e.target.value)}
            aria-invalid={parsedPrice === null || !!fields.price}
            data-testid="quick-price"
          />
        </label>
        <label>
          <span>{t("merchant.stock")}</span>
          <input
            value={stock}
            inputMode="numeric"
            onChange={(e) => setStock(e.target.value)}
            aria-invalid={parsedStock === null || !!fields.stock}
            data-testid="quick-stock"
          />
        </label>
        <button
          type="submit"
          className="button small primary"
          disabled={busy || invalid || !changed}
          data-testid="quick-save"
        >
          {t("merchant.save")}
        </button>
      </form>
      <div className="row-actions">
        <Link
          to={`/merchant/products/${encodeURIComponent(product.id)}/edit`}
          className="button small ghost"
          aria-label={t("merchant.editLabel", { name: product.name })}
        >
          {t("merchant.edit")}
        </Link>
        {confirming ? (
          <>
            <button
              type="button"
              className="button small danger"
              onClick={remove}
              disabled={busy}
              data-testid="confirm-delete"
            >
              {t("merchant.deleteIt")}
            </button>
            <button
              type="button"
              className="button small ghost"
              onClick={() => setConfirming(false)}
              disabled={busy}
            >
              {t("merchant.keep")}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button small ghost danger-text"
            onClick={() => setConfirming(true)}
            aria-label={t("merchant.deleteLabel", { name: product.name })}
            data-testid="delete-product"
          >
            {t("merchant.delete")}
          </button>
        )}
      </div>
      {error ? (
        <div className="merchant-row-error">
          <ErrorAlert error={error} />
          {Object.entries(fields).map(([f, m]) => (
            <p key={f} className="field-error">
              {f}: {m}
            </p>
          ))}
        </div>
      ) : null}
    </li>
  );
}

export function MerchantProducts() {
  const { t } = useTranslation();
  useTitle(t("layout.yourProducts"));
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const q = params.get("q") ?? "";
  const [qText, setQText] = useState(q);
  const isAdmin = user?.role === "admin";
  const list = useLoad(
    (signal) =>
      isAdmin
        ? catalog.products({ page, pageSize: PAGE_SIZE, sort: "newest", q: q || undefined }, signal)
        : listOwnProducts(catalog.products, user!.id, { page, pageSize: PAGE_SIZE, q }, signal),
    [page, q, isAdmin, user?.id],
  );
  const { saved } = useArrival<{ saved: string }>();

  return (
    <div className="merchant-page">
      <MerchantNav />
      <div className="results-head">
        <div>
          <h1>{isAdmin ? t("search.all") : t("layout.yourProducts")}</h1>
          <p className="muted">
            {list.data ? t("home.productCount", { count: list.data.total }) : " "}
          </p>
        </div>
        <Link to="/merchant/products/new" className="button primary" data-testid="new-product">
          {t("merchant.newProduct")}
        </Link>
      </div>
      {saved ? <Notice tone="success">{t("merchant.savedNotice", { name: saved })}</Notice> : null}
      <form
        className="inline-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setParams(qText.trim() ? { q: qText.trim() } : {});
        }}
      >
        <label htmlFor="merchant-q" className="visually-hidden">
          {t("merchant.search")}
        </label>
        <input
          id="merchant-q"
          type="search"
          placeholder={t("merchant.search")}
          value={qText}
          onChange={(e) => setQText(e.target.value)}
        />
        <button type="submit" className="button secondary">
          {t("layout.searchButton")}
        </button>
      </form>
      {list.loading ? (
        <Spinner label={t("feedback.loadingProducts")} />
      ) : list.error ? (
        <ErrorAlert error={list.error} onRetry={list.reload} />
      ) : list.data && list.data.rows.length > 0 ? (
        <>
          <ul className="merchant-list" data-testid="merchant-products">
            {list.data.rows.map((p) => (
              <ProductRow
                key={p.id}
                product={p}
                onChanged={(next) =>
                  list.setData((d) => ({
                    ...d!,
                    rows: d!.rows.map((r) => (r.id === next.id ? next : r)),
                  }))
                }
                onDeleted={(id) =>
                  list.setData((d) => ({
                    ...d!,
                    total: d!.total - 1,
                    rows: d!.rows.filter((r) => r.id !== id),
                  }))
                }
              />
            ))}
          </ul>
          <Pagination
            page={list.data.page ?? page}
            totalPages={list.data.totalPages}
            onPage={(p) => setParams({ ...(q ? { q } : {}), page: String(p) })}
          />
        </>
      ) : (
        <EmptyState
          title={q ? t("merchant.noMatch") : t("merchant.none")}
          icon="🏷️"
          testId="merchant-empty"
        >
          <p>{t("merchant.addFirst")}</p>
          <Link to="/merchant/products/new" className="button primary">
            {t("merchant.create")}
          </Link>
        </EmptyState>
      )}
    </div>
  );
}
