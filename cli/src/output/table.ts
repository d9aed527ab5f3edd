// Plain-text table with left-aligned columns. Widths ignore ANSI colour codes so styled cells
// line up with plain ones.
import { visibleLength as visible } from "./terminal-safe";

/** One cell is one line: a newline or tab in a name is shown, not obeyed. */
const oneLine = (cell: string) => cell.replace(/[\n\t]/g, (ch) => (ch === "\n" ? "\\n" : "\\t"));

export function renderTable(headers: readonly string[], rawRows: readonly (readonly string[])[]): string {
  const rows = rawRows.map((r) => r.map(oneLine));
  const widths = headers.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ""))));
  const fmt = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visible(cell))))
      .join("  ")
      .trimEnd();
  return [fmt(headers), ...rows.map(fmt)].join("\n");
}
