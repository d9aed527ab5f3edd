// Where a benchmark's report goes: printed, and appended to BENCHMARKS.md (created with its
// heading the first time), so every bench writes its section the same way.
import { appendFileSync, existsSync, writeFileSync } from "node:fs";

const FILE = "BENCHMARKS.md";
const HEADING =
  "# Benchmarks\n\nFigures measured on this project's machine; each section names the command that reproduces it.\n";

export function appendReport(report: string): void {
  console.log(report);
  if (!existsSync(FILE)) writeFileSync(FILE, HEADING);
  appendFileSync(FILE, report);
}
