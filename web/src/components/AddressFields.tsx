/**
 * The fields of a delivery address (API.md "Address"): the recipient, a mobile number, the
 * province, city and district from China's division list, the street and the postal code, and
 * the country. Shared by the checkout and the address book of the account page.
 */
import { useTranslation } from "react-i18next";
import type { Address } from "../api/types.ts";
import { Field } from "./Field.tsx";
import { RegionPicker } from "./RegionPicker.tsx";

function isChina(country: string): boolean {
  return country.trim().toUpperCase() === "CN";
}

export function AddressFields({
  value,
  onChange,
  errorOf,
  onEdited,
  idPrefix = "address",
}: {
  value: Address;
  /** The address with some parts changed. */
  onChange: (change: (current: Address) => Address) => void;
  /** The message beside a part, if any. */
  errorOf: (key: keyof Address) => string | undefined;
  /** The parts the shopper just changed (their messages go). */
  onEdited: (...keys: (keyof Address)[]) => void;
  /** The test ids' prefix (`address-name`…). */
  idPrefix?: string;
}) {
  const { t } = useTranslation();
  const chinese = isChina(value.country);
  const set = (key: keyof Address) => (e: { target: { value: string } }) => {
    onChange((a) => ({ ...a, [key]: e.target.value }));
    onEdited(key);
  };
  return (
    <>
      <Field
        label={t("checkout.name")}
        autoComplete="name"
        value={value.name}
        onChange={set("name")}
        error={errorOf("name")}
        testId={`${idPrefix}-name`}
        required
      />
      <Field
        label={chinese ? t("checkout.mobile") : t("checkout.phone")}
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        value={value.phone}
        onChange={set("phone")}
        error={errorOf("phone")}
        testId={`${idPrefix}-phone`}
        hint={chinese ? t("checkout.mobileHint") : undefined}
        required
      />
      {chinese ? (
        <RegionPicker
          value={{
            province: value.province ?? "",
            city: value.city,
            district: value.district ?? "",
          }}
          onChange={(region) => {
            onChange((a) => ({ ...a, ...region }));
            onEdited("province", "city", "district");
          }}
          errors={{
            province: errorOf("province"),
            city: errorOf("city"),
            district: errorOf("district"),
          }}
        />
      ) : null}
      <Field
        label={chinese ? t("checkout.detail") : t("checkout.line1")}
        placeholder={chinese ? t("checkout.detailPlaceholder") : undefined}
        autoComplete="address-line1"
        value={value.line1}
        onChange={set("line1")}
        error={errorOf("line1")}
        testId={`${idPrefix}-line1`}
        required
      />
      <div className="field-row">
        {chinese ? null : (
          <Field
            label={t("checkout.city")}
            autoComplete="address-level2"
            value={value.city}
            onChange={set("city")}
            error={errorOf("city")}
            testId={`${idPrefix}-city`}
            required
          />
        )}
        <Field
          label={t("checkout.postalCode")}
          autoComplete="postal-code"
          value={value.postalCode ?? ""}
          onChange={set("postalCode")}
          error={errorOf("postalCode")}
          testId={`${idPrefix}-postal-code`}
        />
      </div>
      <Field
        label={t("checkout.country")}
        hint={t("checkout.countryHint")}
        autoComplete="country"
        maxLength={2}
        value={value.country}
        onChange={(e) => {
          const country = e.target.value;
          onChange((a) => ({
            ...a,
            country,
            // Leaving or entering China: the city is picked there, typed elsewhere.
            ...(isChina(country) !== isChina(a.country)
              ? { province: "", city: "", district: "" }
              : {}),
          }));
          onEdited("country");
        }}
        error={errorOf("country")}
        testId={`${idPrefix}-country`}
        required
      />
    </>
  );
}
