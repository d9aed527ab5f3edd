// Decides what a path shows before its page: the sign-in screen when a page needs a session
// and there is none, a "not for you" page when the caller's role does not open it, else the
// page itself, remounted per workspace so a switch reloads every page's data.
// Status is public by design: it is the page to open when signing in does not work.
import { Fragment, type ReactNode, useEffect } from "react";
import { AppLayout } from "../../layout/app-layout";
import { Page } from "../../layout/page";
import { navigate } from "../../router/history";
import { ErrorPanel } from "../../ui/error-panel";
import { ACCESS_NEEDED, mayOpen, type PageAccess } from "./access";
import { LoginScreen } from "./login-screen";
import { LOGIN_PATH } from "./paths";
import { useSession } from "./session";

function Loading() {
  return (
    <main className="login-screen" id="main">
      <p className="muted" role="status">
        Loading…
      </p>
    </main>
  );
}

interface AuthGateProps {
  pathname: string;
  access: PageAccess;
  home: string;
  children: ReactNode;
}

export function AuthGate({ pathname, access, home, children }: AuthGateProps) {
  const session = useSession();
  const { state } = session;
  const atLogin = pathname === LOGIN_PATH;

  useEffect(() => {
    // Signing in at /login (or arriving there signed in) leads home; elsewhere the page stays.
    if (atLogin && state.status === "signed_in") navigate(home, { replace: true });
  }, [atLogin, state.status, home]);

  if (atLogin) return state.status === "signed_in" ? <Loading /> : <LoginScreen expired={false} />;
  if (access === "public")
    return <Fragment key={state.status === "signed_in" ? state.me.workspace.id : "anonymous"}>{children}</Fragment>;

  switch (state.status) {
    case "loading":
      return <Loading />;
    case "signed_out":
      return <LoginScreen expired={state.expired} />;
    case "unknown":
      return (
        <AppLayout>
          <Page title="Cannot check your session">
            <ErrorPanel
              title="The API did not say who you are"
              error={state.error}
              onRetry={() => void session.reload()}
            />
          </Page>
        </AppLayout>
      );
    case "signed_in":
      if (!mayOpen(access, state.me)) {
        return (
          <AppLayout>
            <Page title="Not available">
              <section className="panel">
                <p>This page needs {ACCESS_NEEDED[access]}.</p>
              </section>
            </Page>
          </AppLayout>
        );
      }
      return <Fragment key={state.me.workspace.id}>{children}</Fragment>;
  }
}
