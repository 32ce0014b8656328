/** The designed states of every page: loading, empty and failed. */
import { useTranslation } from "react-i18next";
import type { ReactNode } from "react";
import { explain } from "../lib/messages.ts";

export function Spinner({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status" aria-live="polite" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t("feedback.loading")}</span>
    </div>
  );
}

/** Grey cards in the shape of a product grid while it loads. */
export function GridSkeleton({ count = 8 }: { count?: number }) {
  const { t } = useTranslation();
  return (
    <div
      className="product-grid"
      aria-busy="true"
      aria-label={t("feedback.loadingProducts")}
      data-testid="loading"
    >
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="product-card skeleton" aria-hidden="true">
          <div className="product-image" />
          <div className="product-card-body">
            <div className="line" />
            <div className="line short" />
          </div>
        </div>
      ))}
    </div>
  );
}

/**
 * A product page in grey while it loads, in the page's own shape (a square picture, the title,
 * the price): the page does not jump when it arrives, and the footer stays below the fold.
 */
export function ProductSkeleton({ label }: { label: string }) {
  return (
    <div className="product-page skeleton" aria-busy="true" data-testid="loading">
      <span className="visually-hidden" role="status">
        {label}
      </span>
      <div className="line breadcrumb-line" aria-hidden="true" />
      <div className="product-layout" aria-hidden="true">
        <div className="product-image large" />
        <div className="product-info">
          <div className="line title" />
          <div className="line short" />
          <div className="line price" />
          <div className="line short" />
          <div className="line buy" />
          <div className="line" />
          <div className="line" />
          <div className="line short" />
        </div>
      </div>
    </div>
  );
}

export function EmptyState({
  title,
  children,
  icon = "🛍️",
  testId = "empty",
}: {
  title: string;
  children?: ReactNode;
  icon?: string;
  testId?: string;
}) {
  return (
    <div className="empty" data-testid={testId}>
      <div className="empty-icon" aria-hidden="true">
        {icon}
      </div>
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** An error from the API, explained in a sentence, with an optional retry. */
export function ErrorAlert({
  error,
  onRetry,
  testId = "error",
}: {
  error: unknown;
  onRetry?: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const { message, tone } = explain(error);
  return (
    <div className={`alert ${tone}`} role="alert" data-testid={testId}>
      <span>{message}</span>
      {onRetry ? (
        <button type="button" className="button small ghost" onClick={onRetry}>
          {t("feedback.retry")}
        </button>
      ) : null}
    </div>
  );
}

export function Notice({
  children,
  tone = "info",
  testId,
}: {
  children: ReactNode;
  tone?: "info" | "success" | "warning";
  testId?: string;
}) {
  return (
    <div className={`alert ${tone}`} role="status" data-testid={testId}>
      {children}
    </div>
  );
}
