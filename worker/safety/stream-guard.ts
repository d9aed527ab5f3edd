// The output stage over a streamed answer. Text that could still grow into a value the policy
// redacts or blocks is held back until it cannot: a run of digit groups (card, phone, IBAN, SSN),
// a tail that could become a key's known start ("sk-", "ghp_", "AKIA", "eyJ", a PEM block), a
// word holding "://" (a password in a URL), a tail that could become the canary, and, only when
// the policy redacts email addresses (not the default), the whole last word: an address is one
// word that could start with any word. Everything else leaves at once, so an ordinary answer's
// first token is not delayed. Detection runs over the held text plus the last released
// characters, so a value whose harmless start already left (a URL's scheme, an AWS secret's label)
// is still found and its held part redacted. Released text is redacted with the conversation's
// placeholders; a block stops the stream (what was released stays released). Only the local
// detectors run here: they are synchronous and cheap.
import { detect } from "./detectors";
import { AWS_SECRET_LABEL, SECRET_STARTS } from "./detectors/secrets";
import { decide, redact, type Verdict } from "./pipeline";
import { actionFor, activeDetectors, type EffectivePolicy, type EffectiveStage } from "./policy";
import { Redactions } from "./redactions";
import { streamVerdictSpan } from "./spans";
import type { DetectorId } from "./types";

/** Past this a held tail is released anyway (a run of digits that never ends). */
const MAX_HOLD_CHARS = 4096;
/** Released characters kept as context for detection: an AWS key id or label reaches 200 characters. */
const CONTEXT_CHARS = 256;

const isSpace = (ch: string) => ch === " " || ch === "\n" || ch === "\t" || ch === "\r";
const isDigit = (ch: string) => ch >= "0" && ch <= "9";
/** What separates the groups of a card, phone, IBAN or SSN. */
const isGroupChar = (ch: string) => isDigit(ch) || ch === " " || "()./+-".includes(ch);
const isUpper = (ch: string) => ch >= "A" && ch <= "Z";
const isWordStart = (text: string, at: number) => at === 0 || !/[A-Za-z0-9]/.test(text[at - 1] as string);

/** An IBAN under way at the end of the text: country letters, check digits, then letter and digit groups. */
const IBAN_TAIL = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){0,30} ?$/;
/** Country letters (IBAN, UK NI number: "AB 12 34 56 C") or a NIE's X/Y/Z that digits may follow. */
const LETTERS_TAIL = /(?<![A-Za-z0-9])[A-Z]{1,2} ?$/;
/** A word that may be the start of an IPv6 address ("fe80::1", "abcd:ef01:…", "::1"). */
const IPV6_START = /^[0-9A-Fa-f:.]+$/;
const AWS_KEY_ID = /(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}/;
const PII_DIGIT_GROUPS = ["credit_card", "phone", "us_ssn", "in_aadhaar", "iban", "uk_nino", "es_dni", "ip_address"];
const LONGEST_SECRET_START = Math.max(...SECRET_STARTS.map((w) => w.length));
const PII_LETTER_STARTS = ["iban", "uk_nino", "es_dni"];

/** What the output stage's policy acts on (redact or block), which decides what must be held. */
interface Holds {
  emails: boolean;
  digitGroups: boolean;
  letterStarts: boolean;
  ipv6: boolean;
  secrets: boolean;
  canary: boolean;
}

function holdsFor(stage: EffectiveStage, active: DetectorId[]): Holds {
  const acts = (d: DetectorId, category: string) => {
    const action = actionFor(stage.detectors[d], category);
    return active.includes(d) && (action === "redact" || action === "block");
  };
  return {
    emails: acts("pii", "email"),
    digitGroups: PII_DIGIT_GROUPS.some((c) => acts("pii", c)),
    letterStarts: PII_LETTER_STARTS.some((c) => acts("pii", c)),
    ipv6: acts("pii", "ip_address"),
    // Secret categories are many; a rule naming any of them, or the rule itself, acting means hold.
    secrets:
      active.includes("secrets") &&
      [stage.detectors.secrets.action, ...Object.values(stage.detectors.secrets.categories ?? {})].some(
        (a) => a === "redact" || a === "block",
      ),
    canary: acts("canary", "system_prompt_leak"),
  };
}

/**
 * Where, at or after `from`, the text holds one of `words` or ends in the start of one (the
 * earliest such place), or -1. A word's start is at most `longest` (the longest word) characters.
 */
