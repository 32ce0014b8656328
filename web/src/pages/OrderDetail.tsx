/** One order: status, items, address, payment; pay it while pending; cancel it. */
import { Trans, useTranslation } from "react-i18next";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { ApiError } from "../api/errors.ts";
import { orders } from "../api/shop.ts";
import type { Order } from "../api/types.ts";
import { CardForm, EMPTY_CARD } from "../components/CardForm.tsx";
import { EmptyState, ErrorAlert, Notice, Spinner } from "../components/Feedback.tsx";
import { AddressLines } from "../components/AddressLines.tsx";
import { BuyerAfterSale } from "../components/AfterSale.tsx";
import { Money } from "../components/Money.tsx";
import { OrderReviews } from "../components/OrderReviews.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { toCard, validateCard, type CardFields } from "../lib/cards.ts";
import { formatDateTime, formatNumber } from "../lib/format.ts";
import { IdempotentAttempt } from "../lib/idempotency.ts";
import { formatMoney } from "../lib/money.ts";
import { explain } from "../lib/messages.ts";
import { useArrival } from "../lib/useArrival.ts";
import { useLoad } from "../lib/useLoad.ts";
import { useTitle } from "../lib/useTitle.ts";
import { useCart } from "../state/cart.tsx";
import type { PayErrorState } from "./Checkout.tsx";

interface ArrivalState {
  justPaid?: boolean;
  placed?: boolean;
  payError?: PayErrorState;
}

export function shortId(id: string): string {
  return id.length > 10 ? id.slice(-8).toUpperCase() : id.toUpperCase();
}

/** A timestamp of the API as a date and time in the app's language ("" for none). */
export function formatDate(iso: string | null | undefined): string {
  return iso ? formatDateTime(iso) : "";
}

/** Seconds left until `iso`, ticking every second; null without a deadline. */
function useSecondsLeft(iso: string | null | undefined, active: boolean): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!iso || !active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [iso, active]);
  if (!iso || !active) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : Math.max(0, Math.floor((at - now) / 1000));
}

function Countdown({ seconds }: { seconds: number }) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return (
    <span data-testid="order-countdown">
      {m}:{String(s).padStart(2, "0")}
    </span>
  );
}

