// What a safety check puts on its trace span: the stage, how many detectors looked, the verdict
// and the findings counted per detector. Never the text, the matched values or their offsets.
// A block marks the whole trace blocked, so the sink keeps it.
import { type Attributes, activeSegment, activeSpan, type Span, startSpan } from "../core/trace/tracer";
import type { Verdict } from "./pipeline";
import type { SafetyStage } from "./types";

export const safetySpanName = (stage: SafetyStage) => `safety ${stage}`;

export function safetyAttributes(stage: SafetyStage, detectors: number): Attributes {
  return { "liquid_hive.safety.stage": stage, "liquid_hive.safety.detectors": detectors };
}

export function recordVerdict(span: Span, verdict: Verdict): void {
  const byDetector: Attributes = {};
  for (const f of verdict.findings) {
    const key = `liquid_hive.safety.findings.${f.detector}`;
    byDetector[key] = Number(byDetector[key] ?? 0) + 1;
  }
  span.setAttributes({
    ...byDetector,
    "liquid_hive.safety.verdict": verdict.action,
    "liquid_hive.safety.findings": verdict.findings.length,
  });
  if (verdict.action !== "block") return;
  const marks = activeSegment()?.marks;
  if (marks) marks.blocked = true;
}

/** The stream guard acts on a window of the answer as it streams: one short span per verdict it acts on. */
export function streamVerdictSpan(verdict: Verdict, detectors: number): void {
  if (!activeSpan()) return;
  const span = startSpan(safetySpanName("output"), {
    ...safetyAttributes("output", detectors),
    "liquid_hive.safety.streamed": true,
  });
  span.setAttribute("liquid_hive.safety.latency_ms", verdict.latencyMs);
  recordVerdict(span, verdict);
  span.end();
}
