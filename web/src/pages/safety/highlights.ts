// The playground's text cut at its findings' spans: overlapping spans (an email inside a
// flagged injection, say) merge into one highlighted piece that names every finding in it.
import type { SafetyFinding } from "@hive/shared/api-client";

export type Piece = { text: string; findings: SafetyFinding[] };

export function highlightPieces(text: string, findings: readonly SafetyFinding[]): Piece[] {
  const spans = findings
    .filter((f) => f.start !== undefined && f.end !== undefined && f.end > f.start)
    .sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  const pieces: Piece[] = [];
  let at = 0;
  let group: { start: number; end: number; findings: SafetyFinding[] } | null = null;
  const flush = () => {
    if (!group) return;
    if (group.start > at) pieces.push({ text: text.slice(at, group.start), findings: [] });
    pieces.push({ text: text.slice(group.start, group.end), findings: group.findings });
    at = group.end;
    group = null;
  };
  for (const f of spans) {
    const start = Math.max(f.start ?? 0, at);
    const end = Math.min(f.end ?? 0, text.length);
    if (group && start < group.end) {
      group.end = Math.max(group.end, end);
      group.findings.push(f);
      continue;
    }
    flush();
    if (end > start) group = { start, end, findings: [f] };
  }
  flush();
  if (at < text.length) pieces.push({ text: text.slice(at), findings: [] });
  return pieces;
}

/** A finding in words: "pii email: flag". */
export const findingText = (f: SafetyFinding) => `${f.detector} ${f.category}: ${f.action}`;
