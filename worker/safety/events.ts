// The record of what the guard did: one safety_events row per finding a policy acted on (flag,
// redact, block). Rows never hold the checked text: its SHA-256, and a short snippet around the
// finding with personal data and secrets masked. Written off the hot path (the caller's
// waitUntil), and counted in the metrics by detector, stage and action.
import type { CounterIncrement } from "../core/counters";
import { createDb } from "../core/db";
import { safetyEvents } from "../core/db/schema";
import { newId, sha256Hex } from "../core/ids";
import { writeLog } from "../core/logger";
import { detect } from "./detectors";
import type { ActedFinding, Verdict } from "./pipeline";

/** Where the checked text came from. */
export type SafetySurface = "chat" | "swarm" | "v1" | "mcp";

export interface GuardScope {
  surface: SafetySurface;
  workspaceId: string;
  agentId: string | null;
  conversationId: string | null;
  runId: string | null;
  requestId: string | null;
}

/** Characters kept either side of a finding in its snippet. */
const SNIPPET_CONTEXT = 40;
const SNIPPET_MAX = 160;

/** Replaces every personal-data or secret match in `text` with its category, right to left. */
function mask(text: string): string {
  const spans = detect(text, { detectors: ["pii", "secrets"] })
    .filter((f) => f.start !== undefined && f.end !== undefined)
    .sort((a, b) => (b.start as number) - (a.start as number));
  let out = text;
  let floor = Number.POSITIVE_INFINITY;
  for (const f of spans) {
    const start = f.start as number;
    const end = Math.min(f.end as number, floor);
    if (end <= start) continue;
    out = `${out.slice(0, start)}[${f.category.toUpperCase()}]${out.slice(end)}`;
    floor = start;
  }
  return out;
}

/** A short window around the finding (the text's start for findings without a span), masked. */
function snippetOf(text: string, f: Pick<ActedFinding, "start" | "end" | "detector" | "category">): string {
  const from = Math.max(0, (f.start ?? 0) - SNIPPET_CONTEXT);
  const to = Math.min(text.length, f.end === undefined ? SNIPPET_MAX : f.end + SNIPPET_CONTEXT);
  let window = text.slice(from, to);
  // The finding itself is never kept when it is the sensitive value (a canary counts as one).
  if (f.start !== undefined && f.end !== undefined && f.detector !== "injection" && f.detector !== "moderation") {
    window = `${text.slice(from, f.start)}[${f.category.toUpperCase()}]${text.slice(f.end, to)}`;
  }
  return mask(window).slice(0, SNIPPET_MAX);
}

export type Defer = (work: Promise<unknown>) => void;

/** Writes the verdict's acted findings and counts them; `text` is what was checked, before redaction. */
export function recordVerdict(env: Env, scope: GuardScope, verdict: Verdict, text: string, defer: Defer): void {
  if (verdict.findings.length === 0) return;
  const work = (async () => {
    const hash = await sha256Hex(text);
    const rows = verdict.findings.map((f) => ({
      id: newId("sev"),
      workspaceId: scope.workspaceId,
      agentId: scope.agentId,
      conversationId: scope.conversationId,
      runId: scope.runId,
      surface: scope.surface,
      stage: verdict.stage,
      detector: f.detector,
      category: f.category,
      action: f.action,
      score: f.score,
      source: f.source,
      textHash: hash,
      snippet: snippetOf(text, f),
      requestId: scope.requestId,
    }));
    const counts: CounterIncrement[] = verdict.findings.map((f) => ({
      name: "safety_events_total",
      labels: `detector="${f.detector}",stage="${verdict.stage}",action="${f.action}"`,
      by: 1,
    }));
    await Promise.all([
      createDb(env.DB).insert(safetyEvents).values(rows),
      env.COUNTERS.getByName("metrics").add(counts),
    ]);
  })().catch((err: unknown) =>
    writeLog("warn", "safety_event_write_failed", {
      workspace: scope.workspaceId,
      error: err instanceof Error ? err.message : String(err),
    }),
  );
  defer(work);
}
