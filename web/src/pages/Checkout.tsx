/**
 * Checkout in two calls: POST /checkout turns the cart into a pending order, then
 * POST /orders/:id/pay charges the card. A refused card leaves a pending order the shopper can pay
 * from its page, which is where we go with the reason.
 */
import { useRef, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError } from "../api/errors.ts";
import { cart as cartApi, orders } from "../api/shop.ts";
import type { Address, Order } from "../api/types.ts";
import { CardForm, EMPTY_CARD } from "../components/CardForm.tsx";
import { EmptyState, ErrorAlert, Spinner } from "../components/Feedback.tsx";
import { Field } from "../components/Field.tsx";
import { Money } from "../components/Money.tsx";
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
  line1: "",
  city: "",
  country: "CN",
  postalCode: "",
};
const REQUIRED: (keyof Address)[] = ["name", "phone", "line1", "city", "country"];

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
  return { status: 0, type: "UNKNOWN", message: "Payment failed" };
}

export function validateAddress(a: Address): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const key of REQUIRED) {
    if (!String(a[key] ?? "").trim()) errors[`address.${key}`] = "Required.";
  }
  if (a.phone.trim() && !/^[+\d][\d\s-]{5,}$/.test(a.phone.trim())) {
    errors["address.phone"] = "Enter a phone number.";
  }
  return errors;
}

export function Checkout() {
  useTitle("Checkout");
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

  const setAddr = (key: keyof Address) => (e: { target: { value: string } }) =>
    setAddress((a) => ({ ...a, [key]: e.target.value }));
  const err = (key: keyof Address) => fieldErrors[`address.${key}`] ?? fieldErrors[key];

  const placeOrder = async (): Promise<Order> => {
    if (placed.current) return placed.current;
    const body = {
      address: { ...address, postalCode: address.postalCode?.trim() || undefined },
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

  if (cart.loading) return <Spinner label="Loading your cart…" />;
  if (cart.error && !placed.current) return <ErrorAlert error={cart.error} onRetry={cart.reload} />;
  const c = cart.data;
  if (!placed.current && (!c || c.items.length === 0)) {
    return (
      <EmptyState title="Your cart is empty" icon="🛒" testId="cart-empty">
        <p>There is nothing to check out yet.</p>
        <Link to="/search" className="button primary">
          Start shopping
        </Link>
      </EmptyState>
    );
  }

  return (
    <div className="checkout-page">
      <h1>Checkout</h1>
      <form
        className="checkout-layout"
        onSubmit={(e) => submit(e, true)}
        noValidate
        data-testid="checkout-form"
      >
        <div className="checkout-main">
          <fieldset disabled={!!busy}>
            <legend>Delivery address</legend>
            <Field
              label="Full name"
              autoComplete="name"
              value={address.name}
              onChange={setAddr("name")}
              error={err("name")}
              testId="address-name"
              required
            />
            <Field
              label="Phone"
              type="tel"
              autoComplete="tel"
              value={address.phone}
              onChange={setAddr("phone")}
              error={err("phone")}
              testId="address-phone"
              required
            />
            <Field
              label="Address"
              autoComplete="address-line1"
              value={address.line1}
              onChange={setAddr("line1")}
              error={err("line1")}
              testId="address-line1"
              required
            />
            <div className="field-row">
              <Field
                label="City"
                autoComplete="address-level2"
                value={address.city}
                onChange={setAddr("city")}
                error={err("city")}
                testId="address-city"
                required
              />
              <Field
                label="Postal code (optional)"
                autoComplete="postal-code"
                value={address.postalCode ?? ""}
                onChange={setAddr("postalCode")}
                error={err("postalCode")}
                testId="address-postal-code"
              />
            </div>
            <Field
              label="Country"
              autoComplete="country"
              value={address.country}
              onChange={setAddr("country")}
              error={err("country")}
              testId="address-country"
              required
            />
            <Field
              label="Email for the receipt"
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
        <aside className="summary" aria-label="Order summary">
          <h2>Your order</h2>
          {c ? (
            <>
              <ul className="summary-lines">
                {c.items.map((l) => (
                  <li key={l.productId}>
                    <span>
                      {l.quantity} × {l.product.name}
                    </span>
                    <Money amount={l.lineTotal} currency={c.currency} />
                  </li>
                ))}
              </ul>
              <dl>
                <div className="total">
                  <dt>Total</dt>
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
              ? "Placing order…"
              : busy === "pay"
                ? "Paying…"
                : "Place order and pay"}
          </button>
          <button
            type="button"
            className="button ghost block"
            disabled={!!busy}
            onClick={(e) => submit(e, false)}
            data-testid="pay-later"
          >
            Place order, pay later
          </button>
          <p className="muted small">
            Your items are reserved for a while after you place the order; unpaid orders are
            cancelled when the time runs out.
          </p>
        </aside>
      </form>
    </div>
  );
}
