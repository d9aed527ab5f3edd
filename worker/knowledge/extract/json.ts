// JSON to searchable text: one `path: value` line per leaf, so a match says where it is
// ("items[2].title: Wing flutter"). Arrays of scalars stay on one line; each element of a
// top-level array becomes its own paragraph, so records chunk separately. Every line repeats its
// path, so the text can be far larger than the upload: it stops as soon as it passes `maxChars`.
import { limitExceeded } from "./limits";

const MAX_DEPTH = 32;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isScalar = (v: Json): v is null | boolean | number | string => v === null || typeof v !== "object";

/** Lines written so far, with a running length checked against the limit. */
class Lines {
  readonly out: string[] = [];
  private chars = 0;
  constructor(private readonly maxChars: number) {}

  push(line: string): void {
    this.chars += line.length + 1;
    if (this.chars > this.maxChars) throw limitExceeded("characters", this.maxChars, { characters_read: this.chars });
    this.out.push(line);
  }
}

function lines(value: Json, path: string, depth: number, out: Lines): void {
  if (isScalar(value)) {
    out.push(path ? `${path}: ${String(value)}` : String(value));
    return;
  }
  if (depth >= MAX_DEPTH) {
    out.push(`${path}: ${JSON.stringify(value)}`);
    return;
  }
  if (Array.isArray(value)) {
    if (value.every(isScalar)) {
      out.push(`${path}: ${value.map(String).join(", ")}`);
      return;
    }
    value.forEach((item, i) => {
      lines(item, `${path}[${i}]`, depth + 1, out);
    });
    return;
  }
  for (const [key, item] of Object.entries(value)) lines(item, path ? `${path}.${key}` : key, depth + 1, out);
}

export function jsonToText(value: unknown, maxChars: number): string {
  const json = value as Json;
  const out = new Lines(maxChars);
  if (Array.isArray(json) && !json.every(isScalar)) {
    // Records are separated by a blank line: an empty line between each one's lines.
    json.forEach((item, i) => {
      if (i > 0) out.push("");
      lines(item, "", 1, out);
    });
  } else {
    lines(json, "", 0, out);
  }
  return out.out.join("\n");
}
