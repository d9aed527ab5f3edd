// JSON to searchable text: one `path: value` line per leaf, so a match says where it is
// ("items[2].title: Wing flutter"). Arrays of scalars stay on one line; each element of a
// top-level array becomes its own paragraph, so records chunk separately.
const MAX_DEPTH = 32;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isScalar = (v: Json): v is null | boolean | number | string => v === null || typeof v !== "object";

function lines(value: Json, path: string, depth: number, out: string[]): void {
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
    value.forEach((item, i) => lines(item, `${path}[${i}]`, depth + 1, out));
    return;
  }
  for (const [key, item] of Object.entries(value)) lines(item, path ? `${path}.${key}` : key, depth + 1, out);
}

export function jsonToText(value: unknown): string {
  const json = value as Json;
  if (Array.isArray(json) && !json.every(isScalar)) {
    return json
      .map((item) => {
        const out: string[] = [];
        lines(item, "", 1, out);
        return out.join("\n");
      })
      .join("\n\n");
  }
  const out: string[] = [];
  lines(json, "", 0, out);
  return out.join("\n");
}
