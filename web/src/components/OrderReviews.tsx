/** The lines of a completed order, each with a form to review it (1–5 stars and a text). */
import { useTranslation } from "react-i18next";
import { useState, type FormEvent } from "react";
import { reviews as reviewsApi } from "../api/shop.ts";
import type { Order } from "../api/types.ts";
import { ErrorAlert, Notice } from "./Feedback.tsx";
import { TextArea } from "./Field.tsx";

export const REVIEW_TEXT_MAX = 2000;

export function OrderReviews({ order }: { order: Pick<Order, "id" | "status" | "items"> }) {
  const { t } = useTranslation();
  if (order.status !== "completed" || !order.items?.length) return null;
  return (
    <section className="panel" aria-labelledby="review-items-title" data-testid="order-reviews">
      <h2 id="review-items-title">{t("reviews.sectionTitle")}</h2>
      <ul className="review-lines">
        {order.items.map((item) => (
          <li key={item.productId}>
            <ReviewLine orderId={order.id} productId={item.productId} name={item.name} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReviewLine({
  orderId,
  productId,
  name,
}: {
  orderId: string;
  productId: string;
  name: string;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  if (done) {
    return (
      <Notice tone="success" testId="review-posted">
        {name}: {t("reviews.thanks")}
      </Notice>
    );
  }
  if (!open) {
    return (
      <p className="review-line">
        <span>{name}</span>{" "}
        <button type="button" className="button small" onClick={() => setOpen(true)}>
          {t("reviews.write")}
        </button>
      </p>
    );
  }
  return (
    <ReviewForm
      orderId={orderId}
      productId={productId}
      name={name}
      onDone={() => setDone(true)}
      onCancel={() => setOpen(false)}
    />
  );
}

export function ReviewForm({
  orderId,
  productId,
  name,
  onDone,
  onCancel,
}: {
  orderId: string;
  productId: string;
  name: string;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [rating, setRating] = useState(0);
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (rating < 1) {
      setMissing(true);
      return;
    }
    setSending(true);
    setError(null);
    try {
      await reviewsApi.create(orderId, { productId, rating, ...(text ? { text } : {}) });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      className="review-form"
      onSubmit={submit}
      aria-label={t("reviews.formLabel", { name })}
      data-testid="review-form"
    >
      <fieldset className="star-picker">
        <legend>{t("reviews.ratingLabel")}</legend>
        {[1, 2, 3, 4, 5].map((stars) => (
          <label key={stars} className={stars <= rating ? "on" : ""}>
            <input
              type="radio"
              name={`rating-${orderId}-${productId}`}
              value={stars}
              checked={rating === stars}
              onChange={() => {
                setRating(stars);
                setMissing(false);
              }}
              className="visually-hidden"
              aria-label={t("reviews.stars", { count: stars })}
            />
            <span aria-hidden="true">★</span>
          </label>
        ))}
      </fieldset>
      {missing ? (
        <p className="field-error" role="alert">
          {t("reviews.pickRating")}
        </p>
      ) : null}
      <TextArea
        label={t("reviews.textLabel")}
        value={text}
        maxLength={REVIEW_TEXT_MAX}
        rows={3}
        onChange={(e) => setText(e.target.value)}
        testId="review-text-input"
      />
      <ErrorAlert error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary small" disabled={sending}>
          {sending ? t("reviews.submitting") : t("reviews.submit")}
        </button>
        {onCancel ? (
          <button type="button" className="button ghost small" onClick={onCancel}>
            {t("reviews.cancel")}
          </button>
        ) : null}
      </div>
    </form>
  );
}
