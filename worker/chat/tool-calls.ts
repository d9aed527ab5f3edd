// One model-requested tool call, checked and (unless it needs approval) run. Shared by the
// first pass of the loop and by approval resumption, so both store and report results alike.
import type { Config } from "../core/config";
import type { Citation, ToolCall } from "../core/providers/types";
import { getTool, parseArguments, runTool } from "../tools/registry";
import { type Tool, type ToolContext, ToolError } from "../tools/types";
import { executeToolSpan, toolDecisionSpan } from "./spans";

export type ToolStatus = "ok" | "error" | "denied";

export interface ToolOutcome {
  call: ToolCall;
  status: ToolStatus;
  content: string;
  citations: Citation[];
  meta?: Record<string, unknown>;
  /** Already checked by the safety pipeline (see ToolOutput.screened). */
  screened?: boolean;
}

export type Triage =
  | { kind: "done"; outcome: ToolOutcome }
  | { kind: "needs_approval"; tool: Tool; args: unknown }
  | { kind: "run"; tool: Tool; args: unknown };

const failed = (call: ToolCall, message: string): Triage => ({
  kind: "done",
  outcome: { call, status: "error", content: `Error: ${message}`, citations: [] },
});

/** Unknown or disabled tools, invalid arguments and refused targets fail here, before anything runs or waits. */
export function triage(call: ToolCall, enabled: readonly Tool[], config: Config): Triage {
  const t = decide(call, enabled, config);
  if (t.kind === "done") toolDecisionSpan(call, t.outcome.status);
  return t;
}

function decide(call: ToolCall, enabled: readonly Tool[], config: Config): Triage {
  const tool = enabled.find((t) => t.name === call.name) ?? null;
  if (!tool)
    return failed(
      call,
      getTool(call.name)
        ? `the tool ${call.name} is not enabled for this agent`
        : `there is no tool named ${call.name}`,
    );
  try {
    const args = parseArguments(tool, call.arguments);
    tool.precheck?.(args, config);
    return tool.sideEffects ? { kind: "needs_approval", tool, args } : { kind: "run", tool, args };
  } catch (err) {
    return failed(call, err instanceof Error ? err.message : String(err));
  }
}

/** Runs the call under its `execute_tool` span (spans.ts). */
export function execute(call: ToolCall, tool: Tool, args: unknown, ctx: ToolContext): Promise<ToolOutcome> {
  return executeToolSpan(call, () => run(call, tool, args, ctx));
}

async function run(call: ToolCall, tool: Tool, args: unknown, ctx: ToolContext): Promise<ToolOutcome> {
  try {
    const out = await runTool(tool, args, ctx);
    return {
      call,
      status: "ok",
      content: out.content,
      citations: out.citations ?? [],
      ...(out.meta ? { meta: out.meta } : {}),
      ...(out.screened ? { screened: true } : {}),
    };
  } catch (err) {
    // A ToolError is meant for the model; anything else is reported without internals.
    const message =
      err instanceof ToolError ? err.message : `the tool failed (${err instanceof Error ? err.name : "error"})`;
    return { call, status: "error", content: `Error: ${message}`, citations: [] };
  }
}

export const denied = (call: ToolCall, why: string): ToolOutcome => ({
  call,
  status: "denied",
  content: why,
  citations: [],
});
