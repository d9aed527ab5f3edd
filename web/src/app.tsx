import { QueryClientProvider } from "@tanstack/react-query";
import { Fragment, useEffect, useState } from "react";
import { createQueryClient } from "./api/query-client";
import { AppLayout } from "./layout/app-layout";
import { AuthGate } from "./pages/auth/auth-gate";
import { SessionProvider } from "./pages/auth/session";
import { NotFoundPage } from "./pages/not-found-page";
import { navigate, usePathname } from "./router/history";
import { findRoute, HOME_PATH } from "./routes";

export function App() {
  const pathname = usePathname();
  const route = findRoute(pathname);
  const [queryClient] = useState(createQueryClient);
  useEffect(() => {
    // Keep one address per page: "/" shows Status, so the URL says so too.
    if (pathname === "/") navigate(HOME_PATH, { replace: true });
  }, [pathname]);
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        {/* "Page not found" is public: it says nothing a visitor could not learn from the bundle. */}
        <AuthGate pathname={pathname} access={route?.access ?? "public"} home={HOME_PATH}>
          <AppLayout>
            {route ? <Fragment key={route.path}>{route.render()}</Fragment> : <NotFoundPage pathname={pathname} />}
          </AppLayout>
        </AuthGate>
      </SessionProvider>
    </QueryClientProvider>
  );
}
