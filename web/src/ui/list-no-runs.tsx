// A runs list's empty state (evaluation runs, swarm runs): why there are none, and where to start one.
import { Link } from "../router/link";

/** `why` follows "No runs", e.g. " yet" or " match these filters". */
export function NoRuns({ why, startAt }: { why: string; startAt: string }) {
  return (
    <p>
      No runs{why}. <Link to={startAt}>Start one</Link>.
    </p>
  );
}
