// Client-side navigation over the History API. pushState fires no event, so navigate()
// notifies subscribers itself; back/forward arrive as popstate.
import { useSyncExternalStore } from "react";

const listeners = new Set<() => void>();
let navigated = false;

export function subscribe(listener: () => void): () => void {
  const onPop = () => {
    navigated = true;
    listener();
  };
  listeners.add(listener);
  window.addEventListener("popstate", onPop);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", onPop);
  };
}

/** `keepScroll`: the same page with other search params (a filter, the next page of a list). */
export function navigate(to: string, opts: { replace?: boolean; keepScroll?: boolean } = {}): void {
  if (opts.replace) window.history.replaceState(null, "", to);
  else {
    window.history.pushState(null, "", to);
    navigated = true;
    if (!opts.keepScroll) window.scrollTo(0, 0);
  }
  for (const listener of listeners) listener();
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** True once the user moved between pages; the first page load leaves focus where the browser put it. */
export function hasNavigated(): boolean {
  return navigated;
}
