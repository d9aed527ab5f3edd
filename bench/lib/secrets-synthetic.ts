// A labelled, seeded set of credentials in prose for bench/safety.ts: one real-format value per
// text that must be found, or a near miss (wrong length, wrong prefix, a JWT whose header is not
// JOSE, a placeholder password) that must not.
import type { LabelledText } from "./pii-synthetic";
import { seeded } from "./pii-synthetic";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function secretsSet(count: number, seed = 7): LabelledText[] {
  const r = seeded(seed);
  const chars = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join("");
  const b64url = (s: string) => btoa(s).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const makers: [string, () => string, () => string][] = [
    ["aws_access_key", () => `AKIA${chars(UPPER, 16)}`, () => `AKIA${chars(UPPER, 12)}`],
    ["github_token", () => `ghp_${chars(ALNUM, 36)}`, () => `ghp_${chars(ALNUM, 20)}`],
    [
      "github_token",
      () => `github_pat_${chars(ALNUM, 22)}_${chars(ALNUM, 59)}`,
      () => `github_pat_${chars(ALNUM, 10)}`,
    ],
    ["slack_token", () => `xoxb-${chars("0123456789", 12)}-${chars(ALNUM, 24)}`, () => `xoxz-${chars(ALNUM, 20)}`],
    ["stripe_key", () => `sk_live_${chars(ALNUM, 24)}`, () => "sk_live_example"],
    ["google_api_key", () => `AIza${chars(ALNUM, 35)}`, () => `AIza${chars(ALNUM, 20)}`],
    ["openai_key", () => `sk-${chars(ALNUM, 48)}`, () => "sk-learn-is-a-package-name"],
    [
      "jwt",
      () => `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${chars(ALNUM, 8)}"}`)}.${chars(ALNUM, 43)}`,
      () => `${b64url('{"foo":"bar"}')}.${b64url('{"sub":"1"}')}.${chars(ALNUM, 43)}`,
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder, as written in config files
    ["url_password", () => chars(ALNUM, 14), () => "${DB_PASSWORD}"],
  ];
  const prose = [
    (v: string) => `Deploy is failing, here is the config value ${v} — can you see why?`,
    (v: string) => `I pasted ${v} into the settings page by mistake.`,
    (v: string) => `export TOKEN=${v}\nnpm run deploy`,
  ];
  return Array.from({ length: count }, () => {
    const [category, good, bad] = makers[Math.floor(r() * makers.length)] as (typeof makers)[number];
    const valid = r() < 0.6;
    const value = valid ? good() : bad();
    if (category === "url_password") {
      const text = `connect with postgres://app:${value}@db.example.internal:5432/main please`;
      return { text, expected: valid ? [{ category, value }] : [] };
    }
    const text = (prose[Math.floor(r() * prose.length)] as (v: string) => string)(value);
    return { text, expected: valid ? [{ category, value }] : [] };
  });
}
