import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { catalog } from "../api/shop.ts";
import { EmptyState, ErrorAlert, GridSkeleton } from "../components/Feedback.tsx";
import { ProductCard } from "../components/ProductCard.tsx";
import { useLoad } from "../lib/useLoad.ts";
import { useTitle } from "../lib/useTitle.ts";

export function Home() {
  const { t } = useTranslation();
  useTitle();
  const categories = useLoad((signal) => catalog.categories(signal), []);
  const products = useLoad(
    (signal) => catalog.products({ sort: "newest", pageSize: 12 }, signal),
    [],
  );

  return (
    <>
      <section className="hero">
        <div>
          <h1>{t("home.title")}</h1>
          <p>{t("home.lead")}</p>
          <Link to="/search" className="button primary">
            {t("home.browse")}
          </Link>
        </div>
      </section>

      <section aria-labelledby="categories-title" className="section">
        <h2 id="categories-title">{t("home.categories")}</h2>
        {categories.loading ? (
          <div className="chips skeleton-chips" aria-hidden="true">
            {Array.from({ length: 6 }, (_, i) => (
              <span key={i} className="chip skeleton" />
            ))}
          </div>
        ) : categories.error ? (
          <ErrorAlert error={categories.error} onRetry={categories.reload} />
        ) : categories.data && categories.data.length > 0 ? (
          <ul className="chips scroll-row" data-testid="category-list">
            {categories.data.map((c) => (
              <li key={c.id}>
                <Link
                  className="chip"
                  to={`/search?category=${encodeURIComponent(c.slug || c.name)}`}
                >
                  {c.name}
                  <span
                    className="chip-count"
                    aria-label={t("home.productCount", { count: c.productCount })}
                  >
                    {c.productCount}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("home.noCategories")}</p>
        )}
      </section>

      <section aria-labelledby="new-title" className="section">
        <div className="section-head">
          <h2 id="new-title">{t("home.newArrivals")}</h2>
          <Link to="/search?sort=newest">{t("home.seeAll")}</Link>
        </div>
        {products.loading ? (
          <GridSkeleton count={8} />
        ) : products.error ? (
          <ErrorAlert error={products.error} onRetry={products.reload} />
        ) : products.data && products.data.rows.length > 0 ? (
          <div className="product-grid" data-testid="product-grid">
            {products.data.rows.map((p, i) => (
              <ProductCard key={p.id} product={p} eager={i < 4} />
            ))}
          </div>
        ) : (
          <EmptyState title={t("home.emptyTitle")} icon="📦">
            <p>{t("home.emptyBody")}</p>
          </EmptyState>
        )}
      </section>
    </>
  );
}
