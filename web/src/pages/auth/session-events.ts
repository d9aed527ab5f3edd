// Notices that the session cookie stopped working (expired, revoked, signed out in another
// tab): any API answer of 401 says so. Sign-in's own 401 (wrong password) is not such news.
import type { FetchLike } from "@hive/shared/api-client";

const listeners = new Set<() => void>();

export function onSessionRejected(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function watchSession(fetchFn: FetchLike): FetchLike {
  return async (url, init) => {
    const res = await fetchFn(url, init);
    if (res.status === 401 && !new URL(url, window.location.origin).pathname.startsWith("/api/auth/login")) {
      for (const listener of listeners) listener();
    }
    return res;
  };
}
