// `hive traces show` as text: one line per span, indented by depth, with its start offset, its
// duration and a bar placed on the trace's time axis. Failed spans say ERROR in words (and red
// when colour is on), so the waterfall reads the same without colour.
import type { TraceDetail, TraceSpan } from "@hive/shared/api-client";
import type { Output } from "../output/output";

const BAR_WIDTH = 40;
const NAME_WIDTH = 44;

export const millis = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

/** The bar of a span that starts at `offset` and lasts `duration` on an axis `total` long: at least one cell. */
export function bar(offset: number, duration: number, total: number, width = BAR_WIDTH): string {
  const scale = total > 0 ? width / total : 0;
  const start = Math.min(width - 1, Math.floor(offset * scale));
  const length = Math.max(1, Math.min(width - start, Math.round(duration * scale)));
  return `${" ".repeat(start)}${"#".repeat(length)}${" ".repeat(width - start - length)}`;
}

/** The model call's tokens, when the span has them (OpenTelemetry GenAI attribute names). */
function tokens(s: TraceSpan): string {
  const input = s.attributes["gen_ai.usage.input_tokens"];
  const output = s.attributes["gen_ai.usage.output_tokens"];
  return input === undefined && output === undefined ? "" : ` ${input ?? 0}/${output ?? 0} tok`;
}

function label(s: TraceSpan): string {
  const name = `${"  ".repeat(s.depth)}${s.name}`;
  return name.length > NAME_WIDTH ? `${name.slice(0, NAME_WIDTH - 1)}…` : name.padEnd(NAME_WIDTH);
}

export function printWaterfall(out: Output, trace: TraceDetail): void {
  const total = Math.max(trace.duration_ms, ...trace.spans.map((s) => s.offset_ms + s.duration_ms));
  out.line(
    `${"SPAN".padEnd(NAME_WIDTH)}  ${"START".padStart(9)}  ${"DURATION".padStart(9)}  |${"".padEnd(BAR_WIDTH)}|`,
  );
  for (const s of trace.spans) {
    const failed = s.status === "error";
    const note = failed ? ` ${out.style("red", "ERROR")}${s.status_message ? `: ${s.status_message}` : ""}` : "";
    out.line(
      `${label(s)}  ${millis(s.offset_ms).padStart(9)}  ${millis(s.duration_ms).padStart(9)}  ` +
        `|${bar(s.offset_ms, s.duration_ms, total)}|${tokens(s)}${note}`,
    );
  }
}
