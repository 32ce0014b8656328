/**
 * After delivery (issue 17): the buyer confirms receipt and asks for a return (reason and, if not
 * every unit, the quantities); the return's status; the merchant's or admin's decision.
 */
import { useTranslation } from "react-i18next";
import { useState, type FormEvent } from "react";
import { orders } from "../api/shop.ts";
import type { Order } from "../api/types.ts";
import { ErrorAlert } from "./Feedback.tsx";

/** The return request's status and decision, when the order has one. */
export function ReturnStatus({ order }: { order: Pick<Order, "returnRequest"> }) {
  const { t } = useTranslation();
  const r = order.returnRequest;
  if (!r) return null;
  return (
    <p className="muted" data-testid="return-status" data-return-status={r.status}>
      {t(`afterSale.status.${r.status}`)} · {t("afterSale.reasonShown", { reason: r.reason })}
      {r.decisionReason ? ` · ${t("afterSale.decisionShown", { reason: r.decisionReason })}` : ""}
    </p>
  );
}

/** The buyer's actions on a shipped or completed order. */
export function BuyerAfterSale({
  order,
  onChanged,
}: {
  order: Order;
  onChanged: (o: Order) => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const [quantities, setQuantities] = useState<Record<string, number>>(() =>
    Object.fromEntries(order.items.map((i) => [i.productId, i.quantity])),
  );
  const shipped = order.status === "shipped";
  const returnable = shipped || order.status === "completed";
  if (!returnable) {
    // A return asked for, approved or refused: its status in the same panel as the request was.
    if (!order.returnRequest) return null;
    return (
      <section className="panel" aria-labelledby="after-sale-title" data-testid="after-sale">
        <h2 id="after-sale-title">{t("afterSale.title")}</h2>
        <ReturnStatus order={order} />
      </section>
    );
  }

  const run = async (action: () => Promise<Order>) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await action());
      setAsking(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const items = order.items
      .map((i) => ({ productId: i.productId, quantity: quantities[i.productId] ?? 0 }))
      .filter((i) => i.quantity > 0);
    const all = order.items.every((i) => quantities[i.productId] === i.quantity);
    void run(() =>
      orders.requestReturn(order.id, { reason: reason.trim(), ...(all ? {} : { items }) }),
    );
  };

  return (
    <section className="panel" aria-labelledby="after-sale-title" data-testid="after-sale">
      <h2 id="after-sale-title">{t("afterSale.title")}</h2>
      <ReturnStatus order={order} />
      <ErrorAlert error={error} />
      {shipped ? (
        <button
          type="button"
          className="button primary"
          disabled={busy}
          onClick={() => void run(() => orders.receive(order.id))}
          data-testid="confirm-receipt"
        >
          {t("afterSale.confirmReceipt")}
        </button>
      ) : null}{" "}
      {asking ? (
        <form onSubmit={submit} data-testid="return-form">
          <label>
            {t("afterSale.reason")}
            <textarea
              required
              maxLength={500}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="return-reason"
            />
          </label>
          {order.items.map((i) => (
            <label key={i.productId}>
              {i.name}
              <input
                type="number"
                min={0}
                max={i.quantity}
                value={quantities[i.productId] ?? 0}
                onChange={(e) =>
                  setQuantities({
                    ...quantities,
                    [i.productId]: Math.max(0, Math.min(i.quantity, Number(e.target.value) || 0)),
                  })
                }
              />
            </label>
          ))}
          <button
            type="submit"
            className="button"
            disabled={busy || reason.trim() === ""}
            data-testid="submit-return"
          >
            {t("afterSale.submit")}
          </button>
        </form>
      ) : (
        <button
          type="button"
          className="button ghost"
          onClick={() => setAsking(true)}
          data-testid="request-return"
        >
          {t("afterSale.requestReturn")}
        </button>
      )}
    </section>
  );
}

/** Approve or reject a requested return (merchant of every line, or admin). */
export function ReturnDecision({
  order,
  onChanged,
}: {
  order: Pick<Order, "id" | "status" | "returnRequest">;
  onChanged: (o: Order) => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (order.status !== "return_requested") return null;
  const decide = async (approve: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const trimmed = reason.trim();
      onChanged(
        await orders.decideReturn(order.id, { approve, ...(trimmed ? { reason: trimmed } : {}) }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="return-decision">
      <ReturnStatus order={order} />
      <input
        aria-label={t("afterSale.decisionReason")}
        placeholder={t("afterSale.decisionReason")}
        maxLength={500}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <button
        type="button"
        className="button small primary"
        disabled={busy}
        onClick={() => void decide(true)}
        data-testid="approve-return"
      >
        {t("afterSale.approve")}
      </button>
      <button
        type="button"
        className="button small ghost"
        disabled={busy || reason.trim() === ""}
        onClick={() => void decide(false)}
        data-testid="reject-return"
      >
        {t("afterSale.reject")}
      </button>
      <ErrorAlert error={error} />
    </div>
  );
}
