// The built-in tools, how an agent's enabled list becomes the specs a model sees, and the one
// place a model's tool call is validated and run. Invalid arguments never reach a tool: they
// come back as a ToolError the loop feeds to the model.
import { z } from "zod";
import type { ToolSpec } from "../core/providers/types";
import { calculatorTool } from "./calculator/tool";
import { currentTimeTool } from "./current-time";
import { httpGetTool } from "./http/http-get";
import { knowledgeSearchAvailable, knowledgeSearchTool } from "./knowledge-search";
import { type Tool, type ToolContext, ToolError, type ToolOutput } from "./types";

const TOOLS: ReadonlyMap<string, Tool> = new Map<string, Tool>([
  [calculatorTool.name, calculatorTool],
  [currentTimeTool.name, currentTimeTool],
  [httpGetTool.name, httpGetTool],
  [knowledgeSearchTool.name, knowledgeSearchTool],
]);

export const MAX_TOOL_RESULT_CHARS = 256 * 1024;

export function getTool(name: string): Tool | undefined {
  return TOOLS.get(name);
}

/** Enabled tools that can run here (knowledge_search only once the knowledge feature registered). */
export function activeTools(enabled: readonly string[], opts: { allowSideEffects?: boolean } = {}): Tool[] {
  const out: Tool[] = [];
  for (const name of enabled) {
    const tool = TOOLS.get(name);
    if (!tool) continue;
    if (tool.name === "knowledge_search" && !knowledgeSearchAvailable()) continue;
    if (tool.sideEffects && opts.allowSideEffects === false) continue;
    out.push(tool);
  }
  return out;
}

const specCache = new Map<string, ToolSpec>();

export function toolSpec(tool: Tool): ToolSpec {
  let spec = specCache.get(tool.name);
  if (!spec) {
    const schema = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>;
    delete schema.$schema;
    spec = { name: tool.name, description: tool.description, parameters: schema };
    specCache.set(tool.name, spec);
  }
  return spec;
}

/** Parses the model's JSON arguments against the tool's schema. */
export function parseArguments(tool: Tool, raw: string): unknown {
  let value: unknown;
  try {
    value = raw.trim() === "" ? {} : JSON.parse(raw);
  } catch {
    throw new ToolError("Arguments are not valid JSON", "invalid_arguments");
  }
  const parsed = tool.parameters.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "arguments"}: ${i.message}`).join("; ");
    throw new ToolError(`Invalid arguments: ${detail}`, "invalid_arguments");
  }
  return parsed.data;
}

export async function runTool(tool: Tool, args: unknown, ctx: ToolContext): Promise<ToolOutput> {
  const output = await tool.run(args, ctx);
  if (output.content.length > MAX_TOOL_RESULT_CHARS) {
    return { ...output, content: `${output.content.slice(0, MAX_TOOL_RESULT_CHARS)}\n[truncated]` };
  }
  return output;
}
