// /account: my profile, my password and my signed-in sessions.
import { Page } from "../../layout/page";
import { Link } from "../../router/link";
import { isPlatformAdmin } from "../auth/access";
import { useMe } from "../auth/session";
import { PasswordForm } from "./password-form";
import { SessionsPanel } from "./sessions-panel";

export function AccountPage() {
  const me = useMe();
  return (
    <Page title="Account" lead="Your profile, password and signed-in sessions.">
      <section className="panel" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{me.user.name}</dd>
          <dt>Email</dt>
          <dd>{me.user.email}</dd>
          <dt>Platform role</dt>
          <dd>{isPlatformAdmin(me) ? "Platform admin" : "Member"}</dd>
          <dt>Workspaces</dt>
          <dd>{me.memberships.length}</dd>
        </dl>
        <p className="muted small">
          API keys for scripts are on the <Link to="/keys">API keys</Link> page.
        </p>
      </section>
      <PasswordForm />
      <SessionsPanel />
    </Page>
  );
}
