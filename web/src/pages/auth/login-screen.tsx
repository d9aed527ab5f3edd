// The sign-in page: shown at /login, and in place of any page that needs a session when there
// is none (the address stays, so the page appears once signed in).
import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { Link } from "../../router/link";
import { TextField } from "../../ui/controls";
import { PasswordField } from "../../ui/field-password";
import { submitted } from "../../ui/form-panel";
import { useSession } from "./session";
import { signInErrorText } from "./sign-in-error";

export function LoginScreen({ expired }: { expired: boolean }) {
  const id = useId();
  const session = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const emailInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = "Sign in · Liquid Hive";
    emailInput.current?.focus();
  }, []);

  const signIn = useMutation({
    mutationFn: () => session.signIn(email.trim(), password),
    onError: () => setPassword(""),
  });
  const { isPending: busy, error } = signIn;

  return (
    <main className="login-screen" id="main">
      <section className="login-card" aria-labelledby={`${id}-title`}>
        <div className="login-brand">
          <img src="/favicon.svg" alt="" width="36" height="36" />
          <span>Liquid Hive</span>
        </div>
        <h1 id={`${id}-title`}>Sign in</h1>
        {expired && !error ? (
          <p className="notice" role="status">
            Your session ended. Sign in again to continue.
          </p>
        ) : null}
        {error ? (
          <p className="login-error" role="alert">
            {signInErrorText(error)}
          </p>
        ) : null}
        <form className="form" onSubmit={(event) => submitted(event, () => signIn.mutate())}>
          <TextField
            ref={emailInput}
            id={`${id}-email`}
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onValue={setEmail}
          />
          <PasswordField
            id={`${id}-password`}
            label="Password"
            purpose="current"
            value={password}
            onValue={setPassword}
          />
          <button type="submit" className="button login-submit" disabled={busy} aria-busy={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
        <p className="muted small login-foot">
          No account? Ask a platform administrator. <Link to="/status">System status</Link>
        </p>
      </section>
    </main>
  );
}
