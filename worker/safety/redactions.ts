// Typed placeholders for redacted spans, stable within a conversation: the same card number
// is [CREDIT_CARD_1] in every message of it, a second one [CREDIT_CARD_2]. The state is plain
// JSON so a conversation's Durable Object can keep it between turns.

export type RedactionState = Record<string, string[]>;

export class Redactions {
  constructor(private readonly state: RedactionState = {}) {}

  /** The placeholder for one found value, numbering a new value after those seen before. */
  placeholder(category: string, value: string): string {
    const key = category.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
    const seen = (this.state[key] ??= []);
    let n = seen.indexOf(value);
    if (n < 0) n = seen.push(value) - 1;
    return `[${key}_${n + 1}]`;
  }

  toJSON(): RedactionState {
    return this.state;
  }
}
