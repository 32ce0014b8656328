/**
 * Checkout in two calls: POST /checkout turns the cart into a pending order, then
 * POST /orders/:id/pay charges the card. A refused card leaves a pending order the shopper can pay
 * from its page, which is where we go with the reason.
 */
import { useTranslation } from "react-i18next";
import { useRef, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError } from "../api/errors.ts";
import { cart as cartApi, orders } from "../api/shop.ts";
import type { Address, Order } from "../api/types.ts";
import { CardForm, EMPTY_CARD } from "../components/CardForm.tsx";
import { EmptyState, ErrorAlert, Spinner } from "../components/Feedback.tsx";
import { Field } from "../components/Field.tsx";
import { Money } from "../components/Money.tsx";
import { RegionPicker } from "../components/RegionPicker.tsx";
import { i18n } from "../i18n/index.ts";
import { toCard, validateCard, type CardFields } from "../lib/cards.ts";
import { IdempotentAttempt } from "../lib/idempotency.ts";
import { explain } from "../lib/messages.ts";
import { useLoad } from "../lib/useLoad.ts";
import { useTitle } from "../lib/useTitle.ts";
import { useAuth } from "../state/auth.tsx";
import { useCart } from "../state/cart.tsx";

const EMPTY_ADDRESS: Address = {
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

function isChina(country: string): boolean {
  return country.trim().toUpperCase() === "CN";
}

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
  const setAddr = (key: keyof Address) => (e: { target: { value: string } }) => {
    setAddress((a) => ({ ...a, [key]: e.target.value }));
    clearErrors(key);
  };
  const err = (key: keyof Address) => fieldErrors[`address.${key}`] ?? fieldErrors[key];
  const chinese = isChina(address.country);

  const placeOrder = async (): Promise<Order> => {
    if (placed.current) return placed.current;
    const body = {
      address: addressToSend(address),
      ...(email.trim() ? { email: email.trim() } : {}),
    };
    const order = await checkoutAttempt.current.run(body, (key) => orders.checkout(body, key));
    placed.current = order;
    void sharedCart.refresh();
    return order;
  };

  const submit = async (e: FormEvent, pay: boolean) => {
    e.preventDefault();
    const problems = { ...validateAddress(address), ...(pay ? validateCard(card) : {}) };
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
            <Field
              label={t("checkout.name")}
              autoComplete="name"
              value={address.name}
              onChange={setAddr("name")}
              error={err("name")}
              testId="address-name"
              required
            />
            <Field
              label={chinese ? t("checkout.mobile") : t("checkout.phone")}
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              value={address.phone}
              onChange={setAddr("phone")}
              error={err("phone")}
              testId="address-phone"
              hint={chinese ? t("checkout.mobileHint") : undefined}
              required
            />
            {chinese ? (
              <RegionPicker
                value={{
                  province: address.province ?? "",
                  city: address.city,
                  district: address.district ?? "",
                }}
                onChange={(region) => {
                  setAddress((a) => ({ ...a, ...region }));
                  clearErrors("province", "city", "district");
                }}
                errors={{ province: err("province"), city: err("city"), district: err("district") }}
              />
            ) : null}
            <Field
              label={chinese ? t("checkout.detail") : t("checkout.line1")}
              placeholder={chinese ? t("checkout.detailPlaceholder") : undefined}
              autoComplete="address-line1"
              value={address.line1}
              onChange={setAddr("line1")}
              error={err("line1")}
              testId="address-line1"
              required
            />
            <div className="field-row">
              {chinese ? null : (
                <Field
                  label={t("checkout.city")}
                  autoComplete="address-level2"
                  value={address.city}
                  onChange={setAddr("city")}
                  error={err("city")}
                  testId="address-city"
                  required
                />
              )}
              <Field
                label={t("checkout.postalCode")}
                autoComplete="postal-code"
                value={address.postalCode ?? ""}
                onChange={setAddr("postalCode")}
                error={err("postalCode")}
                testId="address-postal-code"
              />
            </div>
            <Field
              label={t("checkout.country")}
              hint={t("checkout.countryHint")}
              autoComplete="country"
              maxLength={2}
              value={address.country}
              onChange={(e) =>
                setAddress((a) => ({
                  ...a,
                  country: e.target.value,
                  // Leaving or entering China: the city is picked there, typed elsewhere.
                  ...(isChina(e.target.value) !== isChina(a.country)
                    ? { province: "", city: "", district: "" }
                    : {}),
                }))
              }
              error={err("country")}
              testId="address-country"
              required
            />
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
