/**
 * Ship an order: a modal <dialog> asking for the carrier and tracking number. Focus starts on the
 * carrier, Escape or "Cancel" closes it, and the API's refusals (409: not paid, other sellers'
 * products) are shown in it.
 */
import { useTranslation } from "react-i18next";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { merchant } from "../../api/shop.ts";
import type { MerchantOrder } from "../../api/types.ts";
import { ErrorAlert } from "../../components/Feedback.tsx";
import { Field } from "../../components/Field.tsx";
import { explain } from "../../lib/messages.ts";
import { shortId } from "../OrderDetail.tsx";

export function ShipDialog({
  order,
  onClose,
}: {
  order: MerchantOrder;
  /** Called with the shipped order, or null when cancelled. */
  onClose: (shipped: MerchantOrder | null) => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [carrier, setCarrier] = useState("");
  const [trackingNumber, setTrackingNumber] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    if (typeof dialog.showModal === "function" && !dialog.open) dialog.showModal();
    else dialog.setAttribute("open", "");
    dialog.querySelector<HTMLInputElement>("input")?.focus();
    return () => opener?.focus?.();
  }, []);

  const close = (shipped: MerchantOrder | null) => {
    ref.current?.close?.();
    onClose(shipped);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!carrier.trim() || !trackingNumber.trim()) return;
    setBusy(true);
    setError(null);
    try {
      close(
        await merchant.ship(order.id, {
          carrier: carrier.trim(),
          trackingNumber: trackingNumber.trim(),
        }),
      );
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const fields = explain(error).fields;
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      data-testid="ship-dialog"
      onCancel={(e) => {
        e.preventDefault();
        close(null);
      }}
    >
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>{t("merchantOrders.shipTitle", { id: shortId(order.id) })}</h2>
        <Field
          label={t("merchantOrders.carrier")}
          value={carrier}
          onChange={(e) => setCarrier(e.target.value)}
          required
          maxLength={60}
          error={fields.carrier}
          testId="ship-carrier"
        />
        <Field
          label={t("merchantOrders.trackingNumber")}
          value={trackingNumber}
          onChange={(e) => setTrackingNumber(e.target.value)}
          required
          maxLength={60}
          error={fields.trackingNumber}
          testId="ship-tracking"
        />
        {error ? <ErrorAlert error={error} /> : null}
        <div className="confirm-actions">
          <button type="button" className="button ghost" onClick={() => close(null)}>
            {t("confirm.cancel")}
          </button>
          <button
            type="submit"
            className="button primary"
            disabled={busy || !carrier.trim() || !trackingNumber.trim()}
            data-testid="ship-submit"
          >
            {t("merchantOrders.ship")}
          </button>
        </div>
      </form>
    </dialog>
  );
}
