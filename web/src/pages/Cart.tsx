/** The cart: change quantities, remove lines, go to checkout. */
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { cart as cartApi } from "../api/shop.ts";
import type { Cart } from "../api/types.ts";
import { EmptyState, ErrorAlert, Notice, Spinner } from "../components/Feedback.tsx";
import { Money } from "../components/Money.tsx";
import { ProductImage } from "../components/ProductImage.tsx";
import { QuantityStepper } from "../components/QuantityStepper.tsx";
import { useLoad } from "../lib/useLoad.ts";
import { useTitle } from "../lib/useTitle.ts";
import { useCart } from "../state/cart.tsx";

export function CartPage() {
  useTitle("Cart");
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

  if (loaded.loading && !data) return <Spinner label="Loading your cart…" />;
  if (loaded.error && !data) return <ErrorAlert error={loaded.error} onRetry={loaded.reload} />;
  const c = data!;

  if (c.items.length === 0) {
    return (
      <EmptyState title="Your cart is empty" icon="🛒" testId="cart-empty">
        <p>Find something you like and add it here.</p>
        <Link to="/search" className="button primary">
          Start shopping
        </Link>
      </EmptyState>
    );
  }

  return (
    <div className="cart-page">
      <h1>Your cart</h1>
      <ErrorAlert error={error} />
      {c.degraded ? (
        <Notice tone="warning" testId="cart-degraded">
          Prices and stock cannot be shown right now; your items are safe. Try again in a moment
          before checking out.{" "}
          <button type="button" className="button small ghost" onClick={loaded.reload}>
            Refresh
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
                  <Money amount={line.product.price} currency={line.product.currency} /> each
                </span>
                {line.product.stock < line.quantity ? (
                  <span className="stock low">
                    Only {line.product.stock} left: lower the quantity
                  </span>
                ) : null}
              </div>
              <QuantityStepper
                value={line.quantity}
                min={1}
                max={99}
                label={`Quantity of ${line.product.name}`}
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
                aria-label={`Remove ${line.product.name}`}
                data-testid="remove-line"
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <aside className="summary" aria-label="Order summary">
          <h2>Summary</h2>
          <dl>
            <div>
              <dt>Items</dt>
              <dd data-testid="cart-item-count">{c.itemCount}</dd>
            </div>
            <div className="total">
              <dt>Subtotal</dt>
              <dd>
                <Money amount={c.subtotal} currency={c.currency} testId="cart-subtotal" />
              </dd>
            </div>
          </dl>
          <Link to="/checkout" className="button primary large block" data-testid="go-to-checkout">
            Check out
          </Link>
          <Link to="/search" className="button ghost block">
            Keep shopping
          </Link>
        </aside>
      </div>
    </div>
  );
}
