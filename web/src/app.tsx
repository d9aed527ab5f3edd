import { Fragment, useEffect } from "react";
import { AppLayout } from "./layout/app-layout";
import { NotFoundPage } from "./pages/not-found-page";
import { HOME_PATH, findRoute } from "./routes";
import { navigate, usePathname } from "./router/history";

export function App() {
  const pathname = usePathname();
  const route = findRoute(pathname);
  useEffect(() => {
    // Keep one address per page: "/" shows Status, so the URL says so too.
    if (pathname === "/") navigate(HOME_PATH, { replace: true });
  }, [pathname]);
  return <AppLayout>{route ? <Fragment key={route.path}>{route.render()}</Fragment> : <NotFoundPage pathname={pathname} />}</AppLayout>;
}
