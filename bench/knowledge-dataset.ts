// The Cranfield collection (datasets/cranfield, see datasets/README.md) and the ranking metrics the
// knowledge benchmark reports. Queries are numbered 1..225 in file order (their .I numbers are
// not the ids cranqrel uses); judgements with code -1 are dropped; lines carry trailing spaces.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The collection as committed in the repo. */
export const CRANFIELD_DIR = fileURLToPath(new URL("../datasets/cranfield", import.meta.url));

export interface CranDoc {
  id: number;
  title: string;
  text: string;
}

export interface Qrels {
  /** query number → (doc id → graded gain: code 1 → 4 ... code 4 → 1) */
  gains: Map<number, Map<number, number>>;
}

function blocks(raw: string): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let current: Map<string, string> | null = null;
  let field = "";
  for (const rawLine of raw.split("\n")) {
    const line = rawLine.trimEnd();
    const marker = /^\.([ITABW])(?:\s+(\d+))?$/.exec(line);
    if (marker) {
      if (marker[1] === "I") {
        current = new Map([["I", marker[2] ?? ""]]);
        out.push(current);
      } else {
        field = marker[1] as string;
        current?.set(field, "");
      }
      continue;
    }
    if (current && field) current.set(field, `${current.get(field) ?? ""}${line}\n`);
  }
  return out;
}

const tidy = (s: string | undefined) => (s ?? "").replace(/\s+/g, " ").replace(/ \./g, ".").trim();

export function loadCranfield(dir: string): { docs: CranDoc[]; queries: string[]; qrels: Qrels } {
  const docs = blocks(readFileSync(join(dir, "cran.all.1400"), "latin1")).map((b) => ({
    id: Number(b.get("I")),
    title: tidy(b.get("T")),
    text: tidy(b.get("W")),
  }));
  const queries = blocks(readFileSync(join(dir, "cran.qry"), "latin1")).map((b) => tidy(b.get("W")));
  const gains = new Map<number, Map<number, number>>();
  for (const line of readFileSync(join(dir, "cranqrel"), "latin1").split("\n")) {
    const [q, d, code] = line.trim().split(/\s+/).map(Number);
    if (!q || !d || code === undefined || code < 1) continue;
    const m = gains.get(q) ?? new Map<number, number>();
    m.set(d, Math.max(m.get(d) ?? 0, 5 - code));
    gains.set(q, m);
  }
  return { docs, queries, qrels: { gains } };
}

export interface Metrics {
  ndcg10: number;
  recall10: number;
  mrr: number;
}

/** nDCG@10 (graded gains, log2 discount), recall@10 and MRR@10 of one ranked list of doc ids. */
export function score(ranked: readonly number[], gains: Map<number, number>): Metrics {
  const top = ranked.slice(0, 10);
  const dcg = top.reduce((s, id, i) => s + (2 ** (gains.get(id) ?? 0) - 1) / Math.log2(i + 2), 0);
  const ideal = [...gains.values()].sort((a, b) => b - a).slice(0, 10);
  const idcg = ideal.reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  const found = top.filter((id) => gains.has(id)).length;
  const first = top.findIndex((id) => gains.has(id));
  return {
    ndcg10: idcg > 0 ? dcg / idcg : 0,
    recall10: gains.size > 0 ? found / gains.size : 0,
    mrr: first >= 0 ? 1 / (first + 1) : 0,
  };
}

export function mean(xs: readonly Metrics[]): Metrics {
  const n = xs.length || 1;
  return {
    ndcg10: xs.reduce((s, m) => s + m.ndcg10, 0) / n,
    recall10: xs.reduce((s, m) => s + m.recall10, 0) / n,
    mrr: xs.reduce((s, m) => s + m.mrr, 0) / n,
  };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
