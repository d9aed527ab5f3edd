// A trace's spans as the waterfall draws them: parents before their children, siblings by start,
// each with its depth and its start as an offset from the trace's first span. A span whose parent
// was not kept (or lives in a segment not yet flushed) is shown as a root rather than dropped.
import type { AttributeValue } from "@hive/shared/api-types/traces";
import type { traceSpans } from "../core/db/schema";
import type { TraceSpan } from "./schemas";

type SpanRow = typeof traceSpans.$inferSelect;

const isAttribute = (v: unknown): v is AttributeValue =>
  typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

function attributesOf(value: unknown): Record<string, AttributeValue> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, AttributeValue] => isAttribute(e[1])));
}

/** Stored events are `{ name, time_ms, attributes }` (epoch ms); anything else is skipped, not a 500. */
function eventsOf(value: unknown, origin: number): TraceSpan["events"] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((e: unknown) => {
    if (!e || typeof e !== "object") return [];
    const { name, time_ms, timeMs, attributes } = e as Record<string, unknown>;
    const time = typeof time_ms === "number" ? time_ms : timeMs;
    if (typeof name !== "string" || typeof time !== "number") return [];
    return [{ name, offset_ms: round(time - origin), attributes: attributesOf(attributes) }];
  });
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

const toSpan = (r: SpanRow, depth: number, origin: number): TraceSpan => ({
  span_id: r.spanId,
  parent_span_id: r.parentSpanId,
  name: r.name,
  kind: r.kind,
  depth,
  offset_ms: round(r.startMs - origin),
  duration_ms: round(r.durationMs),
  status: r.status,
  status_message: r.statusMessage,
  attributes: attributesOf(r.attributes),
  events: eventsOf(r.events, origin),
});

/** The spans in tree order; `fallbackStart` is the trace's start when it has no spans. */
export function spanTree(rows: SpanRow[], fallbackStart: number): TraceSpan[] {
  const origin = rows.length
    ? rows.reduce((min, r) => Math.min(min, r.startMs), Number.POSITIVE_INFINITY)
    : fallbackStart;
  const ids = new Set(rows.map((r) => r.spanId));
  const children = new Map<string | null, SpanRow[]>();
  for (const r of rows) {
    const parent = r.parentSpanId && ids.has(r.parentSpanId) && r.parentSpanId !== r.spanId ? r.parentSpanId : null;
    const siblings = children.get(parent);
    if (siblings) siblings.push(r);
    else children.set(parent, [r]);
  }
  for (const list of children.values()) list.sort((a, b) => a.startMs - b.startMs || a.spanId.localeCompare(b.spanId));

  const out: TraceSpan[] = [];
  const seen = new Set<string>();
  // Iterative depth-first walk: a deep parent chain cannot overflow the stack. Spans caught in a
  // parent cycle are not reached from any root; they are walked afterwards as roots of their own.
  const walk = (roots: SpanRow[]) => {
    const stack: [SpanRow, number][] = [...roots].reverse().map((r) => [r, 0]);
    while (stack.length) {
      const [r, depth] = stack.pop() as [SpanRow, number];
      if (seen.has(r.spanId)) continue;
      seen.add(r.spanId);
      out.push(toSpan(r, depth, origin));
      for (const child of [...(children.get(r.spanId) ?? [])].reverse()) stack.push([child, depth + 1]);
    }
  };
  walk(children.get(null) ?? []);
  walk(rows.filter((r) => !seen.has(r.spanId)).sort((a, b) => a.startMs - b.startMs));
  return out;
}
