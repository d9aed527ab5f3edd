// Bearer auth for a saved login. Access tokens live 15 minutes; on a 401 the refresh token is
// rotated once (shared by concurrent requests: presenting a spent refresh token revokes the
// whole family), the new pair is saved, and the request is sent again.
import { type FetchLike, HiveApiError, HiveClient, type HiveRequestInit } from "@hive/shared/api-client";
import { loginFromTokens, readLogin, type SavedLogin, writeLogin } from "./credentials-file";

const withToken = (init: HiveRequestInit, token: string): HiveRequestInit => ({
  ...init,
  headers: { ...init.headers, Authorization: `Bearer ${token}` },
});

const defaultFetch: FetchLike = (url, init) => fetch(url, init);

export function refreshingFetch(env: NodeJS.ProcessEnv, saved: SavedLogin, base: FetchLike = defaultFetch): FetchLike {
  let login = saved;
  let inFlight: Promise<SavedLogin | null> | null = null;

  async function rotate(stale: string): Promise<SavedLogin | null> {
    // Another `hive` process may have rotated the pair since we read it: use theirs rather
    // than present the now-spent refresh token.
    const onDisk = readLogin(env);
    if (onDisk && onDisk.url === login.url && onDisk.access_token !== stale) return (login = onDisk);
    try {
      const tokens = await new HiveClient({ baseUrl: login.url, fetch: base }).auth.refresh(login.refresh_token);
      login = loginFromTokens(login.url, login.email, tokens);
    } catch (err) {
      // Expired or revoked: the caller gets the original 401 and is told to log in again.
      if (err instanceof HiveApiError && err.status === 401) return null;
      throw err;
    }
    writeLogin(env, login);
    return login;
  }

  return async (url, init) => {
    const used = login.access_token;
    const first = await base(url, withToken(init, used));
    if (first.status !== 401) return first;
    if (login.access_token === used) {
      inFlight ??= rotate(used).finally(() => (inFlight = null));
      if (!(await inFlight)) return first;
    }
    await first.body?.cancel();
    return base(url, withToken(init, login.access_token));
  };
}
