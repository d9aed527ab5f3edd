// One streamed answer in the terminal: tokens go to stdout as they arrive (so the answer can be
// piped), everything about it (tool calls, results, sources, model, usage, "degraded") to
// stderr. Also collects the answer for --json and for deciding what happens next.
import {
  type AnswerCitation,
  type AnswerFallback,
  type ChatEvent,
  type ChatStream,
  citationOf,
  type FinishReason,
  fallbackText,
} from "@hive/shared/api-client";
import type { Output } from "../output/output";
import { inert } from "../output/terminal-safe";

export interface AnswerSummary {
  conversation_id: string | null;
  answer: string;
  reason: FinishReason | "error" | "interrupted";
  degraded: boolean;
  /** Why it is degraded: no model configured, model calls switched off, or which model failed and how. */
  fallback: AnswerFallback | null;
  /** The sources the answer cites, each numbered by the `[n]` marker that cites it. */
  citations: AnswerCitation[];
  tool_calls: { call_id: string; name: string; arguments: string; status: string | null; result: string | null }[];
  pending_approvals: { call_id: string; name: string; arguments: string }[];
  usage: { tokens_in: number; tokens_out: number; latency_ms: number; model: string };
  error: { code: string; message: string } | null;
}

const RESULT_PREVIEW = 300;
const oneLine = (s: string, max: number) => {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const SNIPPET_PREVIEW = 160;

/** `[n] name (document id, chars a-b): "quote"`: the marker, where to find the document, and what was quoted. */
const sourceLine = (c: AnswerCitation) =>
  `  [${c.marker}] ${c.document_name} (${c.document_id}, chars ${c.snippet.start_offset}-${c.snippet.end_offset}): "${oneLine(c.snippet.text, SNIPPET_PREVIEW)}"`;

export function emptySummary(conversationId: string | null): AnswerSummary {
  return {
    conversation_id: conversationId,
    answer: "",
    reason: "interrupted",
    degraded: false,
    fallback: null,
    citations: [],
    tool_calls: [],
    pending_approvals: [],
    usage: { tokens_in: 0, tokens_out: 0, latency_ms: 0, model: "" },
    error: null,
  };
}

export class AnswerPrinter {
  /** Whether the last thing written to stdout ended a line. */
  private atLineStart = true;

  constructor(
    private readonly out: Output,
    private readonly live: boolean,
  ) {}

  /** Reads the stream to its end, printing as it goes when live. */
  async read(stream: ChatStream, summary: AnswerSummary): Promise<AnswerSummary> {
    summary.conversation_id = stream.conversationId ?? summary.conversation_id;
    for await (const event of stream.events) this.apply(event, summary);
    this.endLine();
    if (this.live) this.footer(summary);
    return summary;
  }

  private write(text: string): void {
    if (!text) return;
    process.stdout.write(inert(text));
    this.atLineStart = text.endsWith("\n");
  }

  private endLine(): void {
    if (!this.atLineStart) this.write("\n");
  }

  private note(text: string): void {
    if (!this.live) return;
    this.endLine();
    this.out.error(text);
  }

  private apply(event: ChatEvent, s: AnswerSummary): void {
    switch (event.type) {
      case "start":
        s.conversation_id = event.conversation_id;
        return;
      case "token":
        s.answer += event.delta;
        if (this.live) this.write(event.delta);
        return;
      case "tool_call":
        s.tool_calls.push({
          call_id: event.call_id,
          name: event.name,
          arguments: event.arguments,
          status: null,
          result: null,
        });
        this.note(this.out.style("dim", `[tool] ${event.name} ${oneLine(event.arguments, 200)}`));
        return;
      case "tool_result": {
        const call = s.tool_calls.find((c) => c.call_id === event.call_id);
        if (call) Object.assign(call, { status: event.status, result: event.content });
        this.note(
          this.out.style("dim", `[tool] ${event.name} ${event.status}: ${oneLine(event.content, RESULT_PREVIEW)}`),
        );
        return;
      }
      case "approval_required":
        s.pending_approvals.push({ call_id: event.call_id, name: event.name, arguments: event.arguments });
        this.note(this.out.style("yellow", `[approval] ${event.name} waits for your approval`));
        return;
      case "citation":
        if (!s.citations.some((c) => c.passage_id === event.passage_id)) s.citations.push(citationOf(event));
        return;
      case "usage":
        s.degraded ||= event.degraded;
        s.fallback ??= event.fallback ?? null;
        s.usage = {
          tokens_in: s.usage.tokens_in + event.tokens_in,
          tokens_out: s.usage.tokens_out + event.tokens_out,
          latency_ms: s.usage.latency_ms + event.latency_ms,
          model: event.model,
        };
        return;
      case "done":
        s.reason = event.reason;
        s.degraded ||= event.degraded;
        return;
      case "error":
        s.reason = "error";
        s.error = { code: event.code, message: event.message };
        this.note(this.out.style("red", `error: ${event.code}: ${event.message}`));
        return;
    }
  }

  private footer(s: AnswerSummary): void {
    if (s.citations.length) this.out.error(["sources:", ...s.citations.map(sourceLine)].join("\n"));
    const parts = [
      ...(s.degraded ? [this.out.style("yellow", `degraded${s.fallback ? `: ${fallbackText(s.fallback)}` : ""}`)] : []),
      ...(s.usage.model ? [s.usage.model] : []),
      `${s.usage.tokens_in} tokens in, ${s.usage.tokens_out} out, ${s.usage.latency_ms} ms`,
      ...(s.reason === "cancelled"
        ? ["stopped"]
        : s.reason === "length"
          ? ["cut off at max tokens"]
          : s.reason === "step_limit"
            ? ["stopped at the step limit"]
            : []),
    ];
    this.out.error(this.out.style("dim", `[${parts.join(" · ")}]`));
  }
}
