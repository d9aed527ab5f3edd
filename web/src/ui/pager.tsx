import type { CursorPager } from "./cursor-pager";

/** Previous / next buttons under a paginated list. */
export function Pager({
  pager,
  nextCursor,
  label,
}: {
  pager: CursorPager;
  nextCursor: string | null | undefined;
  label: string;
}) {
  if (!pager.hasPrevious && !nextCursor) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="button button-secondary" onClick={pager.previous} disabled={!pager.hasPrevious}>
        Previous
      </button>
      <span className="muted">Page {pager.pageNumber}</span>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => nextCursor && pager.next(nextCursor)}
        disabled={!nextCursor}
      >
        Next
      </button>
    </nav>
  );
}
