import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Product } from "../api/types.ts";
import { Money } from "./Money.tsx";
import { ProductImage } from "./ProductImage.tsx";

/**
 * A product in a grid: picture, name, price and stock; the whole card links to its page. The
 * name is a heading one level below the grid's own (h3 under an h2 section, h2 under a page h1).
 */
export function ProductCard({
  product,
  level = 3,
  eager = false,
}: {
  product: Product;
  level?: 2 | 3;
  /** On the first screen: loaded at once, not lazily (the page's largest paint). */
  eager?: boolean;
}) {
  const Heading = level === 2 ? "h2" : "h3";
  const { t } = useTranslation();
  const soldOut = product.stock <= 0;
  return (
    <article className="product-card" data-testid="product-card" data-product-id={product.id}>
      <Link to={`/products/${encodeURIComponent(product.id)}`} className="product-card-link">
        <ProductImage src={product.picture} name={product.name} eager={eager} />
        <div className="product-card-body">
          <Heading className="product-card-name" data-testid="product-name">
            {product.name}
          </Heading>
          <p className="product-card-meta">
            <Money amount={product.price} currency={product.currency} testId="product-price" />
            {soldOut ? (
              <span className="stock out">{t("product.soldOut")}</span>
            ) : product.stock <= 5 ? (
              <span className="stock low">{t("product.onlyLeft", { count: product.stock })}</span>
            ) : null}
          </p>
        </div>
      </Link>
    </article>
  );
}
