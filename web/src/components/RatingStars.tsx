/** A rating as five stars, read out as a sentence (the stars themselves are decoration). */
export function RatingStars({
  value,
  label,
  testId,
}: {
  value: number;
  label: string;
  testId?: string;
}) {
  const full = Math.max(0, Math.min(5, Math.round(value)));
  return (
    <span className="rating-stars" role="img" aria-label={label} data-testid={testId}>
      <span aria-hidden="true">
        {"★".repeat(full)}
        <span className="rating-stars-empty">{"☆".repeat(5 - full)}</span>
      </span>
    </span>
  );
}
