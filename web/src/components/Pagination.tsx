/** Previous / next and the page numbers around the current one. */
import { useTranslation } from "react-i18next";
export function Pagination({
  page,
  totalPages,
  onPage,
  label,
}: {
  page: number;
  totalPages: number;
  onPage: (page: number) => void;
  label?: string;
}) {
  const { t } = useTranslation();
  if (totalPages <= 1) return null;
  const pages = pageWindow(page, totalPages);
  return (
    <nav
      className="pagination"
      aria-label={label ?? t("pagination.label")}
      data-testid="pagination"
    >
      <button
        type="button"
        className="button ghost small"
        disabled={page <= 1}
        onClick={() => onPage(page - 1)}
      >
        {t("pagination.previous")}
      </button>
      <ul>
        {pages.map((p, i) =>
          p === null ? (
            <li key={`gap-${i}`} aria-hidden="true" className="gap">
              …
            </li>
          ) : (
            <li key={p}>
              <button
                type="button"
                className={`button small ${p === page ? "primary" : "ghost"}`}
                aria-current={p === page ? "page" : undefined}
                aria-label={t("pagination.page", { page: p })}
                onClick={() => onPage(p)}
              >
                {p}
              </button>
            </li>
          ),
        )}
      </ul>
      <button
        type="button"
        className="button ghost small"
        disabled={page >= totalPages}
        onClick={() => onPage(page + 1)}
      >
        {t("pagination.next")}
      </button>
    </nav>
  );
}

/** 1 … 4 5 [6] 7 8 … 20 */
export function pageWindow(page: number, totalPages: number): (number | null)[] {
  const out: (number | null)[] = [];
  const from = Math.max(2, page - 2);
  const to = Math.min(totalPages - 1, page + 2);
  out.push(1);
  if (from > 2) out.push(null);
  for (let p = from; p <= to; p++) out.push(p);
  if (to < totalPages - 1) out.push(null);
  if (totalPages > 1) out.push(totalPages);
  return out;
}
