/**
 * One product: its pictures, merchant, price, stock and description; add to cart or buy now (add,
 * then straight to checkout). On a phone the two buttons stay at the bottom of the screen.
 */
import { useTranslation } from "react-i18next";
import { useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { ApiError } from "../api/errors.ts";
import { cart as cartApi, catalog } from "../api/shop.ts";
import { EmptyState, ErrorAlert, ProductSkeleton } from "../components/Feedback.tsx";
import { FavoriteToggle } from "../components/FavoriteToggle.tsx";
import { Money } from "../components/Money.tsx";
import { Gallery } from "../components/Gallery.tsx";
import { ProductReviews } from "../components/ProductReviews.tsx";
import { ProductStats } from "../components/ProductStats.tsx";
import { QuantityStepper } from "../components/QuantityStepper.tsx";
import { categorySearchHref } from "../lib/categories.ts";
import { useLoad } from "../lib/useLoad.ts";
import { useTitle } from "../lib/useTitle.ts";
import { useAuth } from "../state/auth.tsx";
import { useCart } from "../state/cart.tsx";
import { useToast } from "../state/toast.tsx";

export function ProductPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const { user } = useAuth();
  const cart = useCart();
  const toast = useToast();
  const navigate = useNavigate();
  const location = useLocation();
  const product = useLoad((signal) => catalog.product(id, signal), [id]);
  // Products name their categories; the search filter takes slugs.
  const categories = useLoad((signal) => catalog.categories(signal), []);
  const [quantity, setQuantity] = useState(1);
  const [adding, setAdding] = useState<"cart" | "buy" | null>(null);
  const [error, setError] = useState<unknown>(null);
  useTitle(product.data?.name);

  if (product.loading) return <ProductSkeleton label={t("productPage.loading")} />;
  if (product.error) {
    if (product.error instanceof ApiError && product.error.status === 404) {
      return (
        <EmptyState title={t("productPage.unavailable")} icon="🫥" testId="not-found">
          <p>
            {t("productPage.removed")} <Link to="/search">{t("productPage.browseOther")}</Link>
          </p>
        </EmptyState>
      );
    }
    return <ErrorAlert error={product.error} onRetry={product.reload} />;
  }
  const loaded = product.data!;
  const p = { ...loaded, categories: loaded.categories ?? [] };
  const soldOut = p.stock <= 0;
  const inCart = cart.cart?.items.find((l) => l.productId === p.id)?.quantity ?? 0;
  const maxQty = Math.max(1, Math.min(99, p.stock));

  /** Adds the quantity to the cart; "buy" then goes on to checkout. */
  const add = async (then: "cart" | "buy") => {
    if (!user) {
      navigate("/login", {
        state: {
          from: location.pathname,
          reason: t(then === "buy" ? "productPage.loginToBuy" : "productPage.loginToAdd"),
        },
      });
      return;
    }
    setAdding(then);
    setError(null);
    try {
      cart.set(await cartApi.add(p.id, quantity));
      if (then === "buy") {
        navigate("/checkout");
        return;
      }
      toast(t("productPage.added", { count: quantity, name: p.name }));
    } catch (err) {
      setError(err);
    }
    setAdding(null);
  };

  return (
    <article className="product-page" data-testid="product-page">
      <nav aria-label={t("productPage.breadcrumb")} className="breadcrumb">
        <Link to="/">{t("productPage.home")}</Link> <span aria-hidden="true">/</span>{" "}
        <Link to="/search">{t("productPage.products")}</Link>
        {p.categories[0] ? (
          <>
            {" "}
            <span aria-hidden="true">/</span>{" "}
            <Link to={categorySearchHref(categories.data, p.categories[0])}>{p.categories[0]}</Link>
          </>
        ) : null}
      </nav>
      <div className="product-layout">
        <Gallery pictures={[p.picture]} name={p.name} />
        <div className="product-info">
          <h1 data-testid="product-title">{p.name}</h1>
          <p className="muted merchant-line" data-testid="product-merchant">
            {p.merchantName
              ? t("productPage.soldBy", { name: p.merchantName })
              : p.merchantId
                ? null
                : t("productPage.soldByShop")}
          </p>
          <p className="price-large">
            <Money amount={p.price} currency={p.currency} testId="product-price" />
          </p>
          <ProductStats product={p} />
          <p
            className={`stock-line ${soldOut ? "out" : p.stock <= 5 ? "low" : "ok"}`}
            data-testid="product-stock"
          >
            {soldOut
              ? t("product.soldOut")
              : p.stock <= 5
                ? t("productPage.onlyLeft", { count: p.stock })
                : t("productPage.inStock")}
          </p>
          {p.categories.length ? (
            <ul className="chips small">
              {p.categories.map((c) => (
                <li key={c}>
                  <Link className="chip" to={categorySearchHref(categories.data, c)}>
                    {c}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
          <div className="buy-box">
            <QuantityStepper
              value={quantity}
              onChange={setQuantity}
              max={maxQty}
              label={t("productPage.quantityToAdd")}
              disabled={soldOut || !!adding}
            />
            <div className="buy-actions">
              <button
                type="button"
                className="button secondary large"
                onClick={() => add("cart")}
                disabled={soldOut || !!adding}
                data-testid="add-to-cart"
              >
                {adding === "cart"
                  ? t("productPage.adding")
                  : soldOut
                    ? t("product.soldOut")
                    : t("productPage.add")}
              </button>
              {soldOut ? null : (
                <button
                  type="button"
                  className="button primary large"
                  onClick={() => add("buy")}
                  disabled={!!adding}
                  data-testid="buy-now"
                >
                  {adding === "buy" ? t("productPage.adding") : t("productPage.buyNow")}
                </button>
              )}
            </div>
          </div>
          {inCart > 0 ? (
            <p className="muted" data-testid="in-cart">
              {t("productPage.inCart", { count: inCart })} ·{" "}
              <Link to="/cart">{t("productPage.viewCart")}</Link>
            </p>
          ) : null}
          <ErrorAlert error={error} />
          <FavoriteToggle productId={p.id} name={p.name} />
          <h2 className="visually-hidden">{t("productPage.description")}</h2>
          <div className="description">
            {p.description ? (
              p.description.split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)
            ) : (
              <p className="muted">{t("productPage.noDescription")}</p>
            )}
          </div>
        </div>
      </div>
      <ProductReviews product={p} />
    </article>
  );
}
