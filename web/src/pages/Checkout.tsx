/**
 * Checkout in two calls: POST /checkout turns the cart into a pending order, then
 * POST /orders/:id/pay charges the card. A refused card leaves a pending order the shopper can pay
 * from its page, which is where we go with the reason.
 */
import { useTranslation } from "react-i18next";
import { useRef, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError } from "../api/errors.ts";
import { account, cart as cartApi, orders } from "../api/shop.ts";
import type { Address, Order, SavedAddress } from "../api/types.ts";
import { AddressFields } from "../components/AddressFields.tsx";
import { AddressLines } from "../components/AddressLines.tsx";
import { CardForm, EMPTY_CARD } from "../components/CardForm.tsx";
import { EmptyState, ErrorAlert, Spinner } from "../components/Feedback.tsx";
import { Field } from "../components/Field.tsx";
import { Money } from "../components/Money.tsx";
import { i18n } from "../i18n/index.ts";
import { toCard, validateCard, type CardFields } from "../lib/cards.ts";
import { IdempotentAttempt } from "../lib/idempotency.ts";
import { explain } from "../lib/messages.ts";
import { useLoad } from "../lib/useLoad.ts";
import { useTitle } from "../lib/useTitle.ts";
import { useAuth } from "../state/auth.tsx";
import { useCart } from "../state/cart.tsx";

/** A new address form: empty, in mainland China. */
export const EMPTY_ADDRESS: Address = {
  name: "",
  phone: "",
  province: "",
  city: "",
  district: "",
  line1: "",
  postalCode: "",
  country: "CN",
};
const REQUIRED: (keyof Address)[] = ["name", "phone", "line1", "city", "country"];
/** A mainland mobile number as API.md's "Address" takes it: 1[3-9] and nine digits, +86 optional. */
const CN_MOBILE = /^(?:\+?86)?1[3-9]\d{9}$/;

export interface PayErrorState {
  status: number;
  type: string;
  message: string;
  data?: unknown;
  retryAfter?: number;
}

export function toPayErrorState(err: unknown): PayErrorState {
  if (err instanceof ApiError) {
    return {
      status: err.status,
      type: err.type,
      message: err.message,
      data: err.data,
      retryAfter: err.retryAfter,
    };
  }
  return { status: 0, type: "UNKNOWN", message: i18n.t("checkout.paymentFailed") };
}

/** The same rules as the server's (lib/orders/address.ts), so most mistakes never travel. */
export function validateAddress(a: Address): Record<string, string> {
  const errors: Record<string, string> = {};
  const chinese = a.country.trim().toUpperCase() === "CN";
  const required: (keyof Address)[] = chinese ? [...REQUIRED, "province", "district"] : REQUIRED;
  for (const key of required) {
    if (!String(a[key] ?? "").trim()) {
      errors[`address.${key}`] = ["province", "city", "district"].includes(key)
        ? i18n.t("checkout.choose")
        : i18n.t("checkout.required");
    }
  }
  const phone = a.phone.replace(/[\s.-]/g, "");
  if (phone && chinese && !CN_MOBILE.test(phone)) {
    errors["address.phone"] = i18n.t("checkout.badMobile");
  } else if (phone && !chinese && !/^\+?[\d()]{5,}$/.test(phone)) {
    errors["address.phone"] = i18n.t("checkout.badPhone");
  }
  if (a.country.trim() && !/^[A-Za-z]{2}$/.test(a.country.trim())) {
    errors["address.country"] = i18n.t("checkout.badCountry");
  }
  return errors;
}

/** What is sent: empty optional parts left out, the older shape outside China. */
export function addressToSend(a: Address): Address {
  const country = a.country.trim().toUpperCase();
  const out: Address = {
    name: a.name.trim(),
    phone: a.phone.trim(),
    city: a.city.trim(),
    line1: a.line1.trim(),
    country,
  };
  if (country === "CN") {
    out.province = a.province?.trim() ?? "";
    if (a.district?.trim()) out.district = a.district.trim();
  }
  if (a.postalCode?.trim()) out.postalCode = a.postalCode.trim();
  return out;
}

