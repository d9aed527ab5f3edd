// The output stage over a streamed answer. Text that could still grow into a value a detector
// matches is held back: the last word (an email, a key, the canary are single words), a run of
// digits and separators before it (card, phone, IBAN groups), an open PEM block. So a value
// split across deltas is always checked whole before any of it leaves the Worker; the cost is
// that each word is released when the next one starts. Released text is redacted with the
// conversation's placeholders; a block stops the stream (what was released stays released).
// Only the local detectors run here: they are synchronous and cheap.
import { detect } from "./detectors";
import { decide, redact, type Verdict } from "./pipeline";
import { activeDetectors, type EffectivePolicy } from "./policy";
import type { Redactions } from "./redactions";
import type { DetectorId } from "./types";

/** Past this a held tail is released anyway (a run of digits that never ends). */
const MAX_HOLD_CHARS = 4096;

const isSpace = (ch: string) => ch === " " || ch === "\n" || ch === "\t" || ch === "\r";
const isDigit = (ch: string) => ch >= "0" && ch <= "9";
/** What separates the groups of a card, phone, IBAN or SSN. */
const isGroupChar = (ch: string) => isDigit(ch) || ch === " " || "()./+-".includes(ch);
const isUpper = (ch: string) => ch >= "A" && ch <= "Z";

/**
 * Where the tail that may still grow into a detected value starts: an open PEM block; else the
 * last word, widened over a run of digit groups before it and an IBAN's country letters.
 * One backward scan (no regex: this runs on every delta).
 */
function heldFrom(text: string): number {
  const floor = Math.max(0, text.length - MAX_HOLD_CHARS);
  const pem = text.lastIndexOf("-----BEGIN");
  if (pem >= floor && !/-----END [A-Z ]+-----/.test(text.slice(pem))) return pem;
  let at = text.length;
  while (at > floor && !isSpace(text[at - 1] as string)) at--;
  let run = at;
  while (run > floor && isGroupChar(text[run - 1] as string)) run--;
  // The run counts from its first digit (a "+" or "(" just before it belongs to a phone number).
  while (run < at && !isDigit(text[run] as string)) run++;
  if (run < at) {
    if (run > floor && "+(".includes(text[run - 1] as string)) run--;
    at = run;
  }
  if (at - 2 >= floor && isUpper(text[at - 1] as string) && isUpper(text[at - 2] as string)) at -= 2;
  return at;
}

export interface Release {
  /** Text that may go to the client now (redacted). */
  text: string;
  /** Findings acted on in the released text, or the block that ends the answer. */
  verdict: Verdict | null;
  /** What was checked (before redaction), for the event record. */
  checked: string;
}

export class StreamGuard {
  private pending = "";
  private readonly detectors: DetectorId[];
  /** Findings without a span (a score over the window) are acted on once per answer. */
  private readonly seen = new Set<string>();
  blocked = false;

  constructor(
    private readonly policy: EffectivePolicy,
    private readonly redactions: Redactions,
    private readonly canary?: string,
  ) {
    this.detectors = activeDetectors(policy.output);
  }

  push(delta: string): Release {
    this.pending += delta;
    return this.release(false);
  }

  /** The answer is complete: everything still held is checked and released. */
  end(): Release {
    return this.release(true);
  }

  private release(final: boolean): Release {
    const text = this.pending;
    if (this.blocked || !text) return { text: "", verdict: null, checked: "" };
    if (this.detectors.length === 0) {
      this.pending = "";
      return { text, verdict: null, checked: text };
    }
    const raw = detect(text, { detectors: this.detectors, ...(this.canary ? { canary: this.canary } : {}) });
    const verdict = decide("output", text, raw, this.policy, this.redactions);
    if (verdict.action === "block") {
      this.blocked = true;
      this.pending = "";
      return {
        text: "",
        verdict: { ...verdict, findings: verdict.findings.filter((f) => f.action === "block") },
        checked: text,
      };
    }
    let cut = final ? text.length : heldFrom(text);
    // A value straddling the cut is held whole.
    for (const f of verdict.findings) {
      if (f.start !== undefined && f.end !== undefined && f.start < cut && f.end > cut) cut = Math.min(cut, f.start);
    }
    const released = text.slice(0, cut);
    this.pending = text.slice(cut);
    const acted = verdict.findings.filter((f) => {
      if (f.start !== undefined && f.end !== undefined) return f.end <= cut;
      const key = `${f.detector}:${f.category}`;
      if (this.seen.has(key)) return false;
      this.seen.add(key);
      return true;
    });
    const out = redact(released, acted, this.redactions);
    const action = acted.some((f) => f.action === "redact") ? "redact" : acted.length ? "flag" : "allow";
    return {
      text: out,
      verdict: acted.length ? { ...verdict, action, findings: acted, text: out } : null,
      checked: released,
    };
  }
}
