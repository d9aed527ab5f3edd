// Path patterns with named segments ("/agent/:id/chat/:conversationId"). Segments are
// compared decoded, so an id with escaped characters still matches its own link.
import type { ReactNode } from "react";

export type RouteParams = Readonly<Record<string, string>>;

export function matchPath(pattern: string, pathname: string): RouteParams | null {
  const want = pattern.split("/").filter(Boolean);
  const have = pathname.split("/").filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    let h: string;
    try {
      h = decodeURIComponent(have[i] as string);
    } catch {
      return null;
    }
    if (w.startsWith(":")) params[w.slice(1)] = h;
    else if (w !== h) return null;
  }
  return params;
}

/** A path built from segments, each escaped: ids come from the API, never trust them to be URL-safe. */
export const pathOf = (...segments: string[]) => `/${segments.map(encodeURIComponent).join("/")}`;

/** A page below a navigation section, found by its pattern. */
export interface PageRoute {
  pattern: string;
  /** The navigation entry to highlight, e.g. "/agents" for "/agent/:id". */
  section: string;
  /** What identifies the page instance (default: the path); the page is remounted when it changes. */
  key?: (params: RouteParams) => string;
  render: (params: RouteParams) => ReactNode;
}
