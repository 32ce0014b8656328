/** The cart: change quantities, remove lines, go to checkout. */
import { useTranslation } from "react-i18next";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { cart as cartApi } from "../api/shop.ts";
import type { Cart } from "../api/types.ts";
import { EmptyState, ErrorAlert, Notice, Spinner } from "../components/Feedback.tsx";
import { Money } from "../components/Money.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { QuantityStepper } from "../components/QuantityStepper.tsx";
import { formatNumber } from "../lib/format.ts";
import { formatMoney } from "../lib/money.ts";
import { useLoad } from "../lib/useLoad.ts";
import { useTitle } from "../lib/useTitle.ts";
import { useCart } from "../state/cart.tsx";

export function CartPage() {
  const { t } = useTranslation();
  useTitle(t("cart.title"));
  const shared = useCart();
  const loaded = useLoad((signal) => cartApi.get(signal), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const { data } = loaded;
  const { set } = shared;
  useEffect(() => {
    if (data) set(data);
  }, [data, set]);

  const change = async (productId: string, action: () => Promise<Cart>) => {
    setBusy(productId);
    setError(null);
    try {
      const next = await action();
      loaded.setData(next);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  if (loaded.loading && !data) return <Spinner label={t("cart.loading")} />;
  if (loaded.error && !data) return <ErrorAlert error={loaded.error} onRetry={loaded.reload} />;
  const c = data!;

  if (c.items.length === 0) {
    return (
      <EmptyState title={t("cart.emptyTitle")} icon="🛒" testId="cart-empty">
        <p>{t("cart.emptyBody")}</p>
        <Link to="/search" className="button primary">
          {t("cart.startShopping")}
        </Link>
      </EmptyState>
    );
  }

  return (
    <div className="cart-page">
      <h1>{t("cart.heading")}</h1>
      <ErrorAlert error={error} />
      {c.degraded ? (
        <Notice tone="warning" testId="cart-degraded">
          {t("cart.degraded")}{" "}
          <button type="button" className="button small ghost" onClick={loaded.reload}>
            {t("cart.refresh")}
          </button>
        </Notice>
      ) : null}
      <div className="cart-layout">
        <ul className="cart-lines" data-testid="cart-lines">
          {c.items.map((line) => (
            <li
              key={line.productId}
              className="cart-line"
              data-testid="cart-line"
              data-product-id={line.productId}
            >
              <Link
                to={`/products/${encodeURIComponent(line.productId)}`}
                className="cart-line-image"
                tabIndex={-1}
                aria-hidden="true"
              >
                <ProductImage src={line.product.picture} name={line.product.name} />
              </Link>
              <div className="cart-line-info">
                <Link
                  to={`/products/${encodeURIComponent(line.productId)}`}
                  className="cart-line-name"
                >
                  {line.product.name}
                </Link>
                <span className="muted">
                  {t("cart.each", {
                    price: formatMoney(line.product.price, line.product.currency),
                  })}
                </span>
                {line.product.stock < line.quantity ? (
                  <span className="stock low">
                    {t("cart.lowerQuantity", { count: line.product.stock })}
                  </span>
                ) : null}
              </div>
              <QuantityStepper
                value={line.quantity}
                min={1}
                max={99}
                label={t("cart.quantityOf", { name: line.product.name })}
                disabled={busy === line.productId}
                onChange={(q) =>
                  change(line.productId, () => cartApi.setQuantity(line.productId, q))
                }
                testId="line-quantity"
              />
              <strong className="cart-line-total">
                <Money amount={line.lineTotal} currency={c.currency} testId="line-total" />
              </strong>
              <button
                type="button"
                className="button ghost small"
                disabled={busy === line.productId}
                onClick={() => change(line.productId, () => cartApi.remove(line.productId))}
                aria-label={t("cart.removeLabel", { name: line.product.name })}
                data-testid="remove-line"
              >
                {t("cart.remove")}
              </button>
            </li>
          ))}
        </ul>
        <aside className="summary" aria-label={t("cart.summaryLabel")}>
          <h2>{t("cart.summary")}</h2>
          <dl>
            <div>
              <dt>{t("cart.items")}</dt>
              <dd data-testid="cart-item-count">{formatNumber(c.itemCount)}</dd>
            </div>
            <div className="total">
              <dt>{t("cart.subtotal")}</dt>
              <dd>
                <Money amount={c.subtotal} currency={c.currency} testId="cart-subtotal" />
              </dd>
            </div>
          </dl>
          <Link to="/checkout" className="button primary large block" data-testid="go-to-checkout">
            {t("cart.checkout")}
          </Link>
          <Link to="/search" className="button ghost block">
            {t("cart.keepShopping")}
          </Link>
        </aside>
      </div>
    </div>
  );
}
