// Reading what the tracer stored: traces are flushed in waitUntil after the response, so the
// helpers poll D1 until the trace (and the spans a test waits for) are there.
import { env, SELF } from "cloudflare:test";
import type { AttributeValue, TraceSpan, TraceSummary } from "@hive/shared/api-types/traces";
import { createAgent } from "./chat";
import { adminToken, BASE } from "./harness";

/** A `trace_spans` row: the API's span before the tree is built (status and events as stored). */
export interface StoredSpan extends Pick<TraceSpan, "span_id" | "parent_span_id" | "name" | "kind" | "status_message"> {
  trace_id: string;
  status: string;
  attributes: Record<string, AttributeValue>;
  events: unknown[] | null;
}

/** A `traces` row: the columns the API's summary shows as they are, `error` still a 0/1 flag. */
export interface StoredTrace
  extends Pick<
    TraceSummary,
    | "trace_id"
    | "workspace_id"
    | "user_id"
    | "name"
    | "method"
    | "route"
    | "status"
    | "span_count"
    | "kept_because"
    | "conversation_id"
    | "agent_id"
  > {
  error: number;
}

export const newTraceId = () => crypto.randomUUID().replaceAll("-", "");
export const PARENT_SPAN = "00f067aa0ba902b7";
export const traceparent = (traceId: string, sampled = true) => `00-${traceId}-${PARENT_SPAN}-${sampled ? "01" : "00"}`;

async function read(traceId: string): Promise<{ trace: StoredTrace | null; spans: StoredSpan[] }> {
  const trace = await env.DB.prepare("SELECT * FROM traces WHERE trace_id = ?").bind(traceId).first<StoredTrace>();
  const { results } = await env.DB.prepare("SELECT * FROM trace_spans WHERE trace_id = ? ORDER BY start_ms")
    .bind(traceId)
    .all<Omit<StoredSpan, "attributes" | "events"> & { attributes: string; events: string | null }>();
  const spans = results.map((s) => ({
    ...s,
    attributes: JSON.parse(s.attributes) as StoredSpan["attributes"],
    events: s.events ? (JSON.parse(s.events) as unknown[]) : null,
  }));
  return { trace, spans };
}

/** The stored trace once `ready` holds for its spans (default: it exists); fails after 10 s. */
export async function storedTrace(
  traceId: string,
  ready: (spans: StoredSpan[]) => boolean = () => true,
): Promise<{ trace: StoredTrace; spans: StoredSpan[] }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { trace, spans } = await read(traceId);
    if (trace && ready(spans)) return { trace, spans };
    if (Date.now() > deadline) throw new Error(`trace ${traceId} not stored (${spans.length} spans)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether anything of the trace is stored right now. */
export async function isStored(traceId: string): Promise<boolean> {
  const { trace, spans } = await read(traceId);
  return trace !== null || spans.length > 0;
}

/** One chat message to a new agent, sent with a sampled traceparent of a new trace; the answer read to its end. */
export async function tracedChat(
  message: string,
): Promise<{ traceId: string; agentId: string; response: Response; answer: string }> {
  const token = await adminToken();
  const agent = await createAgent(token);
  const traceId = newTraceId();
  const response = await SELF.fetch(`${BASE}/api/agents/${agent.id}/chat`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
      traceparent: traceparent(traceId),
    },
    body: JSON.stringify({ message }),
  });
  return { traceId, agentId: agent.id, response, answer: await response.text() };
}
