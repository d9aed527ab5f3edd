// The injection classifier's features, shared by the Worker (scoring) and
// scripts/train-injection-model.ts (training), so both see exactly the same numbers: hashed
// character 3-5-grams and word uni/bi-grams of the normalised text (digits folded to 0) (feature hashing into
// 2^HASH_BITS buckets, each occurrence weighted by 1/|term frequencies|, see weighBuckets and MIN_FEATURES), plus a few hand-written rules for
// what the data rarely shows (chat-template tokens, exfiltration links).

import { oneOf, seq } from "./regex";

export const HASH_BITS = 18;
/**
 * The length prior: a text's summed weights are divided by sqrt(max(features, MIN_FEATURES)), so a
 * text of a few words ("hello", "Say hello") cannot reach a confident score on a handful of n-grams;
 * its rules still fire in full. About 30 characters' worth of features.
 */
export const MIN_FEATURES = 96;
const MASK = (1 << HASH_BITS) - 1;
/** Texts are scored on at most this many characters (the pipeline's longest message plus decoded spans). */
export const MAX_CHARS = 12_000;

export interface Rule {
  name: string;
  re: RegExp;
  /** Rules that mean role play or persona hijack make the finding a "jailbreak". */
  jailbreak?: boolean;
}

const OVERRIDE_VERB = /\b(?:ignore|disregard|forget|override|bypass|skip|discard|drop)\b[^.\n]{0,40}?/;
const OVERRIDE_WHICH =
  /\b(?:previous|prior|above|earlier|preceding|all|any|your|the|system|initial|original)\b[^.\n]{0,24}?/;
const OVERRIDE_WHAT =
  /\b(?:instructions?|prompts?|rules|directions|guidelines|directives|context|commands?|guardrails|restrictions)\b/;

export const RULES: Rule[] = [
  { name: "instruction_override", re: seq([OVERRIDE_VERB, OVERRIDE_WHICH, OVERRIDE_WHAT]) },
  { name: "new_instructions", re: /\b(?:new|updated|real|actual) (?:instructions?|system prompt|rules)\s*[:-]/ },
  {
    name: "role_hijack",
    re: oneOf([
      /\byou are (?:now (?:a|an|in|my|called|named|dan)|no longer|going to (?:act|pretend))\b/,
      /\bfrom now on,? you(?: are|'re| will)\b/,
      /\bdo anything now\b|\bdeveloper mode\b|\bjailbr(?:eak|oken)\b|\b(?:dan|aim|stan) mode\b/,
    ]),
    jailbreak: true,
  },
  {
    name: "prompt_extraction",
    re: seq([
      /\b(?:reveal|print|show|repeat|output|display|leak|tell me|what (?:is|are))\b[^.\n]{0,30}?/,
      /\b(?:system prompt|(?:initial|hidden) (?:prompt|instructions)|your (?:instructions|prompt|rules))\b/,
    ]),
  },
  {
    name: "chat_template",
    re: oneOf(
      [
        /<\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text)\|>/,
        /\[\/?inst\]|<<\/?sys>>|^\s*#{0,3}\s*(?:system|assistant)\s*:/,
      ],
      "m",
    ),
  },
  {
    name: "exfiltration_link",
    re: oneOf([
      /!\[[^\]\n]{0,100}\]\(\s*https?:\/\/[^)\s]+\?[^)\s]*=/,
      /<img\b[^>]{0,200}\bsrc\s*=\s*["']?https?:\/\/[^"'\s>]+\?[^"'\s>]*=/,
    ]),
  },
];

/** Room for every feature of the longest text: three character n-grams per character plus two per word. */
const buffer = new Int32Array(MAX_CHARS * 5);
const codes = new Uint16Array(MAX_CHARS);

/**
 * One bucket per feature occurrence, lower-cased input expected. The result is a view of one shared
 * buffer (no allocation per message): read it before the next call.
 */
export function featureBuckets(lower: string): Int32Array {
  const n = Math.min(lower.length, MAX_CHARS);
  let len = 0;
  for (let i = 0; i < n; i++) {
    let c = lower.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0) c = 32;
    else if (c >= 49 && c <= 57) c = 48; // every digit reads as 0: numbers vary, their shape matters
    if (c === 32 && (len === 0 || codes[len - 1] === 32)) continue;
    codes[len++] = c;
  }
  let count = 0;
  // Character 3-, 4- and 5-grams (FNV-1a, extended one character at a time).
  for (let i = 0; i + 3 <= len; i++) {
    let h = 0x811c9dc5;
    for (let k = 0; k < 5 && i + k < len; k++) {
      h = Math.imul(h ^ (codes[i + k] as number), 0x01000193);
      if (k >= 2) buffer[count++] = (h ^ (h >>> 17)) & MASK;
    }
  }
  // Word unigrams and bigrams: letters, digits and anything outside ASCII and general punctuation.
  let word = 0x9747b28c;
  let inWord = false;
  let prev = 0;
  for (let i = 0; i <= len; i++) {
    const c = i < len ? (codes[i] as number) : 32;
    const isWord =
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      (c >= 0xc0 && (c < 0x2000 || c > 0x206f) && (c < 0x3000 || c > 0x303f));
    if (isWord) {
      word = Math.imul(word ^ c, 0x01000193);
      inWord = true;
      continue;
    }
    if (!inWord) continue;
    const uni = Math.imul(word ^ 0x3c6ef372, 0x85ebca6b);
    buffer[count++] = (uni ^ (uni >>> 15)) & MASK;
    if (prev) {
      const bi = Math.imul(Math.imul(prev, 0x27d4eb2d) ^ word, 0xc2b2ae35);
      buffer[count++] = (bi ^ (bi >>> 13)) & MASK;
    }
    prev = word;
    word = 0x9747b28c;
    inWord = false;
  }
  return buffer.subarray(0, count);
}

/** The scale the model is trained with: 1/sqrt(feature occurrences), at least 1/sqrt(MIN_FEATURES). */
export const trainingScale = (count: number): number => 1 / Math.sqrt(Math.max(count, MIN_FEATURES));

/** Occurrences per bucket while one text is measured; always all zero between calls. */
const tally = new Uint16Array(1 << HASH_BITS);

/**
 * A text's summed weights and the scale they are scored at, in one walk over its buckets (the
 * weights and the tally are both read at random, so one walk halves the cache misses). The
 * scale is what each feature occurrence contributes: 1 / the length of the text's
 * term-frequency vector (at least sqrt(MIN_FEATURES)). For text whose features occur once this
 * is exactly the training scale; for text repeating itself ("xxxx...", one line pasted 500
 * times) the repeats no longer add up to a confident score. Training keeps trainingScale: on the
 * labelled sets the TF norm trained a model that flagged far more prose holding personal data.
 */
export function weighBuckets(buckets: ArrayLike<number>, weights: ArrayLike<number>): { sum: number; scale: number } {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i] as number;
    const c = tally[b] as number;
    sum += weights[b] as number;
    squares += 2 * c + 1; // (c + 1)^2 - c^2
    tally[b] = c + 1;
  }
  for (let i = 0; i < buckets.length; i++) tally[buckets[i] as number] = 0;
  return { sum, scale: 1 / Math.sqrt(Math.max(squares, MIN_FEATURES)) };
}

/** Which rules fire on the lower-cased, normalised text (one flag per entry of RULES). */
export const ruleHits = (lower: string): boolean[] => RULES.map((r) => r.re.test(lower));
