import type { ReactNode } from "react";
import { mayOpen } from "../pages/auth/access";
import { HeaderSession } from "../pages/auth/header-session";
import { useSession } from "../pages/auth/session";
import { usePathname } from "../router/history";
import { Link } from "../router/link";
import { findRoute, NAV_ROUTES } from "../routes";
import { Icon } from "./icons";

export function AppLayout({ children }: { children: ReactNode }) {
  // Pages below a section (an agent, a knowledge base) keep their section highlighted.
  const section = findRoute(usePathname())?.section;
  // The navigation lists only what the caller may open (the API still decides).
  const { state } = useSession();
  const me = state.status === "signed_in" ? state.me : null;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/status" className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span className="brand-name">Liquid Hive</span>
        </Link>
        <span className="brand-tag">Agent platform</span>
        <a className="topbar-link" href="/api/docs">
          API reference
        </a>
        <HeaderSession />
      </header>
      <nav className="sidebar" aria-label="Main">
        <ul>
          {NAV_ROUTES.filter((route) => mayOpen(route.access ?? "member", me)).map((route) => (
            <li key={route.path}>
              <Link to={route.path} className="nav-link" aria-current={route.path === section ? "page" : undefined}>
                <Icon name={route.icon} />
                <span>{route.label}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