/** The saved addresses to deliver to, and "a new address" (nothing when the book is empty). */
function SavedAddressChoice({
  book,
  choice,
  onChoose,
}: {
  book: SavedAddress[];
  choice: string | null;
  onChoose: (choice: string) => void;
}) {
  const { t } = useTranslation();
  if (book.length === 0) return null;
  return (
    <div className="saved-addresses" role="radiogroup" aria-label={t("checkout.savedAddresses")}>
      {book.map((a) => (
        <label key={a.id} className="saved-address" data-testid="saved-address">
          <input
            type="radio"
            name="saved-address"
            value={a.id}
            checked={choice === a.id}
            onChange={() => onChoose(a.id)}
          />
          <AddressLines address={a} />
          {a.isDefault ? <span className="badge">{t("account.default")}</span> : null}
        </label>
      ))}
      <label className="saved-address">
        <input
          type="radio"
          name="saved-address"
          value="new"
          checked={choice === "new"}
          onChange={() => onChoose("new")}
          data-testid="new-address"
        />
        {t("checkout.newAddress")}
      </label>
    </div>
  );
}

export function Checkout() {
  const { t } = useTranslation();
  useTitle(t("checkout.title"));
  const { user } = useAuth();
  const sharedCart = useCart();
  const navigate = useNavigate();
  const cart = useLoad((signal) => cartApi.get(signal), []);
  const [address, setAddress] = useState<Address>(() => ({
    ...EMPTY_ADDRESS,
    name: user?.name ?? "",
  }));
  const [email, setEmail] = useState(user?.email ?? "");
  const [card, setCard] = useState<CardFields>(EMPTY_CARD);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<"order" | "pay" | null>(null);
  const checkoutAttempt = useRef(new IdempotentAttempt());
  const payAttempt = useRef(new IdempotentAttempt());
  const placed = useRef<Order | null>(null);
  /** Set by "pay later" (a submit button too, so that its click is a submit for the fields). */
  const later = useRef(false);

  /** A field's message goes once the shopper changes it; the next submit checks again. */
  const clearErrors = (...keys: (keyof Address)[]) =>
    setFieldErrors((errors) => {
      const next = { ...errors };
      for (const key of keys) delete next[`address.${key}`];
      return next;
    });
  const err = (key: keyof Address) => fieldErrors[`address.${key}`] ?? fieldErrors[key];
  // The address book: its default is preselected; without one, a new address is typed.
  const book = useLoad((signal) => account.addresses(signal).catch(() => []), []);
  const savedAddresses = book.data ?? [];
  const [chosen, setChoice] = useState<string | null>(null);
  const choice = chosen ?? (book.loading ? null : (savedAddresses[0]?.id ?? "new"));
  const [saveAddress, setSaveAddress] = useState(true);

  const placeOrder = async (): Promise<Order> => {
    if (placed.current) return placed.current;
    const body = {
      ...(choice === "new" ? { address: addressToSend(address), saveAddress } : {}),
      ...(choice !== "new" && choice !== null ? { addressId: choice } : {}),
      ...(email.trim() ? { email: email.trim() } : {}),
    };
    const order = await checkoutAttempt.current.run(body, (key) => orders.checkout(body, key));
    placed.current = order;
    void sharedCart.refresh();
    return order;
  };

  const submit = async (e: FormEvent, pay: boolean) => {
    e.preventDefault();
    if (choice === null) return; // the address book is still loading
    const problems = {
      ...(choice === "new" ? validateAddress(address) : {}),
      ...(pay ? validateCard(card) : {}),
    };
    setFieldErrors(problems);
    setError(null);
    if (Object.keys(problems).length) return;
    let order: Order;
    try {
      setBusy("order");
      order = await placeOrder();
    } catch (failure) {
      setError(failure);
      setFieldErrors(explain(failure).fields);
      setBusy(null);
      return;
    }
    if (!pay) {
      navigate(`/orders/${encodeURIComponent(order.id)}`, { state: { placed: true } });
      return;
    }
    try {
      setBusy("pay");
      const body = { card: toCard(card) };
      const paid = await payAttempt.current.run(body, (key) =>
        orders.pay(order.id, body.card, key),
      );
      navigate(`/orders/${encodeURIComponent(paid.id)}`, { state: { justPaid: true } });
    } catch (failure) {
      const fields = explain(failure).fields;
      if (Object.keys(fields).length) {
        // The card itself was refused as input: fix it here, the order already exists.
        setFieldErrors(fields);
        setError(failure);
        setBusy(null);
        return;
      }
      navigate(`/orders/${encodeURIComponent(order.id)}`, {
        state: { payError: toPayErrorState(failure) },
      });
    }
  };

  if (cart.loading) return <Spinner label={t("cart.loading")} />;
  if (cart.error && !placed.current) return <ErrorAlert error={cart.error} onRetry={cart.reload} />;
  const c = cart.data;
  if (!placed.current && (!c || c.items.length === 0)) {
    return (
      <EmptyState title={t("cart.emptyTitle")} icon="🛒" testId="cart-empty">
        <p>{t("checkout.nothing")}</p>
        <Link to="/search" className="button primary">
          {t("cart.startShopping")}
        </Link>
      </EmptyState>
    );
  }

  return (
    <div className="checkout-page">
      <h1>{t("checkout.title")}</h1>
      <form
        className="checkout-layout"
        onSubmit={(e) => {
          const pay = !later.current;
          later.current = false;
          void submit(e, pay);
        }}
        noValidate
        data-testid="checkout-form"
      >
        <div className="checkout-main">
          <fieldset disabled={!!busy}>
            <legend>{t("checkout.address")}</legend>
            <SavedAddressChoice
              book={savedAddresses}
              choice={choice}
              onChoose={(next) => {
                setChoice(next);
                setFieldErrors({});
              }}
            />
            {choice === "new" ? (
              <>
                <AddressFields
                  value={address}
                  onChange={setAddress}
                  errorOf={err}
                  onEdited={clearErrors}
                />
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={saveAddress}
                    onChange={(e) => setSaveAddress(e.target.checked)}
                    data-testid="save-address"
                  />{" "}
                  {t("checkout.saveAddress")}
                </label>
              </>
            ) : null}
            <Field
              label={t("checkout.email")}
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={fieldErrors.email}
              testId="checkout-email"
            />
          </fieldset>
          <CardForm value={card} onChange={setCard} errors={fieldErrors} disabled={!!busy} />
        </div>
        <aside className="summary" aria-label={t("cart.summaryLabel")}>
          <h2>{t("checkout.yourOrder")}</h2>
          {c ? (
            <>
              <ul className="summary-lines">
                {c.items.map((l) => (
                  <li key={l.productId}>
                    <span>{t("checkout.line", { count: l.quantity, name: l.product.name })}</span>
                    <Money amount={l.lineTotal} currency={c.currency} />
                  </li>
                ))}
              </ul>
              <dl>
                <div className="total">
                  <dt>{t("checkout.total")}</dt>
                  <dd>
                    <Money amount={c.subtotal} currency={c.currency} testId="checkout-total" />
                  </dd>
                </div>
              </dl>
            </>
          ) : null}
          <ErrorAlert error={error} testId="checkout-error" />
          <button
            type="submit"
            className="button primary large block"
            disabled={!!busy}
            data-testid="pay-button"
          >
            {busy === "order"
              ? t("checkout.placing")
              : busy === "pay"
                ? t("checkout.paying")
                : t("checkout.placeAndPay")}
          </button>
          <button
            type="submit"
            className="button ghost block"
            disabled={!!busy}
            onClick={() => (later.current = true)}
            data-testid="pay-later"
          >
            {t("checkout.payLater")}
          </button>
          <p className="muted small">{t("checkout.reservedNote")}</p>
        </aside>
      </form>
    </div>
  );
}
