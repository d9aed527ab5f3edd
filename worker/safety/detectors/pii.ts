// Personal data, validated: a pattern alone is a candidate, and only candidates whose checksum or
// structure holds are reported (an invalid Luhn is not a card, 000-12-3456 is not an SSN). Every
// finding's span is in the original text, so the pipeline can redact it in place.
import { findNumbers } from "libphonenumber-js/min";
import type { Finding } from "../types";
import { dniLetter, ibanMod97, luhn, verhoeff } from "./checksums";
import { seq } from "./regex";

/** A pattern match; invalid ones still claim their span, so a bad IBAN's digits are not read as a phone number. */
interface Candidate {
  category: string;
  start: number;
  end: number;
  valid: boolean;
}
type Span = Candidate;

const EMAIL = seq(
  [
    /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@/,
    /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/,
  ],
  "g",
);
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g;
const SSN = /(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/g;
const SSN_CONTEXT = /\b(?:ssn|social security|soc\.? sec\.?)\b[^\n]{0,24}$/i;
const IPV4 = /(?<!\d|\d\.)(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\d|\.\d)/g;
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])/g;
const NINO = /(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])/g;
const NINO_BANNED = new Set(["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"]);
const DNI = /(?<![A-Za-z0-9])([XYZ]?)(\d{7,8})-?([A-Z])(?![A-Za-z0-9])/g;
const AADHAAR = /(?<![\d-])[2-9]\d{3}([ -]?)\d{4}\1\d{4}(?![\d-])/g;
const PHONE_CANDIDATE = /(?:\+|(?<![\w.]))\(?\d[\d ().-]{5,20}\d(?![\w])/g;
/**
 * Digits in pairs only ("57 68 61 74 20 69"): a hex dump or a date, never a national number as
 * written in the US (3-3-4, 1-3-3-4 or ten in a row); international numbers carry a "+".
 */
const PAIRS_ONLY = /^\(?\d{1,2}(?:[ ().-]+\d{1,2}){3,}\)?$/;
/** libphonenumber calls per text: bounded, so a text of digit decoys cannot make the check slow. */
const MAX_PHONE_LOOKUPS = 64;

/** IBAN lengths by country (ISO 13616 registry). */
const IBAN_LENGTHS: Record<string, number> = Object.fromEntries(
  (
    "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 EE20 EG29 ES24 " +
    "FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 " +
    "LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 " +
    "SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20"
  )
    .split(" ")
    .map((e) => [e.slice(0, 2), Number(e.slice(2))]),
);

/** Issuer prefixes of the card networks: a Luhn-valid number outside them is an order number, not a card. */
const CARD_PREFIX =
  /^(?:4|5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[47]|3(?:0[0-5]|[68])|6(?:011|5|4[4-9]|2)|35)/;

function cards(text: string, out: Span[]) {
  for (const m of text.matchAll(CARD)) {
    const raw = m[0];
    const digits = raw.replace(/\D/g, "");
    const shaped = new Set(raw.replace(/\d/g, "")).size <= 1 && CARD_PREFIX.test(digits);
    if (shaped) out.push({ category: "credit_card", start: m.index, end: m.index + raw.length, valid: luhn(digits) });
  }
}

function ibans(text: string, out: Span[]) {
  for (const m of text.matchAll(IBAN)) {
    const compact = m[0].replace(/ /g, "");
    const len = IBAN_LENGTHS[compact.slice(0, 2)];
    if (!len || compact.length < len) {
      out.push({ category: "iban", start: m.index, end: m.index + m[0].length, valid: false });
      continue;
    }
    let end = m.index; // a following word glued by a space is not part of it
    for (let seen = 0; seen < len; end++) if (text[end] !== " ") seen++;
    out.push({ category: "iban", start: m.index, end, valid: ibanMod97(compact.slice(0, len)) });
  }
}

/** SSA rules: no area 000, 666 or 900-999, no group 00, no serial 0000; unformatted only after "SSN". */
function ssns(text: string, out: Span[]) {
  for (const m of text.matchAll(SSN)) {
    const [, area = "", sep, group = "", serial = ""] = m;
    if (!sep && !SSN_CONTEXT.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    const valid = area !== "000" && area !== "666" && area[0] !== "9" && group !== "00" && serial !== "0000";
    out.push({ category: "us_ssn", start: m.index, end: m.index + m[0].length, valid });
  }
}

function ipv6Valid(s: string): boolean {
  const halves = s.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h ? h.split(":") : []));
  if (groups.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g) && !/^\d{1,3}(?:\.\d{1,3}){3}$/.test(g))) return false;
  const hexDigits = groups.join("").replace(/[^0-9A-Fa-f]/g, "").length;
  return halves.length === 2 ? groups.length >= 2 && groups.length <= 7 && hexDigits >= 4 : groups.length === 8;
}

