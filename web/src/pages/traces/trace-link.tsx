// The link from a chat answer, a swarm step or an audit entry to its trace's waterfall; shown only
// when the API returned a trace id (traces are sampled: not every request keeps one).
import { Link } from "../../router/link";

export const tracePath = (traceId: string) => `/traces/${encodeURIComponent(traceId)}`;

export function TraceLink({ traceId, label = "View trace" }: { traceId: string | null | undefined; label?: string }) {
  if (!traceId) return null;
  return (
    <Link to={tracePath(traceId)} className="trace-link" data-testid="trace-link" title={`Trace ${traceId}`}>
      {label}
    </Link>
  );
}
