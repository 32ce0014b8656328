/**
 * A product's reviews: newest first, paged, filtered by stars, with the merchant's replies. The
 * product's merchant (or an admin) answers each review once from here. Texts are shown as written
 * (React escapes them; line breaks kept).
 */
import { useTranslation } from "react-i18next";
import { useState, type FormEvent } from "react";
import { reviews as reviewsApi } from "../api/shop.ts";
import type { Product, Review } from "../api/types.ts";
import { formatDate } from "../lib/format.ts";
import { useLoad } from "../lib/useLoad.ts";
import { useAuth } from "../state/auth.tsx";
import { EmptyState, ErrorAlert, Notice, Spinner } from "./Feedback.tsx";
import { TextArea } from "./Field.tsx";
import { Pagination } from "./Pagination.tsx";
import { RatingStars } from "./RatingStars.tsx";

const PAGE_SIZE = 10;
const FILTERS = [5, 4, 3, 2, 1];

export function ProductReviews({ product }: { product: Pick<Product, "id" | "merchantId"> }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const [page, setPage] = useState(1);
  const [rating, setRating] = useState<number | undefined>(undefined);
  const list = useLoad(
    (signal) => reviewsApi.list(product.id, { page, pageSize: PAGE_SIZE, rating }, signal),
    [product.id, page, rating],
  );
  const canReply = !!user && (user.role === "admin" || user.id === product.merchantId);
  const filter = (next: number | undefined) => {
    setRating(next);
    setPage(1);
  };
  const replaced = (review: Review) =>
    list.setData((prev) =>
      prev ? { ...prev, rows: prev.rows.map((r) => (r.id === review.id ? review : r)) } : prev!,
    );

  return (
    <section
      id="reviews"
      className="panel reviews"
      aria-labelledby="reviews-title"
      data-testid="reviews"
    >
      <h2 id="reviews-title">{t("reviews.title")}</h2>
      <div className="chips small" role="group" aria-label={t("reviews.filterLabel")}>
        <button
          type="button"
          className="chip"
          aria-pressed={rating === undefined}
          onClick={() => filter(undefined)}
        >
          {t("reviews.all")}
        </button>
        {FILTERS.map((stars) => (
          <button
            key={stars}
            type="button"
            className="chip"
            aria-pressed={rating === stars}
            onClick={() => filter(stars)}
            data-testid={`reviews-filter-${stars}`}
          >
            {t("reviews.stars", { count: stars })}
          </button>
        ))}
      </div>
      {list.loading ? (
        <Spinner label={t("reviews.loading")} />
      ) : list.error ? (
        <ErrorAlert error={list.error} onRetry={list.reload} />
      ) : !list.data || list.data.rows.length === 0 ? (
        <EmptyState title={rating ? t("reviews.noneWithRating") : t("reviews.none")} icon="💬" />
      ) : (
        <>
          <ol className="review-list">
            {list.data.rows.map((review) => (
              <li key={review.id} className="review" data-testid="review">
                <ReviewBody review={review} />
                {canReply && !review.reply ? (
                  <ReplyForm productId={product.id} review={review} onReplied={replaced} />
                ) : null}
              </li>
            ))}
          </ol>
          <Pagination
            page={page}
            totalPages={list.data.totalPages}
            onPage={setPage}
            label={t("reviews.pages")}
          />
        </>
      )}
    </section>
  );
}

function ReviewBody({ review }: { review: Review }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="review-head">
        <RatingStars
          value={review.rating}
          label={t("reviews.starsLabel", { rating: review.rating })}
        />{" "}
        <strong>{review.author.name}</strong>{" "}
        <time className="muted" dateTime={review.createdAt}>
          {formatDate(review.createdAt)}
        </time>
      </p>
      {review.text ? (
        <p className="review-text" data-testid="review-text">
          {review.text}
        </p>
      ) : null}
      {review.reply ? (
        <blockquote className="review-reply" data-testid="review-reply">
          <strong>{t("reviews.merchantReply")}</strong>
          <p className="review-text">{review.reply.text}</p>
        </blockquote>
      ) : null}
    </>
  );
}

function ReplyForm({
  productId,
  review,
  onReplied,
}: {
  productId: string;
  review: Review;
  onReplied: (review: Review) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setSending(true);
    setError(null);
    try {
      onReplied(await reviewsApi.reply(productId, review.id, text));
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  if (done) return <Notice tone="success">{t("reviews.replied")}</Notice>;
  return (
    <form className="reply-form" onSubmit={submit} data-testid="reply-form">
      <TextArea
        label={t("reviews.replyLabel", { name: review.author.name })}
        value={text}
        maxLength={2000}
        rows={2}
        required
        onChange={(e) => setText(e.target.value)}
        testId="reply-text"
      />
      <ErrorAlert error={error} />
      <button type="submit" className="button small" disabled={sending || !text.trim()}>
        {t("reviews.replySend")}
      </button>
    </form>
  );
}
