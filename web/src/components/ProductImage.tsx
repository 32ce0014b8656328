import { useState } from "react";

/** A product picture with its name as alt text; a neutral placeholder when there is none. */
export function ProductImage({
  src,
  name,
  className = "",
  eager = false,
}: {
  src: string | null | undefined;
  name: string;
  className?: string;
  eager?: boolean;
}) {
  const [failed, setFailed] = useState(false);
  if (!src || failed) {
    return (
      <div className={`product-image placeholder ${className}`} role="img" aria-label={name}>
        <svg viewBox="0 0 48 48" aria-hidden="true" focusable="false">
          <rect
            x="6"
            y="10"
            width="36"
            height="28"
            rx="4"
            fill="none"
            stroke="currentColor"
            strokeWidth="2.5"
          />
          <circle cx="17" cy="20" r="3.5" fill="currentColor" />
          <path
            d="M9 35l10-10 7 7 5-5 8 8"
            fill="none"
            stroke="currentColor"
            strokeWidth="2.5"
            strokeLinejoin="round"
          />
        </svg>
      </div>
    );
  }
  return (
    <img
      className={`product-image ${className}`}
      src={src}
      alt={name}
      loading={eager ? "eager" : "lazy"}
      // The pictures on the first screen are what it shows largest: fetched first.
      fetchPriority={eager ? "high" : "auto"}
      decoding="async"
      onError={() => setFailed(true)}
    />
  );
}
