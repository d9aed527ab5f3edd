// Credentials by their published formats: cloud and SaaS API keys, JWTs whose header really is a
// JOSE header, PEM private keys and passwords written into URLs. Spans are in the original text;
// for a URL only the password itself is the span, so redaction keeps the rest of the link.
import type { Finding } from "../types";
import { seq } from "./regex";

interface Pattern {
  category: string;
  re: RegExp;
  /** Extra check on the match, for formats a regex cannot settle. */
  valid?: (m: RegExpMatchArray) => boolean;
}

const AWS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g;
const AWS_SECRET = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
export const AWS_SECRET_LABEL = /aws.{0,20}secret|secret.{0,20}access/i;
/** How far from an access key id (or its label) a 40-character string is read as its secret. */
const AWS_SECRET_REACH = 200;

const mixed = (s: string) => /\d/.test(s) && /[A-Za-z]/.test(s);

function jwtHeader(m: RegExpMatchArray): boolean {
  try {
    const part = (m[1] as string).replace(/-/g, "+").replace(/_/g, "/");
    const header: unknown = JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4)));
    return typeof header === "object" && header !== null && typeof (header as { alg?: unknown }).alg === "string";
  } catch {
    return false;
  }
}

const PATTERNS: Pattern[] = [
  { category: "github_token", re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/g },
  { category: "github_token", re: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/g },
  {
    category: "slack_token",
    re: /(?<![A-Za-z0-9-])xox[abpr]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])/g,
    valid: (m) => mixed(m[0]),
  },
  { category: "stripe_key", re: /(?<![A-Za-z0-9_])[sr]k_live_[A-Za-z0-9]{20,247}(?![A-Za-z0-9_])/g },
  { category: "google_api_key", re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g },
  {
    category: "openai_key",
    re: seq(
      [
        /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d{2}-)?/,
        /[A-Za-z0-9_-]{20,200}(?![A-Za-z0-9_-])/,
      ],
      "g",
    ),
    valid: (m) => mixed(m[0].slice(3)) && /[A-Z]/.test(m[0]),
  },
  {
    category: "jwt",
    re: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_.-])/g,
    valid: jwtHeader,
  },
  {
    category: "private_key",
    re: seq(
      [
        /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/,
        /(?:[\s\S]{0,16000}?-----END [A-Z ]{0,20}PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=:\s-]*)/,
      ],
      "g",
    ),
  },
];

/**
 * How each format above begins, literally (the AWS secret and URL passwords have no such start):
 * a streamed answer holds back any tail that could still become one of them.
 */
export const SECRET_STARTS = [
  ...["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xoxa-", "xoxb-", "xoxp-", "xoxr-"],
  ...["sk_live_", "rk_live_", "AIza", "sk-", "eyJ", "AKIA", "ASIA", "ABIA", "ACCA", "-----BEGIN"],
];

/** `scheme://user:password@host`: the password, unless it is a placeholder. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]{1,64}:([^\s@/]{1,128})@[^\s/@]+/gi;
const PLACEHOLDER = /^(?:\*+|x+|\.\.\.|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|\$[A-Z_]+|password|pass|secret)$/i;

function awsKeys(text: string, out: Finding[]) {
  const ids = [...text.matchAll(AWS_KEY_ID)];
  for (const m of ids) out.push(finding("aws_access_key", m.index, m.index + m[0].length));
  const labelled = AWS_SECRET_LABEL.test(text);
  if (!ids.length && !labelled) return;
  for (const m of text.matchAll(AWS_SECRET)) {
    const near = ids.some((id) => Math.abs(id.index - m.index) <= AWS_SECRET_REACH);
    const label = labelled && AWS_SECRET_LABEL.test(text.slice(Math.max(0, m.index - 60), m.index));
    if ((near || label) && mixed(m[0])) out.push(finding("aws_secret_key", m.index, m.index + m[0].length));
  }
}

const finding = (category: string, start: number, end: number): Finding => ({
  detector: "secrets",
  category,
  score: 1,
  start,
  end,
  source: "local",
});

export function detectSecrets(text: string): Finding[] {
  const out: Finding[] = [];
  awsKeys(text, out);
  for (const p of PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      if (!p.valid || p.valid(m)) out.push(finding(p.category, m.index, m.index + m[0].trimEnd().length));
    }
  }
  if (text.includes("://")) {
    for (const m of text.matchAll(URL_PASSWORD)) {
      const password = m[1] as string;
      if (PLACEHOLDER.test(password)) continue;
      const start = m.index + m[0].indexOf(`:${password}@`) + 1;
      out.push(finding("url_password", start, start + password.length));
    }
  }
  return out;
}
