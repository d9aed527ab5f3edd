// The trace a stored record links to (a message, a swarm step, an audit row): the active one,
// so the dashboard can open the waterfall of the request that wrote it. Null when untraced.
import { activeSpan } from "./tracer";

export const activeTraceId = (): string | null => activeSpan()?.context.traceId ?? null;
