// Who is signed in to the dashboard. Loaded once from /api/auth/me (401: signed out), changed
// by sign-in, sign-out and workspace switches, and dropped when any API call answers 401.
// Each of those changes empties the query cache: no list of one account or workspace is ever
// shown, even for a moment, to another.

import { HiveApiError, type MeResponse } from "@hive/shared/api-client";
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { api } from "../../api/client";
import { onSessionRejected } from "./session-events";

export type SessionState =
  | { status: "loading" }
  /** `expired`: the session ended while the dashboard was open (not a first visit). */
  | { status: "signed_out"; expired: boolean }
  | { status: "signed_in"; me: MeResponse }
  /** /api/auth/me failed for another reason (network, 5xx): unknown, not signed out. */
  | { status: "unknown"; error: unknown };

export interface Session {
  state: SessionState;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  switchWorkspace(workspaceId: string): Promise<void>;
  /** Reads /api/auth/me again, e.g. after the caller's own role or memberships changed. */
  reload(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

async function readSession(): Promise<SessionState> {
  try {
    return { status: "signed_in", me: await api.auth.me() };
  } catch (error) {
    if (error instanceof HiveApiError && error.status === 401) return { status: "signed_out", expired: false };
    return { status: "unknown", error };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });
  const queryClient = useQueryClient();

  const reload = useCallback(async () => setState(await readSession()), []);

  useEffect(() => {
    void reload();
    return onSessionRejected(() =>
      setState((s) => (s.status === "signed_in" ? { status: "signed_out", expired: true } : s)),
    );
  }, [reload]);

  const session = useMemo<Session>(
    () => ({
      state,
      reload,
      async signIn(email, password) {
        await api.auth.login({ email, password });
        queryClient.clear();
        setState({ status: "signed_in", me: await api.auth.me() });
      },
      async signOut() {
        try {
          await api.auth.logout();
        } finally {
          // Signed out locally even if the API could not be told: the cookie is HttpOnly, and a
          // failed logout must not leave the dashboard looking signed in.
          queryClient.clear();
          setState({ status: "signed_out", expired: false });
        }
      },
      async switchWorkspace(workspaceId) {
        await api.auth.switchWorkspace(workspaceId);
        const me = await api.auth.me();
        queryClient.clear();
        setState({ status: "signed_in", me });
      },
    }),
    [state, reload, queryClient],
  );

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession() outside <SessionProvider>");
  return session;
}

/** The signed-in caller; only for pages the auth gate renders after sign-in. */
export function useMe(): MeResponse {
  const { state } = useSession();
  if (state.status !== "signed_in") throw new Error("useMe() on a page shown without sign-in");
  return state.me;
}
