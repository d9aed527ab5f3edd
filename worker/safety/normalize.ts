// Text normalisation ahead of the injection and canary detectors: attackers hide "ignore previous
// instructions" behind fullwidth letters, zero-width joiners, Cyrillic look-alikes or an encoding
// the model will happily decode. This undoes those tricks. The result is for scanning only: PII and
// secrets are found in the original text, so redaction offsets always point into what was checked.

/** Zero-width characters, the soft hyphen and bidi controls (embeddings, overrides, isolates, marks). */
const INVISIBLE = /\u034F|[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Cyrillic and Greek letters that render like Latin ones (NFKC already folds fullwidth forms). */
const HOMOGLYPHS: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  һ: "h",
  ɡ: "g",
  ɑ: "a",
  ı: "i",
  А: "A",
  В: "B",
  Е: "E",
  К: "K",
  М: "M",
  Н: "H",
  О: "O",
  Р: "P",
  С: "C",
  Т: "T",
  Х: "X",
  І: "I",
  Ј: "J",
  Ѕ: "S",
  α: "a",
  β: "b",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  γ: "y",
  Α: "A",
  Β: "B",
  Ε: "E",
  Ζ: "Z",
  Η: "H",
  Ι: "I",
  Κ: "K",
  Μ: "M",
  Ν: "N",
  Ο: "O",
  Ρ: "P",
  Τ: "T",
  Υ: "Y",
  Χ: "X",
};
const CONFUSABLE = new RegExp(`[${Object.keys(HOMOGLYPHS).join("")}]`);
const CONFUSABLES = new RegExp(CONFUSABLE.source, "g");
const LETTER_BEFORE = /[\p{L}\p{M}]$/u;
const LETTER_AT = /^[\p{L}\p{M}]/u;
const LATIN = /[A-Za-z]/;
/**
 * A Latin letter next to a letter or mark outside ASCII (general punctuation such as ’ excluded): a
 * word mixing scripts always has one, so text without one has nothing to fold.
 */
const MIXED =
  /[A-Za-z][\u00AA\u00B5\u00BA\u00C0-\u1FFF\u2070-\uFFFF]|[\u00AA\u00B5\u00BA\u00C0-\u1FFF\u2070-\uFFFF][A-Za-z]/;

/** Limits on decoding: spans are cut to maxSpan; at most maxDecodes succeed and maxAttempts are tried per text. */
export const DECODE_LIMITS = { maxSpan: 4096, maxDecodes: 8, maxAttempts: 32 } as const;

const BASE64_SPAN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}/y;
const HEX_RUN = /(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{2}){8,}(?![0-9A-Za-z])/y;
const ESCAPED_HEX = /(?:\\x[0-9A-Fa-f]{2}){4,}/g;
/** Character classes of ASCII for the span search: bit 1 a hex digit, bit 2 a base64 (or base64url) character. */
const HEX = 1;
const BASE64 = 2;
const CLASSES = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  CLASSES[c] = (/[0-9A-Fa-f]/.test(ch) ? HEX : 0) | (/[A-Za-z0-9+/_-]/.test(ch) ? BASE64 : 0);
}

/**
 * The matches of a sticky pattern that can only start where a run of at least `min` characters of
 * one class starts (its look-behind refuses any other place): tried at those places only, which
 * costs a fraction of a scan that checks the look-behind at every character.
 */
function atRuns(text: string, re: RegExp, cls: number, min: number): string[] {
  const found: string[] = [];
  const inRun = (at: number) => {
    const c = text.charCodeAt(at);
    return c < 128 && ((CLASSES[c] as number) & cls) !== 0;
  };
  for (let i = 0; i < text.length; ) {
    if (!inRun(i)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < text.length && inRun(end)) end++;
    if (end - i >= min) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (m) found.push(m[0]);
    }
    i = end;
  }
  return found;
}
const URL_SPAN = /(?:[^\s%]*%[0-9A-Fa-f]{2}){3,}[^\s%]*/g;

/**
 * URL_SPAN's matches, searched word by word (a span never crosses white space) and only in words
 * with three "%": the pattern run over a whole text retries at every character of every word.
 */
function urlSpans(text: string): string[] {
  const found: string[] = [];
  for (const word of text.split(/\s+/)) {
    if (word.split("%").length < 4) continue;
    for (const m of word.matchAll(URL_SPAN)) found.push(m[0]);
  }
  return found;
}

export interface Normalized {
  /** The text after NFKC, invisible-character stripping and homoglyph folding (offsets differ from the input). */
  text: string;
  /** Text decoded from base64 / hex / URL-encoded spans, in order found. */
  decoded: string[];
  /** `text` followed by every decoded span: what the injection detector scores. */
  scan: string;
}

