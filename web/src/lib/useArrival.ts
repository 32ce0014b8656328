/**
 * What the page that sent us here said once ("Saved", "Order placed", a refused card): navigation
 * state, read at arrival and then removed from the history entry, so that a reload or coming back
 * later does not say it again. Transient, never stored.
 */
import { useEffect, useState } from "react";
import { useLocation, useNavigate } from "react-router";

export function useArrival<T extends object>(): Partial<T> {
  const location = useLocation();
  const navigate = useNavigate();
  const [arrival] = useState(() => (location.state ?? {}) as Partial<T>);
  const { pathname, search, hash, state } = location;
  useEffect(() => {
    if (state != null) navigate({ pathname, search, hash }, { replace: true, state: null });
  }, [navigate, pathname, search, hash, state]);
  return arrival;
}
