// The labelled texts behind the injection classifier and its benchmark (datasets/safety,
// see its README), and the one deterministic train/validation split both use: within each file
// and label, texts are ordered by a seeded hash and the first 20% are validation. The trainer
// never sees validation texts; bench/safety.ts measures on exactly them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Example {
  text: string;
  label: 0 | 1;
  file: string;
}

/** The labelled sets as committed in the repo. */
export const SAFETY_DIR = fileURLToPath(new URL("../datasets/safety", import.meta.url));

export const SPLIT = { seed: "liquid-hive-safety-v1", validationShare: 0.2 } as const;

/** FNV-1a over the seed and the text: a text's place in the split depends on nothing else. */
export function splitHash(text: string, seed: string = SPLIT.seed): number {
  let h = 0x811c9dc5;
  for (const s of [seed, "\u0000", text])
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function loadSafetyDataset(dir: string): Example[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort();
  if (!files.length) throw new Error(`no .jsonl files in ${dir}`);
  return files.flatMap((file) =>
    readFileSync(join(dir, file), "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => {
        const row = JSON.parse(l) as { text: string; label: number };
        return { text: row.text, label: row.label === 1 ? 1 : 0, file } as Example;
      }),
  );
}

/** Stratified by file and label; returns [train, validation]. */
export function split(examples: Example[]): [Example[], Example[]] {
  const groups = new Map<string, Example[]>();
  for (const e of examples) {
    const key = `${e.file}:${e.label}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const train: Example[] = [];
  const validation: Example[] = [];
  for (const group of groups.values()) {
    const ordered = [...group].sort((a, b) => splitHash(a.text) - splitHash(b.text) || (a.text < b.text ? -1 : 1));
    const cut = Math.round(ordered.length * SPLIT.validationShare);
    validation.push(...ordered.slice(0, cut));
    train.push(...ordered.slice(cut));
  }
  return [train, validation];
}

/** The safety files plus, when the collection sits beside them, Cranfield abstracts as benign technical text. */
export function loadTrainingData(dir: string): Example[] {
  const cranfield = join(dir, "..", "cranfield", "cran.all.1400");
  const abstracts = existsSync(cranfield) ? loadCranfieldAbstracts(cranfield) : [];
  return [...loadSafetyDataset(dir), ...abstracts.map((text) => ({ text, label: 0 as const, file: "cranfield" }))];
}

/** The abstracts (.W fields) of the Cranfield collection: benign technical prose, never trained on. */
export function loadCranfieldAbstracts(path: string): string[] {
  return readFileSync(path, "utf8")
    .split(/^\.I /m)
    .map((rec) => rec.split(/^\.W\s*$/m)[1]?.trim() ?? "")
    .filter((t) => t.length > 0);
}
