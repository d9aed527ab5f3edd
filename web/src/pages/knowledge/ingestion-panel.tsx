// A knowledge base's ingestion while it runs: documents by state and how many became ready in
// the last minute, polled every second while anything is in flight (and once after an upload,
// which invalidates the knowledge base's queries), then left alone.
import { DOCUMENT_STATUSES, type DocumentStatus } from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { Fragment } from "react";
import { queries } from "../../api/queries";
import { QueryState } from "../../ui/query-state";

const POLL_MS = 1000;
const STATES = Object.keys(DOCUMENT_STATUSES) as DocumentStatus[];

export function IngestionPanel({ kbId }: { kbId: string }) {
  const progress = useQuery({
    ...queries.ingestion(kbId),
    refetchInterval: (query) => (query.state.data?.in_flight ? POLL_MS : false),
  });
  const data = progress.data;
  return (
    <section className="panel" aria-label="Ingestion">
      {data ? (
        <dl className="facts" data-testid="ingestion" data-in-flight={String(data.in_flight)}>
          {STATES.map((state) => (
            <Fragment key={state}>
              <dt>{state[0]?.toUpperCase() + state.slice(1)}</dt>
              <dd data-testid={`ingestion-${state}`}>{data.counts[state]}</dd>
            </Fragment>
          ))}
          <dt>Unchanged (last hour)</dt>
          <dd data-testid="ingestion-unchanged">{data.unchanged_last_hour}</dd>
          <dt>Rate</dt>
          <dd data-testid="ingestion-rate">
            {data.rate_per_minute} ready in the last minute{data.in_flight ? " · ingesting" : ""}
          </dd>
        </dl>
      ) : (
        <QueryState query={progress} errorTitle="Could not load the ingestion progress" />
      )}
    </section>
  );
}
