// Safety detectors, measured (issue 17): injection precision / recall / F1 and benign false-positive
// rate on the validation split the model never saw (scripts/safety-dataset.ts), with a threshold
// sweep and per-file figures; false positives on ordinary chat written for this bench; PII and
// secrets F1 on seeded labelled synthetic sets (valid and invalid check digits, formatted and not,
// in prose); latency per message for 200- and 4,000-character texts inside workerd
// (bench/safety.bench-in-workerd.ts) and, with a finer clock, in Node.
// Run: node --import tsx bench/safety.ts [datasets-dir] (default datasets/safety)
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { benignChat } from "../scripts/benign-chat";
import { type Example, loadTrainingData, SAFETY_DIR, split } from "../scripts/safety-dataset";
import { shortChat } from "../scripts/short-chat";
import { detect } from "../worker/safety/detectors";
import { scoreInjection } from "../worker/safety/detectors/injection";
import model from "../worker/safety/detectors/injection-model.json";
import { DETECTORS, type Finding } from "../worker/safety/types";
import { ORDINARY_CHAT } from "./lib/ordinary-chat";
import { type LabelledText, piiSet, proseOfLength } from "./lib/pii-synthetic";
import { secretsSet } from "./lib/secrets-synthetic";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = resolve(process.argv[2] ?? SAFETY_DIR);
const load = loadavg()[0] ?? 0;
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "-");
const prf = (tp: number, fp: number, fn: number) => {
  const p = tp / (tp + fp);
  const r = tp / (tp + fn);
  return { p, r, f1: (2 * p * r) / (p + r) };
};
const lines: string[] = [];
const row = (...cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
const out = (s = "") => {
  lines.push(s);
  console.log(s);
};

// --- Injection on the validation split ---
const [, validation] = split(loadTrainingData(dataDir));
const scored = validation.map((e: Example) => ({ ...e, ...scoreInjection(e.text) }));
const attacks = scored.filter((e) => e.label === 1);
const benign = scored.filter((e) => e.label === 0);
const chat = ORDINARY_CHAT.map((t) => scoreInjection(t).score);
const piiProse = piiSet(300, 4242).map((t) => scoreInjection(t.text).score);
out(`## Safety detectors (issue 17)\n`);
out(
  `${new Date().toISOString().slice(0, 10)} · ${cpus().length} cores, Node ${process.version}, ` +
    `load average ${load.toFixed(1)} at start (shared machine)`,
);
out(
  `Validation split: ${attacks.length} attacks, ${benign.length} benign ` +
    `(seed ${model.metadata.split.seed}; never trained on).\n`,
);
out(
  "### Injection: threshold sweep (model + rule floors; the default is DEFAULT_THRESHOLDS in worker/safety/pipeline.ts)\n",
);
out("| threshold | precision | recall | F1 | benign FPR | ordinary-chat FPR | PII-prose FPR |");
out("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const t of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
  const tp = attacks.filter((e) => e.score >= t).length;
  const fp = benign.filter((e) => e.score >= t).length;
  const { p, r, f1 } = prf(tp, fp, attacks.length - tp);
  const rate = (xs: number[]) => xs.filter((s) => s >= t).length / xs.length;
  out(row(t.toFixed(1), f3(p), f3(r), f3(f1), f3(fp / benign.length), f3(rate(chat)), f3(rate(piiProse))));
}
/** Held-out chat that the training generators also produce (same words up to case and punctuation). */
const fold = (t: string) =>
  t
    .toLowerCase()
    .replace(/[^a-z0-9 ]/g, "")
    .trim();
const { synthetic } = model.metadata;
const generated = new Set([...benignChat(synthetic.chat), ...shortChat(synthetic.short_chat)].map(fold));
const chatScored = ORDINARY_CHAT.map((text, i) => ({ text, score: chat[i] as number }));
const short = chatScored.filter((c) => c.text.trim().split(/\s+/).length <= 3);
const shortFlagged = short.filter((c) => c.score >= 0.5).map((c) => c.text);
const shortList = shortFlagged.length ? ` (${shortFlagged.join(" | ")})` : "";
const unseen = chatScored.filter((c) => !generated.has(fold(c.text)));
out(
  `\nOrdinary chat (bench/fixtures/benign-chat.txt, written by hand, never trained on): ${chat.length} messages, ` +
    `${short.length} of 1-3 words; highest score ${f3(Math.max(...chat))}; ` +
    `1-3 word messages flagged at 0.5: ${shortFlagged.length}${shortList}. ` +
    `${chat.length - unseen.length} of them the training generators also produce (mostly single words such as ` +
    `'hello' or 'ok'); FPR at 0.5 on the other ${unseen.length}: ` +
    `${f3(unseen.filter((c) => c.score >= 0.5).length / unseen.length)}.`,
);
const rulesOnly = { tp: attacks.filter((e) => e.rules.length).length, fp: benign.filter((e) => e.rules.length).length };
out(
  `\nRules alone (any rule fires): recall ${f3(rulesOnly.tp / attacks.length)}, ` +
    `benign FPR ${f3(rulesOnly.fp / benign.length)}.`,
);
out("\nPer file at 0.5:\n");
out("| file | label | n | flagged |");
out("| --- | ---: | ---: | ---: |");
for (const file of [...new Set(scored.map((e) => e.file))]) {
  for (const label of [1, 0]) {
    const xs = scored.filter((e) => e.file === file && e.label === label);
    if (xs.length)
      out(row(file, label ? "attack" : "benign", xs.length, f3(xs.filter((e) => e.score >= 0.5).length / xs.length)));
  }
}

// --- PII and secrets on labelled synthetic sets ---
function spanScores(set: LabelledText[], detector: "pii" | "secrets") {
  const by: Record<string, { tp: number; fp: number; fn: number }> = {};
  const at = (c: string) => (by[c] ??= { tp: 0, fp: 0, fn: 0 });
  for (const item of set) {
    const expected = [...item.expected];
    for (const f of detect(item.text, { detectors: [detector] })) {
      const value = item.text.slice(f.start, f.end);
      const i = expected.findIndex((e) => e.category === f.category && e.value === value);
      if (i >= 0) {
        at(f.category).tp++;
        expected.splice(i, 1);
      } else at(f.category).fp++;
    }
    for (const e of expected) at(e.category).fn++;
  }
  return by;
}
const benignTexts = benign.map((e) => e.text);
const benignRate = (d: (typeof DETECTORS)[number]) =>
  benignTexts.filter((t) => detect(t, { detectors: [d] }).length).length / benignTexts.length;
for (const [name, detector, set] of [
  ["PII", "pii", piiSet(2000, 42)],
  ["Secrets", "secrets", secretsSet(1000, 7)],
] as const) {
  const by = spanScores(set, detector);
  out(`\n### ${name}: ${set.length} synthetic texts (seeded), exact span match\n`);
  out("| category | TP | FP | FN | precision | recall | F1 |");
  out("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  const total = { tp: 0, fp: 0, fn: 0 };
  for (const [category, c] of Object.entries(by).sort()) {
    const { p, r, f1 } = prf(c.tp, c.fp, c.fn);
    out(`| ${category} | ${c.tp} | ${c.fp} | ${c.fn} | ${f3(p)} | ${f3(r)} | ${f3(f1)} |`);
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
  }
  const { p, r, f1 } = prf(total.tp, total.fp, total.fn);
  out(`| **all** | ${total.tp} | ${total.fp} | ${total.fn} | ${f3(p)} | ${f3(r)} | **${f3(f1)}** |`);
  out(
    `\nBenign validation texts with any ${detector} finding: ${f3(benignRate(detector))} ` +
      "(these texts may hold real-looking values).",
  );
}
out(
  `\n### Moderation (offline lexicon)\n\nBenign validation texts flagged: ${f3(benignRate("moderation"))}. ` +
    "No labelled harmful set is in datasets/safety, so lexicon recall is not measured; " +
    "with Workers AI bound, Llama Guard 3 decides instead.",
);

// --- Latency: Node (fine clock), then workerd ---
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] as number;
/** Validation texts run together to `length` characters with one PII sentence per 1,000: realistic mixed input. */
function mixed(length: number, seed: number): string {
  let text = "";
  for (let i = seed; text.length < length; i += 7) {
    text += `${validation[i % validation.length]?.text ?? ""} `;
    if (Math.floor(text.length / 1000) > Math.floor((text.length - 300) / 1000)) text += `${proseOfLength(120, i)} `;
  }
  return text.slice(0, length);
}
const latencyTexts = {
  short: Array.from({ length: 50 }, (_, i) => mixed(200, i * 13)),
  long: Array.from({ length: 50 }, (_, i) => mixed(4000, i * 13)),
};
out("\n### Latency per message, all local detectors (injection, PII, secrets, lexicon, canary)\n");
out("| runtime | text | p50 ms | p99 ms | mean ms |");
out("| --- | --- | ---: | ---: | ---: |");
for (const [label, texts] of [
  ["200 chars", latencyTexts.short],
  ["4,000 chars", latencyTexts.long],
] as const) {
  for (let i = 0; i < 300; i++)
    detect(texts[i % texts.length] as string, { detectors: DETECTORS, canary: "cnry-7f3a" });
  const times: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    detect(texts[i % texts.length] as string, { detectors: DETECTORS, canary: "cnry-7f3a" });
    times.push(performance.now() - t0);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  out(`| Node (V8) | ${label} | ${f3(quantile(times, 0.5))} | ${f3(quantile(times, 0.99))} | ${f3(mean)} |`);
}
const textsFile = join(root, ".tmp", "safety-bench-texts.json");
mkdirSync(dirname(textsFile), { recursive: true });
writeFileSync(textsFile, JSON.stringify(latencyTexts));
const run = spawnSync("npx", ["vitest", "run", "--config", "bench/vitest.safety.config.mts"], {
  cwd: root,
  encoding: "utf8",
  env: { ...process.env, SAFETY_BENCH_TEXTS: textsFile },
  maxBuffer: 64 * 1024 * 1024,
});
const rows = (run.stdout + run.stderr).split("\n").flatMap((line) => {
  const at = line.indexOf("SAFETY_BENCH ");
  return at < 0
    ? []
    : [
        JSON.parse(line.slice(at + "SAFETY_BENCH ".length)) as {
          length: number;
          batch: number;
          p50_ms: number;
          p99_ms: number;
          mean_ms: number;
          messages: number;
          message_p99_ms: number;
        },
      ];
});
if (run.status !== 0 || rows.length === 0)
  throw new Error(`workerd run failed (exit ${run.status}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
for (const r of rows) {
  out(
    row(
      `workerd (batches of ${r.batch})`,
      r.length === 200 ? "200 chars" : "4,000 chars",
      f3(r.p50_ms),
      f3(r.p99_ms),
      f3(r.mean_ms),
    ),
  );
}
for (const r of rows)
  out(
    row(
      `workerd (each of ${r.messages} messages alone)`,
      r.length === 200 ? "200 chars" : "4,000 chars",
      "",
      f3(r.message_p99_ms),
      "",
    ),
  );
out(
  "\nworkerd's clock moves in whole milliseconds, so there each figure is a batch's time divided by its size: " +
    "p50/p99 over mixed batches, and p99 across messages each timed alone (the slowest inputs). " +
    "Node's figures are per message (they include garbage-collection pauses).",
);
const findings: Finding[] = detect(latencyTexts.long[0] as string, { detectors: DETECTORS });
out(`(A 4,000-character sample text yields ${findings.length} findings.)`);
writeFileSync(join(root, ".tmp", "safety-bench.md"), `${lines.join("\n")}\n`);