/**
 * Folds look-alikes only inside words that also contain Latin letters: "іgnоrе" (Cyrillic і, о, е
 * among Latin letters) becomes "ignore", while a Russian or Greek sentence is left as it is.
 */
function foldHomoglyphs(text: string): string {
  if (!CONFUSABLE.test(text) || !MIXED.test(text)) return text;
  // Only the words holding a look-alike are read: from each one found, out to the word's edges.
  let out = "";
  let copied = 0;
  CONFUSABLES.lastIndex = 0;
  for (let m = CONFUSABLES.exec(text); m; m = CONFUSABLES.exec(text)) {
    let start = m.index;
    while (start > 0 && LETTER_BEFORE.test(text.slice(Math.max(0, start - 2), start)))
      start -= letterWidth(text, start);
    let end = m.index + 1;
    while (end < text.length && LETTER_AT.test(text.slice(end, end + 2)))
      end += text.codePointAt(end)! > 0xffff ? 2 : 1;
    CONFUSABLES.lastIndex = end;
    const word = text.slice(start, end);
    if (!LATIN.test(word)) continue;
    out += text.slice(copied, start) + [...word].map((ch) => HOMOGLYPHS[ch] ?? ch).join("");
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The UTF-16 length of the character that ends at `at` (2 for a surrogate pair). */
function letterWidth(text: string, at: number): number {
  const low = text.charCodeAt(at - 1);
  return at >= 2 && low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
}

/** Mostly readable text (letters, digits, punctuation, spaces): anything else was not an encoded message. */
function readable(s: string): boolean {
  if (s.length < 4 || s.includes("\uFFFD")) return false;
  let ok = 0;
  for (const ch of s) if (/[\p{L}\p{N}\p{P}\p{Zs}\n\t\r$+<=>^`|~]/u.test(ch)) ok++;
  return ok / [...s].length >= 0.9;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decodeBytes(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function fromBase64(span: string): string | null {
  const b64 = span.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  if (b64.length % 4 === 1) return null;
  try {
    const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
    return decodeBytes(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

function fromHex(span: string): string | null {
  const hex = span.replace(/\\x/g, "");
  if (hex.length % 2 || !/^[0-9A-Fa-f]+$/.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return decodeBytes(bytes);
}

function fromUrl(span: string): string | null {
  try {
    return decodeURIComponent(span.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

/** Decodes encoded spans, and spans inside what was decoded, up to DECODE_LIMITS.maxDecodes in all. */
function decodeSpans(text: string): string[] {
  const out: string[] = [];
  const queue = [text];
  let attempts = 0;
  while (queue.length && out.length < DECODE_LIMITS.maxDecodes && attempts < DECODE_LIMITS.maxAttempts) {
    const source = queue.shift() as string;
    const spans: [string, (s: string) => string | null][] = [];
    const hex = atRuns(source, HEX_RUN, HEX, 16);
    if (source.includes("\\x")) for (const m of source.matchAll(ESCAPED_HEX)) hex.push(m[0]);
    for (const span of hex) spans.push([span, fromHex]);
    // Base64 of text mixes cases; all-caps codes (IBANs, ids) and hex are not worth a decode.
    for (const span of atRuns(source, BASE64_SPAN, BASE64, 16))
      if (/[a-z]/.test(span) && /[A-Z]/.test(span)) spans.push([span, fromBase64]);
    if (source.includes("%")) for (const span of urlSpans(source)) spans.push([span, fromUrl]);
    for (const [span, decode] of spans) {
      if (out.length >= DECODE_LIMITS.maxDecodes || attempts++ >= DECODE_LIMITS.maxAttempts) break;
      const decoded = decode(span.slice(0, DECODE_LIMITS.maxSpan));
      if (decoded === null || decoded === span || !readable(decoded)) continue;
      out.push(decoded);
      queue.push(decoded);
    }
  }
  return out;
}

/** NFKC, invisible characters stripped, homoglyphs folded. */
export function normalizeText(text: string): string {
  if (/^[\x20-\x7E\n\r\t]*$/.test(text)) return text; // printable ASCII: nothing to fold
  return foldHomoglyphs(text.normalize("NFKC").replace(INVISIBLE, ""));
}

export function normalize(text: string): Normalized {
  const norm = normalizeText(text);
  const decoded = decodeSpans(norm).map(normalizeText);
  return { text: norm, decoded, scan: decoded.length ? `${norm}\n${decoded.join("\n")}` : norm };
}
