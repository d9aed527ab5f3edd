import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../worker/core/tokens";
import { chunkText, type TextChunk } from "../../worker/knowledge/chunker";

/** Deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCAB = [
  "lift",
  "drag",
  "boundary",
  "layer",
  "supersonic",
  "flow",
  "über",
  "naïve",
  "coefficient",
  "Mach",
  "2.5",
  "e.g.",
  "x²",
  "🚀",
  "aerodynamically",
  "(wing)",
  "'tip'",
];

interface Region {
  kind: "code" | "table";
  start: number;
  end: number;
}

function randomDoc(seed: number): { text: string; regions: Region[] } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  const words = (n: number) => Array.from({ length: n }, () => pick(VOCAB)).join(" ");
  const sentence = () => `${words(3 + Math.floor(r() * 25))}${pick([".", "!", "?", ".", ";"])}`;
  let text = r() < 0.3 ? "\n  " : "";
  const regions: Region[] = [];
  const blocks = 3 + Math.floor(r() * 25);
  for (let b = 0; b < blocks; b++) {
    const kind = r();
    if (kind < 0.15) text += `${"#".repeat(1 + Math.floor(r() * 3))} ${words(1 + Math.floor(r() * 6))}\n\n`;
    else if (kind < 0.3) {
      const lines = Array.from(
        { length: 1 + Math.floor(r() * 30) },
        () => `  const ${pick(["a", "b", "c"])} = ${words(1 + Math.floor(r() * 8))};`,
      );
      const start = text.length;
      text += `\`\`\`ts\n${lines.join("\n")}\n\`\`\`\n`;
      regions.push({ kind: "code", start, end: text.length });
      text += "\n";
    } else if (kind < 0.42) {
      const rows = Array.from(
        { length: 1 + Math.floor(r() * 25) },
        () => `| ${words(1 + Math.floor(r() * 3))} | ${pick(VOCAB)} |`,
      );
      const start = text.length;
      text += `| a | b |\n|---|---|\n${rows.join("\n")}\n`;
      regions.push({ kind: "table", start, end: text.length });
      text += "\n";
    } else if (kind < 0.47) text += `${"z".repeat(50 + Math.floor(r() * 3000))}\n\n`;
    else if (kind < 0.55)
      text += `${Array.from({ length: 2 + Math.floor(r() * 6) }, () => `- ${sentence()}`).join("\n")}\n\n`;
    else
      text += `${Array.from({ length: 1 + Math.floor(r() * 12) }, sentence).join(" ")}\n${r() < 0.5 ? "\n" : "\n\n\n"}`;
  }
  const final = r() < 0.5 ? text.trimEnd() : text;
  return { text: final, regions: regions.map((g) => ({ ...g, end: Math.min(g.end, final.length) })) };
}

function reassemble(chunks: TextChunk[]): string {
  let out = "";
  let end = 0;
  for (const c of chunks) {
    out += c.content.slice(end - c.start);
    end = c.end;
  }
  return out;
}

const SETTINGS = [
  { size: 400, overlap: 60 },
  { size: 64, overlap: 16 },
  { size: 128, overlap: 0 },
  { size: 32, overlap: 31 },
  { size: 1000, overlap: 200 },
];

describe("chunker properties over 150 generated documents", () => {
  const cases = Array.from({ length: 30 }, (_, seed) => SETTINGS.map((s) => ({ seed, ...s }))).flat();

  it("loses no text: the chunks minus their overlaps reproduce the document, and every chunk is the exact slice its offsets name", () => {
    for (const { seed, size, overlap } of cases) {
      const { text } = randomDoc(seed);
      const chunks = chunkText(text, { size, overlap });
      expect(reassemble(chunks), `seed ${seed} size ${size}`).toBe(text);
      expect(chunks[0]?.start).toBe(0);
      expect(chunks[chunks.length - 1]?.end).toBe(text.length);
      chunks.forEach((c, i) => {
        expect(c.content).toBe(text.slice(c.start, c.end));
        expect(c.seq).toBe(i);
      });
    }
  });

  it("keeps every chunk within the token limit and every overlap within the overlap setting, always moving forward", () => {
    let overlapped = 0;
    for (const { seed, size, overlap } of cases) {
      const { text } = randomDoc(seed);
      const chunks = chunkText(text, { size, overlap });
      chunks.forEach((c, i) => {
        expect(estimateTokens(c.content), `seed ${seed} chunk ${i}`).toBeLessThanOrEqual(size);
        expect(c.tokens).toBeLessThanOrEqual(size);
        const prev = chunks[i - 1];
        if (!prev) return;
        expect(c.start).toBeGreaterThan(prev.start);
        expect(c.end).toBeGreaterThan(prev.end);
        expect(c.start).toBeLessThanOrEqual(prev.end);
        const repeated = text.slice(c.start, prev.end);
        expect(estimateTokens(repeated), `seed ${seed} overlap before chunk ${i}`).toBeLessThanOrEqual(overlap);
        if (estimateTokens(repeated) > 0) overlapped++;
      });
    }
    // The overlap is a real feature, not just an upper bound that is never used.
    expect(overlapped).toBeGreaterThan(100);
  });

  it("cuts code blocks and tables only between lines, and keeps one that fits in a single chunk whole", () => {
    for (const { seed, size, overlap } of cases) {
      const { text, regions } = randomDoc(seed);
      const chunks = chunkText(text, { size, overlap });
      for (const region of regions) {
        const lines = text.slice(region.start, region.end).split("\n");
        // Lines that alone exceed the limit are the unavoidable case; the generator's never do.
        expect(Math.max(...lines.map(estimateTokens))).toBeLessThanOrEqual(size);
        for (const c of chunks) {
          for (const cut of [c.start, c.end]) {
            if (cut > region.start && cut < region.end && cut < text.length)
              expect(text[cut - 1], `seed ${seed} size ${size}: ${region.kind} cut mid-line`).toBe("\n");
          }
        }
        if (estimateTokens(text.slice(region.start, region.end)) <= size) {
          const whole = chunks.some((c) => c.start <= region.start && c.end >= region.end);
          expect(whole, `seed ${seed} size ${size}: a ${region.kind} that fits was split`).toBe(true);
        }
      }
    }
  });
});

describe("chunker structure", () => {
  it("ends chunks at section boundaries when sections are smaller than a chunk, and does not overlap across them", () => {
    const section = (i: number) =>
      `## Section ${i}\n\n${"The shock wave forms ahead of the blunt body. ".repeat(12)}\n\n`;
    const text = Array.from({ length: 12 }, (_, i) => section(i)).join("");
    const chunks = chunkText(text, { size: 400, overlap: 60 });
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.content.startsWith("## Section")).toBe(true);
      expect(c.end === text.length || text.startsWith("## Section", c.end)).toBe(true);
    }
  });

  it("splits a paragraph longer than a chunk at sentence ends and overlaps consecutive chunks", () => {
    const sentences = Array.from(
      { length: 80 },
      (_, i) => `Sentence number ${i} describes the pressure distribution on the wing.`,
    );
    const text = sentences.join(" ");
    const chunks = chunkText(text, { size: 100, overlap: 20 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks.slice(0, -1)) expect(c.content.trimEnd().endsWith(".")).toBe(true);
    const repeats = chunks.slice(1).map((c, i) => text.slice(c.start, chunks[i]?.end));
    expect(repeats.every((r) => estimateTokens(r) > 0 && estimateTokens(r) <= 20)).toBe(true);
  });

  it("returns nothing for empty text and refuses an overlap that is not smaller than the size", () => {
    expect(chunkText("", { size: 100, overlap: 10 })).toEqual([]);
    expect(() => chunkText("text", { size: 100, overlap: 100 })).toThrow(RangeError);
  });

  it("chunks a 2 MB document in well under a second", () => {
    const text = Array.from(
      { length: 4000 },
      (_, i) => `# Part ${i}\n\n${"Boundary layer transition on swept wings at high Reynolds number. ".repeat(8)}`,
    ).join("\n\n");
    expect(text.length).toBeGreaterThan(2_000_000);
    const t0 = performance.now();
    const chunks = chunkText(text, { size: 400, overlap: 60 });
    const ms = performance.now() - t0;
    expect(reassemble(chunks)).toBe(text);
    expect(ms).toBeLessThan(1500);
  });
});
