// The one entry point every model input and output goes through: run the detectors a stage's
// policy enables, keep the findings that reach their threshold, and turn them into one verdict:
// the strongest action among them, with the text redacted when that is what the policy says.
import { withSpan } from "../core/trace/tracer";
import { detectWithBindings } from "./detectors";
import { actionFor, activeDetectors, type EffectivePolicy } from "./policy";
import { Redactions } from "./redactions";
import { recordVerdict, safetyAttributes, safetySpanName } from "./spans";
import { type DetectorId, type Finding, SAFETY_ACTIONS, type SafetyAction, type SafetyStage } from "./types";

/** A finding with what the policy made of it. */
export interface ActedFinding extends Finding {
  action: SafetyAction;
}

export interface Verdict {
  stage: SafetyStage;
  action: SafetyAction;
  /** Findings at or above their threshold whose action is not `allow`. */
  findings: ActedFinding[];
  /** The text to use from here on: redacted when some finding's action is `redact`, else the input. */
  text: string;
  latencyMs: number;
}

export interface CheckOptions {
  /** The Workers AI binding, when bound: adds the model detectors to the local ones. */
  ai?: Ai;
  /** The conversation's placeholders, so a value keeps its placeholder across messages. */
  redactions?: Redactions;
  /** The agent's canary, for the canary detector. */
  canary?: string;
}

/** Each detector's calibrated threshold when the policy gives none. */
export const DEFAULT_THRESHOLDS: Record<DetectorId, number> = {
  injection: 0.6,
  pii: 0.5,
  secrets: 0.5,
  moderation: 0.5,
  canary: 0.5,
};

const rank = (a: SafetyAction) => SAFETY_ACTIONS.indexOf(a);

export async function checkText(
  stage: SafetyStage,
  text: string,
  policy: EffectivePolicy,
  opts: CheckOptions = {},
): Promise<Verdict> {
  const started = performance.now();
  const rules = policy[stage];
  const detectors = activeDetectors(rules);
  return withSpan(safetySpanName(stage), safetyAttributes(stage, detectors.length), async (span) => {
    const raw = detectors.length ? await detectWithBindings(text, { detectors, canary: opts.canary }, opts.ai) : [];
    const verdict = decide(stage, text, raw, policy, opts.redactions, started);
    recordVerdict(span, verdict);
    return verdict;
  });
}

/** The verdict for findings already made (the stream guard detects on its own window). */
export function decide(
  stage: SafetyStage,
  text: string,
  raw: Finding[],
  policy: EffectivePolicy,
  redactions = new Redactions(),
  started = performance.now(),
): Verdict {
  const rules = policy[stage].detectors;
  const findings: ActedFinding[] = [];
  for (const f of raw) {
    const rule = rules[f.detector];
    const action = actionFor(rule, f.category);
    if (action === "allow" || f.score < (rule.threshold ?? DEFAULT_THRESHOLDS[f.detector])) continue;
    findings.push({ ...f, action });
  }
  const action = findings.reduce<SafetyAction>((a, f) => (rank(f.action) > rank(a) ? f.action : a), "allow");
  const redacted = action === "redact" ? redact(text, findings, redactions) : text;
  return { stage, action, findings, text: redacted, latencyMs: performance.now() - started };
}

/**
 * Replaces each redacting finding's span with its placeholder. Placeholders are numbered in reading
 * order (the first email is [EMAIL_1]); a span overlapping an earlier one keeps only its uncovered
 * tail, so nothing a finding covered survives. Replacement goes right to left so offsets hold.
 */
export function redact(text: string, findings: ActedFinding[], redactions: Redactions): string {
  const spans = findings
    .filter((f) => f.action === "redact" && f.start !== undefined && f.end !== undefined)
    .map((f) => ({ category: f.category, start: f.start as number, end: f.end as number }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: { start: number; end: number; placeholder: string }[] = [];
  let reach = 0;
  for (const s of spans) {
    const start = Math.max(s.start, reach);
    if (s.end <= start) continue; // inside a span already taken
    kept.push({ start, end: s.end, placeholder: redactions.placeholder(s.category, text.slice(start, s.end)) });
    reach = s.end;
  }
  let out = text;
  for (const s of kept.reverse()) out = out.slice(0, s.start) + s.placeholder + out.slice(s.end);
  return out;
}
