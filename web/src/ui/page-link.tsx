// A page action that goes somewhere ("New run", "All runs"): a link that looks like the page's
// buttons, the main action of the page or (by default) a secondary one.
import type { ReactNode } from "react";
import { Link } from "../router/link";

export function PageLink({ to, main = false, children }: { to: string; main?: boolean; children: ReactNode }) {
  return (
    <Link to={to} className={main ? "button" : "button button-secondary"}>
      {children}
    </Link>
  );
}
