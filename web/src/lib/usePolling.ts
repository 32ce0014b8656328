/**
 * Polls a loader every `intervalMs`, one request at a time: the next starts only after the last
 * answered. Pauses while the tab is hidden, slows down when rate limited, and stops on 401/403.
 */
import { useEffect, useRef, useState } from "react";
import { ApiError } from "../api/errors.ts";

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  /** Epoch ms of the last successful answer. */
  updatedAt: number | null;
  stopped: boolean;
}

export function usePolling<T>(
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
): Polled<T> {
  const [state, setState] = useState<Polled<T>>({
    data: undefined,
    error: undefined,
    updatedAt: null,
    stopped: false,
  });
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    let stopped = false;

    const schedule = (ms: number) => {
      clearTimeout(timer);
      if (!stopped && !controller.signal.aborted) timer = setTimeout(tick, ms);
    };

    async function tick() {
      if (running || stopped || controller.signal.aborted) return;
      if (typeof document !== "undefined" && document.hidden) return; // resumed by visibilitychange
      running = true;
      try {
        const data = await loadRef.current(controller.signal);
        if (controller.signal.aborted) return;
        setState({ data, error: undefined, updatedAt: Date.now(), stopped: false });
        schedule(intervalMs);
      } catch (error) {
        if (controller.signal.aborted) return;
        const fatal = error instanceof ApiError && (error.status === 401 || error.status === 403);
        if (fatal) stopped = true;
        setState((s) => ({ ...s, error, stopped: fatal }));
        const wait =
          error instanceof ApiError && error.retryAfter !== undefined
            ? Math.max(intervalMs, error.retryAfter * 1000)
            : intervalMs * 2;
        schedule(wait);
      } finally {
        running = false;
      }
    }

    const onVisibility = () => {
      if (!document.hidden) schedule(0);
    };
    document.addEventListener("visibilitychange", onVisibility);
    void tick();
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [intervalMs]);

  return state;
}