export function OrderDetail() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const arrival = useArrival<ArrivalState>();
  const order = useLoad((signal) => orders.get(id, signal), [id]);
  const { refresh: refreshCart } = useCart();
  const [card, setCard] = useState<CardFields>(EMPTY_CARD);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [payError, setPayError] = useState<unknown>(() =>
    arrival.payError
      ? new ApiError(
          arrival.payError.status,
          arrival.payError.type,
          arrival.payError.message,
          arrival.payError.data,
          arrival.payError.retryAfter,
        )
      : null,
  );
  const [notice, setNotice] = useState<string | null>(
    arrival.justPaid ? t("order.paidNotice") : arrival.placed ? t("order.placedNotice") : null,
  );
  const [busy, setBusy] = useState<"pay" | "cancel" | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const payAttempt = useRef(new IdempotentAttempt());
  useTitle(order.data ? t("orders.order", { id: shortId(order.data.id) }) : t("order.title"));

  const o = order.data;
  const pending = o?.status === "pending";
  const secondsLeft = useSecondsLeft(o?.expiresAt, !!pending);
  const expired = pending && secondsLeft === 0;
  const { reload } = order;
  useEffect(() => {
    if (!expired) return;
    // The server cancels it shortly after; show the outcome.
    const timer = setTimeout(reload, 3000);
    return () => clearTimeout(timer);
  }, [expired, reload]);

  if (order.loading && !o) return <Spinner label={t("order.loading")} />;
  if (order.error && !o) {
    if (order.error instanceof ApiError && order.error.status === 404) {
      return (
        <EmptyState title={t("order.notFound")} icon="🧾" testId="not-found">
          <p>
            <Link to="/orders">{t("order.seeOrders")}</Link>
          </p>
        </EmptyState>
      );
    }
    return <ErrorAlert error={order.error} onRetry={order.reload} />;
  }
  const current = o!;

  const pay = async (e: FormEvent) => {
    e.preventDefault();
    const problems = validateCard(card);
    setFieldErrors(problems);
    setPayError(null);
    setNotice(null);
    if (Object.keys(problems).length) return;
    setBusy("pay");
    try {
      const body = { card: toCard(card) };
      const paid = await payAttempt.current.run(body, (key) =>
        orders.pay(current.id, body.card, key),
      );
      order.setData(paid);
      setNotice(t("order.paidNotice"));
      setCard(EMPTY_CARD);
    } catch (failure) {
      setPayError(failure);
      setFieldErrors(explain(failure).fields);
      if (failure instanceof ApiError && failure.type === "ORDER_NOT_PENDING") order.reload();
    } finally {
      setBusy(null);
    }
  };

  const cancel = async () => {
    setBusy("cancel");
    setActionError(null);
    try {
      const next: Order = await orders.cancel(current.id);
      order.setData(next);
      setConfirming(false);
      setPayError(null);
      setNotice(next.status === "refunded" ? t("order.cancelledRefunded") : t("order.cancelled"));
      void refreshCart();
    } catch (failure) {
      setActionError(failure);
      order.reload();
    } finally {
      setBusy(null);
    }
  };

  const cancellable = current.status === "pending" || current.status === "paid";
  // Some units refunded and some kept: each line says how many of its units came back.
  const partlyRefunded =
    (current.items ?? []).some((i) => i.refundedQuantity > 0) &&
    (current.items ?? []).some((i) => i.refundedQuantity < i.quantity);

  return (
    <article className="order-page" data-testid="order-page" data-order-id={current.id}>
      <nav aria-label={t("productPage.breadcrumb")} className="breadcrumb">
        <Link to="/orders">{t("layout.yourOrders")}</Link> <span aria-hidden="true">/</span>{" "}
        {shortId(current.id)}
      </nav>
      <header className="order-head">
        <div>
          <h1>{t("orders.order", { id: shortId(current.id) })}</h1>
          <p className="muted">{t("order.placedAt", { date: formatDate(current.createdAt) })}</p>
        </div>
        <StatusBadge status={current.status} />
      </header>

      {notice ? (
        <Notice tone="success" testId="order-notice">
          {notice}
        </Notice>
      ) : null}
      {order.error ? <ErrorAlert error={order.error} onRetry={order.reload} /> : null}

      {pending ? (
        <section className="panel pay-panel" aria-labelledby="pay-title">
          <h2 id="pay-title">{t("order.payTitle")}</h2>
          {secondsLeft !== null ? (
            expired ? (
              <p className="alert warning" role="status">
                {t("order.timeUp")}
              </p>
            ) : (
              <p className="muted">
                <Trans
                  i18nKey="order.reservedFor"
                  components={{ countdown: <Countdown seconds={secondsLeft} /> }}
                />
              </p>
            )
          ) : null}
          <form onSubmit={pay} noValidate data-testid="pay-form">
            <CardForm
              value={card}
              onChange={setCard}
              errors={fieldErrors}
              disabled={busy !== null || !!expired}
            />
            <ErrorAlert error={payError} testId="pay-error" />
            <button
              type="submit"
              className="button primary large"
              disabled={busy !== null || !!expired}
              data-testid="pay-button"
            >
              {busy === "pay"
                ? t("checkout.paying")
                : t("order.pay", { amount: formatMoney(current.total, current.currency) })}
            </button>
          </form>
        </section>
      ) : payError ? (
        <ErrorAlert error={payError} testId="pay-error" />
      ) : null}

      <div className="order-grid">
        <section className="panel" aria-labelledby="items-title">
          <h2 id="items-title">{t("order.items")}</h2>
          <table className="table order-items">
            <thead>
              <tr>
                <th scope="col">{t("order.product")}</th>
                <th scope="col" className="num">
                  {t("order.price")}
                </th>
                <th scope="col" className="num">
                  {t("order.qty")}
                </th>
                <th scope="col" className="num">
                  {t("checkout.total")}
                </th>
              </tr>
            </thead>
            <tbody>
              {(current.items ?? []).map((item) => (
                <tr key={item.productId} data-testid="order-item">
                  <td className="order-item-name">
                    <Link to={`/products/${encodeURIComponent(item.productId)}`}>{item.name}</Link>
                  </td>
                  <td className="num">
                    <Money amount={item.price} currency={current.currency} />
                  </td>
                  <td className="num order-item-qty">
                    {formatNumber(item.quantity)}
                    {partlyRefunded && item.refundedQuantity ? (
                      <span className="muted small refunded-units" data-testid="refunded-units">
                        {" "}
                        {t("order.refundedUnits", { count: item.refundedQuantity })}
                      </span>
                    ) : null}
                  </td>
                  <td className="num">
                    <Money amount={item.lineTotal} currency={current.currency} />
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  {t("checkout.total")}
                </th>
                <td className="num">
                  <strong>
                    <Money
                      amount={current.total}
                      currency={current.currency}
                      testId="order-total"
                    />
                  </strong>
                </td>
              </tr>
            </tfoot>
          </table>
        </section>
        <OrderReviews order={current} />

        <section className="panel" aria-labelledby="delivery-title">
          <h2 id="delivery-title">{t("order.delivery")}</h2>
          <AddressLines address={current.address} />
          {current.email ? (
            <p className="muted">{t("order.receiptTo", { email: current.email })}</p>
          ) : null}
          <h2>{t("order.payment")}</h2>
          {current.payment ? (
            <p data-testid="order-payment">
              {t("order.cardEnding", { last4: current.payment.cardLast4 })} ·{" "}
              <Money amount={current.payment.amount} currency={current.currency} /> ·{" "}
              {t(`order.paymentStatus.${current.payment.status}`, {
                defaultValue: current.payment.status,
              })}
              {current.payment.status === "partially_refunded" && current.payment.refundedAmount ? (
                <span data-testid="refunded-amount">
                  {" · "}
                  <Trans
                    i18nKey="order.refundedAmount"
                    components={{
                      money: (
                        <Money
                          amount={current.payment.refundedAmount}
                          currency={current.currency}
                        />
                      ),
                    }}
                  />
                </span>
              ) : null}
              <br />
              <span className="muted small">
                {t("order.transaction", { id: current.payment.transactionId })}
              </span>
            </p>
          ) : (
            <p className="muted">{t("order.notPaid")}</p>
          )}
        </section>
      </div>

      <BuyerAfterSale order={current} onChanged={order.setData} />

      {cancellable ? (
        <section className="danger-zone">
          <ErrorAlert error={actionError} />
          {confirming ? (
            <div className="confirm" role="group" aria-label={t("order.confirmCancel")}>
              <p>{current.status === "paid" ? t("order.askRefund") : t("order.askCancel")}</p>
              <button
                type="button"
                className="button danger"
                onClick={cancel}
                disabled={busy !== null}
                data-testid="confirm-cancel"
              >
                {busy === "cancel" ? t("order.cancelling") : t("order.yesCancel")}
              </button>
              <button
                type="button"
                className="button ghost"
                onClick={() => setConfirming(false)}
                disabled={busy !== null}
              >
                {t("order.keep")}
              </button>
            </div>
          ) : (
            <button
              type="button"
              className="button ghost danger-text"
              onClick={() => setConfirming(true)}
              data-testid="cancel-order"
            >
              {current.status === "paid" ? t("order.cancelRefund") : t("order.cancel")}
            </button>
          )}
        </section>
      ) : null}
    </article>
  );
}
