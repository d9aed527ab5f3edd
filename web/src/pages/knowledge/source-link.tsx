// A fetched document's web page, linked where its name appears (documents, search hits, chat
// citations). Only http(s) addresses become links, opened in a new tab without an opener.
export function SourceLink({ url }: { url: string | null | undefined }) {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  return (
    <a className="cell-note source-link" href={url} target="_blank" rel="noopener noreferrer" data-testid="source-url">
      {url}
    </a>
  );
}
