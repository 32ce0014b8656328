/**
 * The address book of My account: add, edit, remove, make the default (one per user, at most
 * MAX_ADDRESSES); the same fields and checks as the checkout's address.
 */
import { useTranslation } from "react-i18next";
import { useState, type FormEvent } from "react";
import { account } from "../../api/shop.ts";
import type { Address, SavedAddress } from "../../api/types.ts";
import { AddressFields } from "../../components/AddressFields.tsx";
import { AddressLines } from "../../components/AddressLines.tsx";
import { ErrorAlert, Spinner } from "../../components/Feedback.tsx";
import { explain } from "../../lib/messages.ts";
import { useLoad } from "../../lib/useLoad.ts";
import { addressToSend, EMPTY_ADDRESS, validateAddress } from "../Checkout.tsx";

/** The most addresses a book holds (API.md). */
export const MAX_ADDRESSES = 20;

/** What the address form edits: a new entry, or an existing one. */
type Editing = { id: null } | { id: string };

export function AddressBook() {
  const { t } = useTranslation();
  const book = useLoad((signal) => account.addresses(signal), []);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [error, setError] = useState<unknown>(null);
  const entries = book.data ?? [];

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      book.reload();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <section className="panel" aria-labelledby="account-addresses">
      <h2 id="account-addresses">{t("account.addresses")}</h2>
      {book.loading && !book.data ? <Spinner /> : null}
      <ErrorAlert error={book.error} onRetry={book.reload} />
      <ErrorAlert error={error} />
      {book.data && entries.length === 0 ? (
        <p className="muted" data-testid="no-addresses">
          {t("account.noAddresses")}
        </p>
      ) : null}
      <ul className="address-book">
        {entries.map((a) => (
          <li key={a.id} data-testid="address-entry">
            {editing?.id === a.id ? (
              <AddressForm
                initial={a}
                onDone={() => {
                  setEditing(null);
                  book.reload();
                }}
                onCancel={() => setEditing(null)}
                save={(address) => account.updateAddress(a.id, address)}
              />
            ) : (
              <>
                <AddressLines address={a} />
                {a.isDefault ? (
                  <span className="badge" data-testid="default-address">
                    {t("account.default")}
                  </span>
                ) : null}
                <div className="actions">
                  <button
                    type="button"
                    className="button small ghost"
                    onClick={() => setEditing({ id: a.id })}
                  >
                    {t("account.edit")}
                  </button>
                  {a.isDefault ? null : (
                    <button
                      type="button"
                      className="button small ghost"
                      onClick={() => act(() => account.updateAddress(a.id, { isDefault: true }))}
                      data-testid="make-default"
                    >
                      {t("account.makeDefault")}
                    </button>
                  )}
                  <button
                    type="button"
                    className="button small ghost danger"
                    onClick={() => act(() => account.removeAddress(a.id))}
                    data-testid="remove-address"
                  >
                    {t("account.remove")}
                  </button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      {editing?.id === null ? (
        <AddressForm
          initial={null}
          onDone={() => {
            setEditing(null);
            book.reload();
          }}
          onCancel={() => setEditing(null)}
          save={(address, isDefault) => account.addAddress({ ...address, isDefault })}
        />
      ) : book.data && entries.length < MAX_ADDRESSES ? (
        <button
          type="button"
          className="button"
          onClick={() => setEditing({ id: null })}
          data-testid="add-address"
        >
          {t("account.addAddress")}
        </button>
      ) : book.data ? (
        <p className="muted">{t("account.bookFull", { count: MAX_ADDRESSES })}</p>
      ) : null}
    </section>
  );
}

function AddressForm({
  initial,
  save,
  onDone,
  onCancel,
}: {
  initial: SavedAddress | null;
  save: (address: Address, isDefault: boolean) => Promise<unknown>;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [address, setAddress] = useState<Address>(() =>
    initial ? { ...EMPTY_ADDRESS, ...stripIds(initial) } : EMPTY_ADDRESS,
  );
  const [isDefault, setIsDefault] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errorOf = (key: keyof Address) => errors[`address.${key}`] ?? errors[key];
  const clear = (...keys: (keyof Address)[]) =>
    setErrors((all) => {
      const next = { ...all };
      for (const key of keys) {
        delete next[`address.${key}`];
        delete next[key];
      }
      return next;
    });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const problems = validateAddress(address);
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const body = addressToSend(address);
      // Parts left empty in an edit are removed (sent empty), not kept.
      if (initial && !body.postalCode) body.postalCode = "";
      if (initial && body.country === "CN" && !body.district) body.district = "";
      if (initial && body.country !== "CN") Object.assign(body, { province: "", district: "" });
      await save(body, isDefault);
      onDone();
    } catch (failure) {
      setError(failure);
      setErrors(explain(failure).fields);
      setBusy(false);
    }
  };
  return (
    <form className="address-form" onSubmit={submit} noValidate data-testid="address-form">
      <fieldset disabled={busy}>
        <legend>{initial ? t("account.editAddress") : t("account.addAddress")}</legend>
        <AddressFields
          value={address}
          onChange={setAddress}
          errorOf={errorOf}
          onEdited={clear}
          idPrefix="book"
        />
        {initial?.isDefault ? null : (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={isDefault}
              onChange={(e) => setIsDefault(e.target.checked)}
              data-testid="address-default"
            />{" "}
            {t("account.useAsDefault")}
          </label>
        )}
        <ErrorAlert error={error} />
        <div className="actions">
          <button type="submit" className="button primary" data-testid="save-address">
            {t("account.save")}
          </button>
          <button type="button" className="button ghost" onClick={onCancel}>
            {t("account.cancel")}
          </button>
        </div>
      </fieldset>
    </form>
  );
}

function stripIds(entry: SavedAddress): Address {
  const { id: _id, isDefault: _default, ...address } = entry;
  return address;
}
