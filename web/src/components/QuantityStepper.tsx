/** − [n] + for a quantity between min and max. */
import { useTranslation } from "react-i18next";
import { useEffect, useState } from "react";

export function QuantityStepper({
  value,
  onChange,
  min = 1,
  max = 99,
  label,
  disabled = false,
  testId = "quantity",
}: {
  value: number;
  onChange: (next: number) => void;
  min?: number;
  max?: number;
  label: string;
  disabled?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const clamp = (n: number) => Math.min(max, Math.max(min, n));
  const commit = () => {
    const n = Number.parseInt(text, 10);
    if (Number.isFinite(n) && clamp(n) !== value) onChange(clamp(n));
    else setText(String(value));
  };
  return (
    <div className="stepper" role="group" aria-label={label}>
      <button
        type="button"
        aria-label={t("quantity.decrease")}
        disabled={disabled || value <= min}
        onClick={() => onChange(clamp(value - 1))}
        data-testid={`${testId}-decrease`}
      >
        −
      </button>
      <input
        type="text"
        inputMode="numeric"
        aria-label={t("quantity.label")}
        value={text}
        disabled={disabled}
        data-testid={testId}
        onChange={(e) => setText(e.target.value.replace(/\D/g, "").slice(0, 2))}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit();
          }
        }}
      />
      <button
        type="button"
        aria-label={t("quantity.increase")}
        disabled={disabled || value >= max}
        onClick={() => onChange(clamp(value + 1))}
        data-testid={`${testId}-increase`}
      >
        +
      </button>
    </div>
  );
}
