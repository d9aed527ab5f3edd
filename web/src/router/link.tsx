import type { AnchorHTMLAttributes, MouseEvent } from "react";
import { navigate, usePathname } from "./history";

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: string };

/** An anchor that navigates without a reload, except when the user asks for a new tab or window. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const pathname = usePathname();
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || event.button !== 0 || modified || rest.target) return;
    event.preventDefault();
    if (to !== pathname) navigate(to);
  };
  return <a href={to} aria-current={to === pathname ? "page" : undefined} onClick={handleClick} {...rest} />;
}
