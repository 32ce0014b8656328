import { Link } from "react-router";
import { catalog } from "../api/shop.ts";
import { EmptyState, ErrorAlert, GridSkeleton } from "../components/Feedback.tsx";
import { ProductCard } from "../components/ProductCard.tsx";
import { useLoad } from "../lib/useLoad.ts";
import { useTitle } from "../lib/useTitle.ts";

export function Home() {
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
          <h1>Find something you'll love</h1>
          <p>
            Fresh picks from our merchants, delivered to your door. Pay safely, track every order.
          </p>
          <Link to="/search" className="button primary">
            Browse everything
          </Link>
        </div>
      </section>

      <section aria-labelledby="categories-title" className="section">
        <h2 id="categories-title">Categories</h2>
        {categories.loading ? (
          <div className="chips skeleton-chips" aria-hidden="true">
            {Array.from({ length: 6 }, (_, i) => (
              <span key={i} className="chip skeleton" />
            ))}
          </div>
        ) : categories.error ? (
          <ErrorAlert error={categories.error} onRetry={categories.reload} />
        ) : categories.data && categories.data.length > 0 ? (
          <ul className="chips" data-testid="category-list">
            {categories.data.map((c) => (
              <li key={c.id}>
                <Link
                  className="chip"
                  to={`/search?category=${encodeURIComponent(c.slug || c.name)}`}
                >
                  {c.name}
                  <span className="chip-count" aria-label={`${c.productCount} products`}>
                    {c.productCount}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No categories yet.</p>
        )}
      </section>

      <section aria-labelledby="new-title" className="section">
        <div className="section-head">
          <h2 id="new-title">New arrivals</h2>
          <Link to="/search?sort=newest">See all</Link>
        </div>
        {products.loading ? (
          <GridSkeleton count={8} />
        ) : products.error ? (
          <ErrorAlert error={products.error} onRetry={products.reload} />
        ) : products.data && products.data.rows.length > 0 ? (
          <div className="product-grid" data-testid="product-grid">
            {products.data.rows.map((p) => (
              <ProductCard key={p.id} product={p} />
            ))}
          </div>
        ) : (
          <EmptyState title="The shelves are empty" icon="📦">
            <p>No products yet. Check back soon.</p>
          </EmptyState>
        )}
      </section>
    </>
  );
}
