/** One order: status, items, address, payment; pay it while pending; cancel it. */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useLocation, useParams } from "react-router";
import { ApiError } from "../api/errors.ts";
import { orders } from "../api/shop.ts";
import type { Order } from "../api/types.ts";
import { CardForm, EMPTY_CARD } from "../components/CardForm.tsx";
import { EmptyState, ErrorAlert, Notice, Spinner } from "../components/Feedback.tsx";
import { Money } from "../components/Money.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { toCard, validateCard, type CardFields } from "../lib/cards.ts";
import { IdempotentAttempt } from "../lib/idempotency.ts";
import { explain } from "../lib/messages.ts";
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

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
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
  const { id = "" } = useParams();
  const location = useLocation();
  const arrival = (location.state ?? {}) as ArrivalState;
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
    arrival.justPaid
      ? "Payment received. Thank you for your order!"
      : arrival.placed
        ? "Order placed. Pay it before the time runs out."
        : null,
  );
  const [busy, setBusy] = useState<"pay" | "cancel" | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const payAttempt = useRef(new IdempotentAttempt());
  useTitle(order.data ? `Order ${shortId(order.data.id)}` : "Order");

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

  if (order.loading && !o) return <Spinner label="Loading order…" />;
  if (order.error && !o) {
    if (order.error instanceof ApiError && order.error.status === 404) {
      return (
        <EmptyState title="Order not found" icon="🧾" testId="not-found">
          <p>
            <Link to="/orders">See your orders</Link>
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
      setNotice("Payment received. Thank you for your order!");
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
      setNotice(
        next.status === "refunded"
          ? "Order cancelled. Your payment has been refunded."
          : "Order cancelled.",
      );
      void refreshCart();
    } catch (failure) {
      setActionError(failure);
      order.reload();
    } finally {
      setBusy(null);
    }
  };

  const cancellable = current.status === "pending" || current.status === "paid";

  return (
    <article className="order-page" data-testid="order-page" data-order-id={current.id}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/orders">Your orders</Link> <span aria-hidden="true">/</span>{" "}
        {shortId(current.id)}
      </nav>
      <header className="order-head">
        <div>
          <h1>Order {shortId(current.id)}</h1>
          <p className="muted">Placed {formatDate(current.createdAt)}</p>
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
          <h2 id="pay-title">Pay for this order</h2>
          {secondsLeft !== null ? (
            expired ? (
              <p className="alert warning" role="status">
                The time to pay is up: this order is being cancelled and its items go back to stock.
              </p>
            ) : (
              <p className="muted">
                Items are reserved for you for another <Countdown seconds={secondsLeft} />.
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
              {busy === "pay" ? (
                "Paying…"
              ) : (
                <>
                  Pay <Money amount={current.total} currency={current.currency} />
                </>
              )}
            </button>
          </form>
        </section>
      ) : payError ? (
        <ErrorAlert error={payError} testId="pay-error" />
      ) : null}

      <div className="order-grid">
        <section className="panel" aria-labelledby="items-title">
          <h2 id="items-title">Items</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col" className="num">
                  Qty
                </th>
                <th scope="col" className="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {(current.items ?? []).map((item) => (
                <tr key={item.productId} data-testid="order-item">
                  <td>
                    <Link to={`/products/${encodeURIComponent(item.productId)}`}>{item.name}</Link>
                  </td>
                  <td className="num">
                    <Money amount={item.price} currency={current.currency} />
                  </td>
                  <td className="num">{item.quantity}</td>
                  <td className="num">
                    <Money amount={item.lineTotal} currency={current.currency} />
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  Total
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

        <section className="panel" aria-labelledby="delivery-title">
          <h2 id="delivery-title">Delivery</h2>
          <address className="address">
            {current.address?.name}
            <br />
            {current.address?.line1}
            <br />
            {current.address?.city} {current.address?.postalCode} {current.address?.country}
            <br />
            {current.address?.phone}
          </address>
          {current.email ? <p className="muted">Receipt to {current.email}</p> : null}
          <h2>Payment</h2>
          {current.payment ? (
            <p data-testid="order-payment">
              Card ending {current.payment.cardLast4} ·{" "}
              <Money amount={current.payment.amount} currency={current.currency} /> ·{" "}
              {current.payment.status}
              <br />
              <span className="muted small">Transaction {current.payment.transactionId}</span>
            </p>
          ) : (
            <p className="muted">Not paid yet.</p>
          )}
        </section>
      </div>

      {cancellable ? (
        <section className="danger-zone">
          <ErrorAlert error={actionError} />
          {confirming ? (
            <div className="confirm" role="group" aria-label="Confirm cancellation">
              <p>
                {current.status === "paid"
                  ? "Cancel this order and refund the payment?"
                  : "Cancel this order? Its items go back to stock."}
              </p>
              <button
                type="button"
                className="button danger"
                onClick={cancel}
                disabled={busy !== null}
                data-testid="confirm-cancel"
              >
                {busy === "cancel" ? "Cancelling…" : "Yes, cancel it"}
              </button>
              <button
                type="button"
                className="button ghost"
                onClick={() => setConfirming(false)}
                disabled={busy !== null}
              >
                Keep the order
              </button>
            </div>
          ) : (
            <button
              type="button"
              className="button ghost danger-text"
              onClick={() => setConfirming(true)}
              data-testid="cancel-order"
            >
              {current.status === "paid" ? "Cancel and refund" : "Cancel order"}
            </button>
          )}
        </section>
      ) : null}
    </article>
  );
}
