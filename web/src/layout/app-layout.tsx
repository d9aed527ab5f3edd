import type { ReactNode } from "react";
import { Link } from "../router/link";
import { NAV_ROUTES } from "../routes";
import { Icon } from "./icons";

export function AppLayout({ children }: { children: ReactNode }) {
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
      </header>
      <nav className="sidebar" aria-label="Main">
        <ul>
          {NAV_ROUTES.map((route) => (
            <li key={route.path}>
              <Link to={route.path} className="nav-link">
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
