// The header's right-hand side: the current workspace and the signed-in account with its
// sign-out, or a sign-in link for a visitor of the public pages.
import { useState } from "react";
import { navigate } from "../../router/history";
import { Link } from "../../router/link";
import { WorkspaceSwitcher } from "../workspaces/workspace-switcher";
import { isPlatformAdmin } from "./access";
import { LOGIN_PATH } from "./paths";
import { useSession } from "./session";

export function HeaderSession() {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const { state } = session;
  if (state.status === "loading" || state.status === "unknown") return null;
  if (state.status === "signed_out") {
    return (
      <Link to={LOGIN_PATH} className="topbar-link header-signin">
        Sign in
      </Link>
    );
  }
  const { me } = state;
  const signOut = async () => {
    setBusy(true);
    try {
      await session.signOut();
    } finally {
      navigate(LOGIN_PATH);
    }
  };
  return (
    <div className="header-session">
      <WorkspaceSwitcher me={me} />
      <div className="header-user" data-testid="signed-in-user">
        <Link to="/account" className="header-user-link" title="Your account">
          {me.user.name}
          <span className="header-user-email">{me.user.email}</span>
        </Link>
        {isPlatformAdmin(me) ? <span className="pill tone-warn">platform admin</span> : null}
      </div>
      <button
        type="button"
        className="button button-small header-signout"
        onClick={() => void signOut()}
        disabled={busy}
      >
        Sign out
      </button>
    </div>
  );
}
