/**
 * The retry policy of reads: safe to run again on another instance when one fails or vanishes
 * (Moleculer retries on retryable errors: a timeout, a rejected call of a dropped node, a
 * 503). Writes that are not idempotent never get it.
 */
export const SAFE_READ_RETRY = {
  enabled: true,
  retries: 1,
  delay: 100,
  maxDelay: 1_000,
  factor: 2,
};
