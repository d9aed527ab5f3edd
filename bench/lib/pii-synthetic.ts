// A labelled, seeded set of personal data embedded in prose for bench/safety.ts and the detector
// tests: for every kind the PII detector validates, real-looking values with correct check digits
// (formatted and unformatted) that must be found, and near misses (a wrong check digit, a banned
// SSN area, an octet over 255) that must not. Pure TypeScript, so it also runs inside workerd.
import { dniLetter, luhn, verhoeff } from "../../worker/safety/detectors/checksums";

export interface LabelledText {
  text: string;
  /** The spans that must be found: category and exact value. */
  expected: { category: string; value: string }[];
}

/** mulberry32: small, seeded, deterministic. */
export function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const digits = (r: Rand, n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join("");

function luhnComplete(body: string): string {
  for (let d = 0; d < 10; d++) if (luhn(body + d)) return body + d;
  throw new Error("unreachable");
}
const breakLast = (s: string) => s.slice(0, -1) + String((Number(s.at(-1)) + 1) % 10);

function card(r: Rand, valid: boolean): string {
  const [prefix, len] = pick(r, [
    ["4", 16],
    ["51", 16],
    ["55", 16],
    ["2221", 16],
    ["34", 15],
    ["37", 15],
    ["6011", 16],
    ["4", 13],
  ] as const);
  const number = luhnComplete(prefix + digits(r, len - prefix.length - 1));
  const n = valid ? number : breakLast(number);
  const style = pick(r, ["plain", "space", "dash"]);
  if (style === "plain") return n;
  const groups = len === 15 ? [4, 6, 5] : len === 13 ? [4, 4, 5] : [4, 4, 4, 4];
  let at = 0;
  const parts = groups.map((g) => {
    at += g;
    return n.slice(at - g, at);
  });
  return parts.join(style === "space" ? " " : "-");
}

function iban(r: Rand, valid: boolean): string {
  const [cc, bban] = pick(r, [
    ["DE", () => digits(r, 18)],
    ["GB", () => `NWBK${digits(r, 14)}`],
    ["FR", () => digits(r, 23)],
    ["NL", () => `ABNA${digits(r, 10)}`],
  ] as const);
  const body = bban();
  const numeric = [...`${body}${cc}00`].map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch)).join("");
  let rest = 0;
  for (const ch of numeric) rest = (rest * 10 + Number(ch)) % 97;
  const check = String(98 - rest).padStart(2, "0");
  const compact = `${cc}${valid ? check : String((Number(check) % 97) + 1).padStart(2, "0")}${body}`;
  return r() < 0.5 ? compact : (compact.match(/.{1,4}/g) as string[]).join(" ");
}

function ssn(r: Rand, valid: boolean): string {
  const area = valid ? String(1 + Math.floor(r() * 665)).padStart(3, "0") : pick(r, ["000", "666", `9${digits(r, 2)}`]);
  const group = valid || r() < 0.5 ? String(1 + Math.floor(r() * 99)).padStart(2, "0") : "00";
  return `${area === "666" && valid ? "667" : area}-${group}-${String(1 + Math.floor(r() * 9999)).padStart(4, "0")}`;
}

function aadhaar(r: Rand, valid: boolean): string {
  const body = String(2 + Math.floor(r() * 8)) + digits(r, 10);
  let full = "";
  for (let d = 0; d < 10; d++) if (verhoeff(body + d)) full = body + d;
  if (!valid) full = breakLast(full);
  return r() < 0.5 ? full : `${full.slice(0, 4)} ${full.slice(4, 8)} ${full.slice(8)}`;
}

function dni(r: Rand, valid: boolean): string {
  const n = 10_000_000 + Math.floor(r() * 89_999_999);
  const letter = dniLetter(valid ? n : n + 1);
  return `${n}${letter}`;
}

const NAMES = ["jane.doe", "j.smith", "maria_garcia", "li.wei+news", "o.connor", "k.tanaka"];
const DOMAINS = ["example.com", "mail.example.org", "corp.example.co.uk", "example.net"];
const PHONES = [
  "+44 20 7946 0958",
  "(415) 555-2671",
  "+1 212-555-0148",
  "+49 30 901820",
  "+33 6 12 34 56 78",
  "646.555.0199",
];
const NOT_PHONES = ["2023-11-05", "v1.2.3", "1,234,567", "12:30:45"];

const TEMPLATES = [
  (v: string) => `Hi team, please use ${v} for this one and let me know if anything is off.`,
  (v: string) => `As discussed on the call yesterday, the value is ${v}. Thanks!`,
  (v: string) => `Customer note (${v}) — follow up before Friday.`,
  (v: string) => `${v} was in the form they submitted, together with the shipping details.`,
  (v: string) => `Could you double-check this: ${v}? The last batch had a few typos.`,
];

/** `count` texts, each embedding 1-3 values, roughly half of them valid. */
export function piiSet(count: number, seed = 42): LabelledText[] {
  const r = seeded(seed);
  const makers: [string, (valid: boolean) => string][] = [
    ["credit_card", (v) => card(r, v)],
    ["iban", (v) => iban(r, v)],
    ["us_ssn", (v) => ssn(r, v)],
    ["in_aadhaar", (v) => aadhaar(r, v)],
    ["es_dni", (v) => dni(r, v)],
    ["email", (v) => (v ? `${pick(r, NAMES)}@${pick(r, DOMAINS)}` : `${pick(r, NAMES)} at ${pick(r, DOMAINS)}`)],
    ["phone", (v) => (v ? pick(r, PHONES) : pick(r, NOT_PHONES))],
    [
      "ip_address",
      (v) =>
        v
          ? [10 + Math.floor(r() * 200), Math.floor(r() * 256), Math.floor(r() * 256), 1 + Math.floor(r() * 254)].join(
              ".",
            )
          : `${256 + Math.floor(r() * 100)}.1.2.3`,
    ],
  ];
  return Array.from({ length: count }, () => {
    const parts: string[] = [];
    const expected: LabelledText["expected"] = [];
    for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
      const [category, make] = pick(r, makers);
      const valid = r() < 0.55;
      const value = make(valid);
      if (valid) expected.push({ category, value });
      parts.push(pick(r, TEMPLATES)(value));
    }
    return { text: parts.join(" "), expected };
  });
}

/** Prose of about `length` characters (whole sentences, then cut), for latency runs. */
export function proseOfLength(length: number, seed: number): string {
  let text = "";
  for (const item of piiSet(Math.ceil(length / 60), seed)) {
    text += `${item.text} `;
    if (text.length >= length) break;
  }
  return text.slice(0, length);
}
