// The output guard over every way a model may cut its answer into deltas: one character at a
// time and 20 seeded random cuts of 1-5 characters, for each value the default policy redacts or
// blocks (cards, IBANs, UK NI numbers, NIEs, phones, SSNs, IP addresses, API keys, JWTs, URL
// passwords, AWS secrets after their label, PEM keys, the canary, hidden or not) and for emails
// under a policy that redacts them. What leaves the guard must be exactly what checking the whole
// answer at once gives: no part of a value ever leaves ahead of its placeholder, and placeholders
// are numbered in reading order. The chat tests (safety.chat.security.test.ts) prove the same
// through the API for a few cases; this covers the cut points.
import { describe, expect, it } from "vitest";
import { detect } from "../../worker/safety/detectors";
import { decide } from "../../worker/safety/pipeline";
import { activeDetectors, type EffectivePolicy, resolvePolicy } from "../../worker/safety/policy";
import { Redactions } from "../../worker/safety/redactions";
import { StreamGuard } from "../../worker/safety/stream-guard";

const CANARY = "hive-canary-3f9a2c7d10e4b5a6";
const ANSWERS = [
  "Pay with 4111 1111 1111 1111 today.",
  "Card:4111111111111111, ok",
  "I think 4111 1111 1111 1111 and 5500 0000 0000 0004 and 4111 1111 1111 1111 again",
  "IBAN GB82 WEST 1234 5698 7654 32 is mine",
  "IBAN DE89370400440532013000 is mine",
  "NI number AB 12 34 56 C please",
  "NIE X1234567L and DNI 12345678Z",
  "Call +1 (415) 555-2671 now",
  "SSN 078-05-1120 here",
  "Server at 192.168.10.20 and fe80::1ff:fe23:4567:890a now",
  "Mail jane.doe@example.com today, or a@b.co, x.y+z@sub.example.org and a@b.co again",
  "token ghp_abcdefghijklmnopqrstuvwxyz0123456789AB done",
  "key sk-proj-Abc123def456GHI789jkl012mno done",
  "Slack xoxb-1234567890-abcdefghij done",
  "aws AKIAIOSFODNN7EXAMPLE and aws secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end",
  "The secret access key is wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ok",
  "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnopqrstuvwxyz012345 end",
  "db https://admin:hunter2secret@db.example.com/x and ftp://bob:Sup3rS3cret@files.example.org/pub end",
  "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\nend",
  `The canary is ${CANARY} oops`,
  `hidden ${CANARY.split("").join("\u200b")} end`,
];

/** A seeded generator (the same cuts on every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** Every character alone, then 20 seeded cuts into pieces of 1-5 characters. */
function cuts(text: string): string[][] {
  const plans = [[...text]];
  for (let seed = 1; seed <= 20; seed++) {
    const next = random(seed);
    const plan: string[] = [];
    for (let i = 0; i < text.length; ) {
      const n = 1 + Math.floor(next() * 5);
      plan.push(text.slice(i, i + n));
      i += n;
    }
    plans.push(plan);
  }
  return plans;
}

/** The answer checked whole: its redacted text, or null when it is blocked. */
function whole(text: string, policy: EffectivePolicy): string | null {
  const found = detect(text, { detectors: activeDetectors(policy.output), canary: CANARY });
  const verdict = decide("output", text, found, policy, new Redactions());
  return verdict.action === "block" ? null : verdict.text;
}

function streamed(plan: string[], policy: EffectivePolicy): { text: string; blocked: boolean } {
  const guard = new StreamGuard(policy, new Redactions(), CANARY);
  let text = "";
  for (const delta of plan) text += guard.push(delta).text;
  text += guard.end().text;
  return { text, blocked: guard.blocked };
}

const POLICIES: [string, EffectivePolicy][] = [
  ["the platform default", resolvePolicy()],
  ["a policy that redacts emails too", resolvePolicy({ output: { detectors: { pii: { action: "redact" } } } })],
];

describe("the output guard, whatever the cut points", () => {
  for (const [name, policy] of POLICIES) {
    it(`releases exactly the whole-answer verdict under ${name}`, () => {
      let redactedOrBlocked = 0;
      for (const answer of ANSWERS) {
        const expected = whole(answer, policy);
        if (expected !== answer) redactedOrBlocked++;
        for (const plan of cuts(answer)) {
          const got = streamed(plan, policy);
          if (expected === null) expect(got.blocked, `${answer} cut as ${JSON.stringify(plan)}`).toBe(true);
          else expect(got.text, `${answer} cut as ${JSON.stringify(plan)}`).toBe(expected);
        }
      }
      // Every answer but the emails one holds something the default acts on.
      expect(redactedOrBlocked).toBeGreaterThanOrEqual(ANSWERS.length - 1);
    });
  }

  it("lets ordinary words leave with the delta that brought them under the default", () => {
    const guard = new StreamGuard(resolvePolicy(), new Redactions(), CANARY);
    expect(["Hello", " world,", " how", " many", " tok0", " yes"].map((d) => guard.push(d).text)).toEqual([
      "Hello",
      " world,",
      " how",
      " many",
      " tok", // a digit may start a card number: it waits for what follows
      "0 ye", // an "s" may start a key ("sk-…"): it waits for the next character
    ]);
    expect(guard.end().text).toBe("s");
  });

  it("holds each word until the next one starts when emails are redacted (an address is one word)", () => {
    const policy = resolvePolicy({ output: { detectors: { pii: { action: "redact" } } } });
    const guard = new StreamGuard(policy, new Redactions(), CANARY);
    expect(["Hello", " world", " jane", ".doe@example.com", " ok"].map((d) => guard.push(d).text)).toEqual([
      "",
      "Hello ",
      "world ",
      "",
      "[EMAIL_1] ",
    ]);
    expect(guard.end().text).toBe("ok");
  });

  it("holds nothing back when the policy only flags", () => {
    const flagOnly = resolvePolicy({
      output: { detectors: { pii: { action: "flag" }, secrets: { action: "flag" }, canary: { action: "flag" } } },
    });
    const guard = new StreamGuard(flagOnly, new Redactions(), CANARY);
    expect(["Pay", " 4111", " 1111", " ghp_"].map((d) => guard.push(d).text)).toEqual([
      "Pay",
      " 4111",
      " 1111",
      " ghp_",
    ]);
  });
});
