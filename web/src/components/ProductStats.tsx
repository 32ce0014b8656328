/** A product's rating and units sold, shown by its price. */
import { useTranslation } from "react-i18next";
import type { Product } from "../api/types.ts";
import { formatNumber } from "../lib/format.ts";
import { RatingStars } from "./RatingStars.tsx";

export function ProductStats({ product }: { product: Pick<Product, "rating" | "soldCount"> }) {
  const { t } = useTranslation();
  const rating = product.rating ?? { average: 0, count: 0 };
  const average = formatNumber(rating.average, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  return (
    <p className="product-stats" data-testid="product-stats">
      {rating.count > 0 ? (
        <>
          <RatingStars
            value={rating.average}
            label={t("reviews.summary", { average, count: rating.count })}
            testId="product-rating"
          />{" "}
          <span aria-hidden="true">
            {average} ({formatNumber(rating.count)})
          </span>
        </>
      ) : (
        <span className="muted" data-testid="product-rating">
          {t("reviews.noRating")}
        </span>
      )}
      <span aria-hidden="true"> · </span>
      <span data-testid="sold-count">{t("reviews.sold", { count: product.soldCount ?? 0 })}</span>
    </p>
  );
}
