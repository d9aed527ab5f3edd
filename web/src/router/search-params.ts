// A page's state that belongs in its address: list filters and the cursor pages seen, so a
// reload, the back button or a shared link shows the same list. Each change is a history entry
// of its own (back undoes a filter) and keeps the scroll position.
import { useMemo, useSyncExternalStore } from "react";
import { navigate, subscribe } from "./history";

/** Per param: a value to set, several to set in order, or null to drop it. */
export type SearchChange = Readonly<Record<string, string | readonly string[] | null>>;

export function useSearchParams(): URLSearchParams {
  const search = useSyncExternalStore(subscribe, () => window.location.search);
  return useMemo(() => new URLSearchParams(search), [search]);
}

/** Applies the change to the address; false when it was already so (nothing to navigate to). */
export function updateSearch(change: SearchChange, opts: { replace?: boolean } = {}): boolean {
  const params = new URLSearchParams(window.location.search);
  for (const [name, value] of Object.entries(change)) {
    params.delete(name);
    if (value === null) continue;
    for (const v of typeof value === "string" ? [value] : value) params.append(name, v);
  }
  const search = params.toString();
  const to = `${window.location.pathname}${search ? `?${search}` : ""}${window.location.hash}`;
  if (to === `${window.location.pathname}${window.location.search}${window.location.hash}`) return false;
  navigate(to, { ...opts, keepScroll: true });
  return true;
}
