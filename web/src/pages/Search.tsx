/** Search with filters (category, price range), sorting and pages, all kept in the URL. */
import { useTranslation } from "react-i18next";
import { useEffect, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { catalog } from "../api/shop.ts";
import type { ProductQuery, ProductSort } from "../api/types.ts";
import { EmptyState, ErrorAlert, GridSkeleton, Notice } from "../components/Feedback.tsx";
import { Field, Select } from "../components/Field.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { ProductCard } from "../components/ProductCard.tsx";
import { parseMoney } from "../lib/money.ts";
import { findCategory } from "../lib/categories.ts";
import { useLoad } from "../lib/useLoad.ts";
import { useTitle } from "../lib/useTitle.ts";

const PAGE_SIZE = 20;
// `label` names a catalog entry: search.sort.relevance …
const SORTS: { value: ProductSort; label: string }[] = [
  { value: "relevance", label: "relevance" },
  { value: "newest", label: "newest" },
  { value: "price", label: "priceUp" },
  { value: "-price", label: "priceDown" },
  { value: "sales", label: "sales" },
  { value: "rating", label: "rating" },
];

export function Search() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const category = params.get("category") ?? "";
  const min = params.get("min") ?? "";
  const max = params.get("max") ?? "";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const sortParam = params.get("sort") as ProductSort | null;
  const sort: ProductSort =
    sortParam && SORTS.some((s) => s.value === sortParam) ? sortParam : q ? "relevance" : "newest";

  useTitle(q ? t("search.quoted", { q }) : t("search.all"));

  const [minText, setMinText] = useState(min);
  const [maxText, setMaxText] = useState(max);
  useEffect(() => setMinText(min), [min]);
  useEffect(() => setMaxText(max), [max]);

  const categories = useLoad((signal) => catalog.categories(signal), []);
  const query: ProductQuery = {
    q: q || undefined,
    category: category || undefined,
    minPrice: min ? (parseMoney(min) ?? undefined) : undefined,
    maxPrice: max ? (parseMoney(max) ?? undefined) : undefined,
    sort,
    page,
    pageSize: PAGE_SIZE,
  };
  const key = JSON.stringify(query);
  const results = useLoad((signal) => catalog.products(query, signal), [key]);

  const update = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!("page" in patch)) next.delete("page");
    setParams(next);
  };

  const minError = minText && parseMoney(minText) === null ? t("search.badAmount") : undefined;
  const maxError = maxText && parseMoney(maxText) === null ? t("search.badAmount") : undefined;
  const rangeError =
    !minError && !maxError && minText && maxText && parseMoney(minText)! > parseMoney(maxText)!
      ? t("search.badRange")
      : undefined;

  const applyPrices = (e: FormEvent) => {
    e.preventDefault();
    if (minError || maxError || rangeError) return;
    update({ min: minText.trim(), max: maxText.trim() });
  };

  const data = results.data;
  const hasFilters = !!(category || min || max);
  const chosen = findCategory(categories.data, category);
  const categoryName = chosen?.name ?? category;
  const filtersInUse = (category ? 1 : 0) + (min || max ? 1 : 0);
  // Filters start folded on a phone, also with some in use (the heading names the category, the
  // fold says how many are in use): opened, they would stand between the shopper and the products.
  const [filtersOpen] = useState(
    () =>
      typeof window.matchMedia !== "function" || window.matchMedia("(min-width: 860px)").matches,
  );

  return (
    <div className="search-layout">
      <aside className="filters" aria-label={t("search.filters")}>
        <details open={filtersOpen} className="filters-panel">
          <summary>
            <h2>{t("search.filters")}</h2>
            {filtersInUse ? (
              <span className="filters-in-use" data-testid="filters-in-use">
                {t("search.inUse", { count: filtersInUse })}
              </span>
            ) : null}
          </summary>
          <Select
            label={t("search.category")}
            value={chosen ? chosen.slug || chosen.name : category}
            onChange={(e) => update({ category: e.target.value })}
            testId="filter-category"
          >
            <option value="">{t("search.allCategories")}</option>
            {(categories.data ?? []).map((c) => (
              <option key={c.id} value={c.slug || c.name}>
                {c.name} ({c.productCount})
              </option>
            ))}
          </Select>
          <form onSubmit={applyPrices} className="price-filter" aria-label={t("search.priceRange")}>
            <div className="field-row">
              <Field
                label={t("search.minPrice")}
                inputMode="decimal"
                value={minText}
                onChange={(e) => setMinText(e.target.value)}
                error={minError}
                testId="filter-min-price"
              />
              <Field
                label={t("search.maxPrice")}
                inputMode="decimal"
                value={maxText}
                onChange={(e) => setMaxText(e.target.value)}
                error={maxError ?? rangeError}
                testId="filter-max-price"
              />
            </div>
            <button type="submit" className="button secondary small" data-testid="filter-apply">
              {t("search.applyPrices")}
            </button>
          </form>
          {hasFilters ? (
            <button
              type="button"
              className="button ghost small"
              onClick={() => update({ category: "", min: "", max: "" })}
            >
              {t("search.clearFilters")}
            </button>
          ) : null}
        </details>
      </aside>

      <section className="results" aria-labelledby="results-title">
        <div className="results-head">
          <div>
            <h1 id="results-title">
              {q ? t("search.resultsFor", { q }) : category ? categoryName : t("search.all")}
            </h1>
            <p className="muted" aria-live="polite" data-testid="result-count">
              {results.loading
                ? t("search.searching")
                : data
                  ? t("search.count", { count: data.total })
                  : ""}
            </p>
          </div>
          <Select
            label={t("search.sortBy")}
            className="sort-select"
            value={sort}
            onChange={(e) => update({ sort: e.target.value })}
            testId="sort"
          >
            {SORTS.filter((s) => s.value !== "relevance" || q).map((s) => (
              <option key={s.value} value={s.value}>
                {t(`search.sort.${s.label}`)}
              </option>
            ))}
          </Select>
        </div>

        {results.loading ? (
          <GridSkeleton count={8} />
        ) : results.error ? (
          <ErrorAlert error={results.error} onRetry={results.reload} />
        ) : data && data.rows.length > 0 ? (
          <>
            {data.relaxed ? <Notice testId="relaxed">{t("search.relaxed")}</Notice> : null}
            <div className="product-grid" data-testid="product-grid">
              {data.rows.map((p, i) => (
                <ProductCard key={p.id} product={p} level={2} eager={i < 4} />
              ))}
            </div>
            <Pagination
              page={data.page ?? page}
              totalPages={data.totalPages}
              onPage={(p) => update({ page: String(p) })}
              label={t("search.pages")}
            />
          </>
        ) : (
          <EmptyState title={t("search.nothingTitle")} icon="🔍" testId="no-results">
            <p>
              {q ? <>{t("search.nothingFor", { q })} </> : null}
              {hasFilters ? t("search.tryFilters") : t("search.tryWord")}
            </p>
          </EmptyState>
        )}
      </section>
    </div>
  );
}
