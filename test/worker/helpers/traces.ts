// Reading what the tracer stored: traces are flushed in waitUntil after the response, so the
// helpers poll D1 until the trace (and the spans a test waits for) are there.
import { env, SELF } from "cloudflare:test";
import { createAgent } from "./chat";
import { adminToken, BASE } from "./harness";

export interface StoredSpan {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  status: string;
  status_message: string | null;
  attributes: Record<string, string | number | boolean>;
  events: unknown[] | null;
}

export interface StoredTrace {
  trace_id: string;
  workspace_id: string | null;
  user_id: string | null;
  name: string;
  method: string | null;
  route: string | null;
  status: number | null;
  error: number;
  span_count: number;
  kept_because: string;
  conversation_id: string | null;
  agent_id: string | null;
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
