// One search hit: the snippet with the query's terms marked, the score from each retriever,
// and the citation an agent would give for it.

import type { SearchHit } from "@hive/shared/api-client";
import type { ReactNode } from "react";
import { SourceLink } from "./source-link";

/** The snippet with its highlight ranges (offsets into snippet.text) wrapped in <mark>. */
export function highlighted(text: string, ranges: readonly { start: number; end: number }[]): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    const start = Math.max(r.start, at);
    const end = Math.min(r.end, text.length);
    if (end <= start) continue;
    if (start > at) out.push(text.slice(at, start));
    out.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

const score = (n: number | null, digits = 3) => (n === null ? "—" : n.toFixed(digits));

export function SearchHitView({ hit, position }: { hit: SearchHit; position: number }) {
  const { citation, snippet, scores, ranks } = hit;
  const before = snippet.start_offset > citation.start_offset;
  const after = snippet.start_offset + snippet.text.length < citation.end_offset;
  return (
    <li className="hit" data-testid="search-hit">
      <div className="hit-head">
        <span className="hit-rank">{position}</span>
        <strong>{citation.document_name}</strong>
        <SourceLink url={citation.source_url} />
        <span className="muted">chunk {citation.chunk_seq}</span>
        <span className="hit-score" title="The score hits are ordered by">
          {score(hit.score, 4)}
        </span>
      </div>
      <p className="snippet" data-testid="hit-snippet">
        {before ? "…" : null}
        {highlighted(snippet.text, snippet.highlights)}
        {after ? "…" : null}
      </p>
      <dl className="hit-scores">
        <dt>fused</dt>
        <dd>{score(scores.fused, 4)}</dd>
        <dt>lexical</dt>
        <dd>
          {score(scores.lexical)}
          {ranks.lexical !== null ? <span className="muted"> (#{ranks.lexical})</span> : null}
        </dd>
        <dt>vector</dt>
        <dd>
          {score(scores.vector)}
          {ranks.vector !== null ? <span className="muted"> (#{ranks.vector})</span> : null}
        </dd>
        {scores.rerank !== null ? (
          <>
            <dt>rerank</dt>
            <dd>{score(scores.rerank)}</dd>
          </>
        ) : null}
      </dl>
      <p className="hit-citation small" data-testid="hit-citation">
        Cites <strong>{citation.document_name}</strong> <code>{citation.document_id}</code>, chunk{" "}
        <code>{citation.chunk_id}</code>, characters {citation.start_offset}–{citation.end_offset}
        {hit.tags.length ? <span className="muted"> · tags {hit.tags.join(", ")}</span> : null}
      </p>
      <details>
        <summary>Whole chunk</summary>
        <p className="chunk-text">{hit.content}</p>
      </details>
    </li>
  );
}