/** Whether two colons stand at most four hex digits apart somewhere: every IPv6 address has that, prose rarely. */
function colonPair(text: string): boolean {
  for (let at = text.indexOf(":"); at >= 0; ) {
    const next = text.indexOf(":", at + 1);
    if (next < 0) return false;
    if (next - at <= 5 && /^[0-9A-Fa-f]*$/.test(text.slice(at + 1, next))) return true;
    at = next;
  }
  return false;
}

function ips(text: string, out: Span[]) {
  for (const m of text.matchAll(IPV4))
    out.push({ category: "ip_address", start: m.index, end: m.index + m[0].length, valid: true });
  if (!colonPair(text)) return;
  for (const m of text.matchAll(IPV6)) {
    if (ipv6Valid(m[0])) out.push({ category: "ip_address", start: m.index, end: m.index + m[0].length, valid: true });
  }
}

function nationalIds(text: string, out: Span[]) {
  for (const m of text.matchAll(NINO)) {
    const valid = !NINO_BANNED.has(m[1] as string);
    out.push({ category: "uk_nino", start: m.index, end: m.index + m[0].length, valid });
  }
  for (const m of text.matchAll(DNI)) {
    const [, prefix = "", digits = "", letter] = m;
    if (digits.length !== (prefix ? 7 : 8)) continue;
    const n = Number(prefix ? `${"XYZ".indexOf(prefix)}${digits}` : digits);
    out.push({ category: "es_dni", start: m.index, end: m.index + m[0].length, valid: dniLetter(n) === letter });
  }
  for (const m of text.matchAll(AADHAAR)) {
    const valid = verhoeff(m[0].replace(/\D/g, ""));
    out.push({ category: "in_aadhaar", start: m.index, end: m.index + m[0].length, valid });
  }
}

const overlaps = (spans: Span[], start: number, end: number) => spans.some((s) => s.start < end && start < s.end);

/** libphonenumber keeps an opening bracket before "+44 ..." that has no closing one: not part of the number. */
function trimBracket(text: string, start: number, end: number): number {
  const span = text.slice(start, end);
  return span.startsWith("(") && !span.includes(")") ? start + 1 : start;
}

/**
 * Phone numbers by libphonenumber-js (min metadata: valid lengths and prefixes per country). Its
 * matcher costs tens of microseconds per call, so it only sees short digit runs found by a cheap
 * pattern, and never a span another candidate already claimed (a card is not also a phone).
 */
function phones(text: string, out: Span[]) {
  const claimed = [...out];
  // A run of the same digits ("12345 12345 …") yields the same candidate again and again: ask once.
  const seen = new Map<string, { startsAt: number; endsAt: number }[]>();
  let lookups = 0;
  for (const m of text.matchAll(PHONE_CANDIDATE)) {
    const digits = m[0].replace(/\D/g, "").length;
    if (digits < 7 || digits > 15 || PAIRS_ONLY.test(m[0]) || overlaps(claimed, m.index, m.index + m[0].length))
      continue;
    const from = Math.max(0, m.index - 1);
    const candidate = text.slice(from, m.index + m[0].length);
    let valid = seen.get(candidate);
    if (!valid) {
      if (++lookups > MAX_PHONE_LOOKUPS) break;
      valid = findNumbers(candidate, { defaultCountry: "US", v2: true })
        .filter((found) => found.number.isValid())
        .map(({ startsAt, endsAt }) => ({ startsAt, endsAt }));
      seen.set(candidate, valid);
    }
    for (const found of valid) {
      const end = from + found.endsAt;
      out.push({ category: "phone", start: trimBracket(text, from + found.startsAt, end), end, valid: true });
    }
  }
}

/** Keeps the first candidate of overlapping ones (detectors run in order of specificity), then the valid ones. */
function resolve(candidates: Span[]): Span[] {
  const kept: Span[] = [];
  for (const c of candidates) if (!overlaps(kept, c.start, c.end)) kept.push(c);
  return kept.filter((c) => c.valid);
}

/**
 * Email addresses, searched from each "@" only: a local part is at most 64 characters and holds
 * no "@", so no address starts more than 64 characters before the first "@" after the last one
 * found. Scanning the whole text with the pattern's look-behind costs several times more.
 */
function emails(text: string, out: Span[]) {
  let from = 0;
  for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", from)) {
    EMAIL.lastIndex = Math.max(from, at - 64);
    const m = EMAIL.exec(text);
    if (!m) return;
    from = m.index + m[0].length;
    if (!/:\/\/[^\s/@]*$/.test(text.slice(Math.max(0, m.index - 80), m.index))) {
      out.push({ category: "email", start: m.index, end: from, valid: true });
    }
  }
}

export function detectPii(text: string): Finding[] {
  const spans: Span[] = [];
  emails(text, spans);
  if (/\d/.test(text)) {
    ibans(text, spans);
    cards(text, spans);
    ssns(text, spans);
    ips(text, spans);
    nationalIds(text, spans);
    phones(text, spans);
  }
  return resolve(spans).map(({ category, start, end }) => ({
    detector: "pii",
    category,
    score: 1,
    start,
    end,
    source: "local",
  }));
}