function startsFrom(text: string, from: number, words: readonly string[], longest: number): number {
  let best = -1;
  for (const w of words) {
    const at = text.indexOf(w, from);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  for (let p = Math.max(from, text.length - longest + 1); p < text.length && (best < 0 || p < best); p++) {
    const tail = text.slice(p);
    if (words.some((w) => w.startsWith(tail))) return p;
  }
  return best;
}

/**
 * Where the held tail of `text` starts (never before `floor`): the earliest place from which the
 * text could still grow into a value the policy acts on. One backward scan for the word and the
 * digit run; the few patterns run on the last word only.
 */
function heldFrom(text: string, floor: number, holds: Holds, canary: string | undefined): number {
  let cut = text.length;
  const hold = (at: number) => {
    cut = Math.max(floor, Math.min(cut, at));
  };
  let word = text.length;
  while (word > 0 && !isSpace(text[word - 1] as string)) word--;
  const last = text.slice(word);
  if (holds.emails && last) hold(word);
  if (holds.secrets) {
    const pem = text.lastIndexOf("-----BEGIN");
    if (pem >= 0 && !/-----END [A-Z ]+-----/.test(text.slice(pem))) hold(pem);
    if (last.includes("://")) hold(word);
    const near = text.slice(-CONTEXT_CHARS);
    if (last && (AWS_KEY_ID.test(near) || AWS_SECRET_LABEL.test(near))) hold(word);
    const start = startsFrom(text, word, SECRET_STARTS, LONGEST_SECRET_START);
    if (start >= 0) hold(start);
  }
  if (holds.canary && canary) {
    if (/[^\x20-\x7E]/.test(last)) hold(word); // invisible characters or look-alikes may hide it
    const start = startsFrom(text, Math.max(0, text.length - canary.length), [canary], canary.length);
    if (start >= 0) hold(start);
  }
  if (holds.ipv6 && last && IPV6_START.test(last) && (last.includes(":") || last.length <= 4)) hold(word);
  if (holds.letterStarts) {
    const letters = LETTERS_TAIL.exec(text.slice(-4));
    if (letters) hold(text.length - letters[0].length);
    const iban = IBAN_TAIL.exec(text.slice(-40));
    if (iban) hold(text.length - iban[0].length);
  }
  if (holds.digitGroups) {
    let run = text.length;
    while (run > 0 && isGroupChar(text[run - 1] as string)) run--;
    // The run counts from its first digit (a "+" or "(" just before it belongs to a phone number).
    const groups = run;
    while (run < text.length && !isDigit(text[run] as string)) run++;
    if (run === text.length) {
      // No digit yet: a "+" or "(" may still open a phone number.
      const open = text.slice(groups).search(/[+(]/);
      if (open >= 0) hold(groups + open);
    } else {
      if (run > 0 && "+(".includes(text[run - 1] as string)) run--;
      // Country letters of an IBAN or a UK NI number ("AB 12 34 56 C"), or the X/Y/Z of a Spanish
      // NIE, at a word start.
      const letters = text[run - 1] === " " ? run - 1 : run;
      if (letters >= 2 && isUpper(text[letters - 1] as string) && isUpper(text[letters - 2] as string)) {
        if (isWordStart(text, letters - 2)) run = letters - 2;
      } else if (run >= 1 && "XYZ".includes(text[run - 1] as string) && isWordStart(text, run - 1)) run -= 1;
      hold(run);
    }
  }
  return cut;
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
  /** The last released characters as they came from the model (before redaction). */
  private context = "";
  private readonly detectors: DetectorId[];
  private readonly holds: Holds;
  /** Findings without a span (a score over the window) are acted on once per answer. */
  private readonly seen = new Set<string>();
  blocked = false;

  constructor(
    private readonly policy: EffectivePolicy,
    private readonly redactions: Redactions,
    private readonly canary?: string,
  ) {
    this.detectors = activeDetectors(policy.output);
    this.holds = holdsFor(policy.output, this.detectors);
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
    const window = this.context + text;
    const shift = this.context.length;
    const raw = detect(window, { detectors: this.detectors, ...(this.canary ? { canary: this.canary } : {}) })
      // Values wholly inside the released context were acted on when they were released.
      .filter((f) => f.end === undefined || f.end > shift)
      .map((f) =>
        f.start === undefined ? f : { ...f, start: Math.max(0, f.start - shift), end: (f.end ?? 0) - shift },
      );
    // Placeholders are numbered as values are released, not as they are seen while held (a held
    // "192.168.10.2" may still become "192.168.10.20"): deciding gets a scratch numbering.
    const verdict = decide("output", text, raw, this.policy, new Redactions());
    if (verdict.action === "block") {
      this.blocked = true;
      this.pending = "";
      const blocking = { ...verdict, findings: verdict.findings.filter((f) => f.action === "block") };
      streamVerdictSpan(blocking, this.detectors.length);
      return { text: "", verdict: blocking, checked: text };
    }
    const floor = Math.max(shift, window.length - MAX_HOLD_CHARS);
    let cut = final ? text.length : heldFrom(window, floor, this.holds, this.canary) - shift;
    // A value straddling the cut is held whole.
    for (const f of verdict.findings) {
      if (f.start !== undefined && f.end !== undefined && f.start < cut && f.end > cut) cut = Math.min(cut, f.start);
    }
    const released = text.slice(0, cut);
    this.pending = text.slice(cut);
    this.context = (this.context + released).slice(-CONTEXT_CHARS);
    const acted = verdict.findings.filter((f) => {
      if (f.start !== undefined && f.end !== undefined) return f.end <= cut;
      const key = `${f.detector}:${f.category}`;
      if (this.seen.has(key)) return false;
      this.seen.add(key);
      return true;
    });
    const out = redact(released, acted, this.redactions);
    const action = acted.some((f) => f.action === "redact") ? "redact" : acted.length ? "flag" : "allow";
    const actedOn: Verdict | null = acted.length ? { ...verdict, action, findings: acted, text: out } : null;
    if (actedOn) streamVerdictSpan(actedOn, this.detectors.length);
    return { text: out, verdict: actedOn, checked: released };
  }
}
