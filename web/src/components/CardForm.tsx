/** Card number, expiry and CVV, with the simulated processor's test cards one click away. */
import { Trans, useTranslation } from "react-i18next";
import { groupCardNumber, TEST_CARDS, type CardFields } from "../lib/cards.ts";
import { Field } from "./Field.tsx";

export const EMPTY_CARD: CardFields = { number: "", expiry: "", cvv: "" };

/** A future expiry for the test cards: December of next year. */
export function sampleExpiry(now = new Date()): string {
  return `12/${String((now.getFullYear() + 1) % 100).padStart(2, "0")}`;
}

export function CardForm({
  value,
  onChange,
  errors = {},
  disabled = false,
}: {
  value: CardFields;
  onChange: (next: CardFields) => void;
  errors?: Record<string, string>;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<CardFields>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="card-form" disabled={disabled}>
      <legend>{t("card.legend")}</legend>
      <Field
        label={t("card.number")}
        testId="card-number"
        name="cc-number"
        autoComplete="cc-number"
        inputMode="numeric"
        placeholder="4242 4242 4242 4242"
        value={value.number}
        onChange={(e) => set({ number: groupCardNumber(e.target.value) })}
        error={errors["card.number"]}
        required
      />
      <div className="field-row">
        <Field
          label={t("card.expiry")}
          testId="card-expiry"
          name="cc-exp"
          autoComplete="cc-exp"
          inputMode="numeric"
          placeholder={t("card.expiryPlaceholder")}
          maxLength={7}
          value={value.expiry}
          onChange={(e) => set({ expiry: e.target.value })}
          error={errors["card.expiry"] ?? errors["card.expMonth"] ?? errors["card.expYear"]}
          required
        />
        <Field
          label={t("card.cvv")}
          testId="card-cvv"
          name="cc-csc"
          autoComplete="cc-csc"
          inputMode="numeric"
          placeholder="123"
          maxLength={4}
          value={value.cvv}
          onChange={(e) => set({ cvv: e.target.value.replace(/\D/g, "") })}
          error={errors["card.cvv"]}
          required
        />
      </div>
      <div className="test-cards" data-testid="test-cards">
        <p className="test-cards-title">
          <Trans i18nKey="card.testCardsTitle" components={{ strong: <strong /> }} />
        </p>
        <ul>
          {TEST_CARDS.map((card) => (
            <li key={card.number}>
              <code>{card.number}</code>
              <span className="test-card-outcome">{t(`card.outcome.${card.outcome}`)}</span>
              <button
                type="button"
                className="button small ghost"
                aria-label={t("card.useLabel", {
                  number: card.number,
                  outcome: t(`card.outcome.${card.outcome}`),
                })}
                data-testid="use-test-card"
                onClick={() =>
                  onChange({
                    number: card.number,
                    expiry: value.expiry || sampleExpiry(),
                    cvv: value.cvv || "123",
                  })
                }
              >
                {t("card.use")}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </fieldset>
  );
}
