// The tool contract. A tool declares its arguments as a zod schema (validated before it runs;
// the JSON Schema the model sees is generated from the same schema) and whether it has side
// effects: those wait for a person to approve each call in the conversation (always, and so also
// after untrusted content entered the turn), and whether what it returns comes from outside.
import type { z } from "zod";
import type { Config } from "../core/config";
import type { Citation } from "../core/providers/types";
import type { TurnGuard } from "../safety/turn-guard";

export interface ToolContext {
  env: Env;
  config: Config;
  workspaceId: string;
  agentId: string;
  /** Knowledge bases attached to the agent (for knowledge_search). */
  knowledgeBaseIds: readonly string[];
  signal: AbortSignal;
  /** Outbound HTTP; injectable so tests never touch the network. */
  fetch: typeof fetch;
  /** The turn's safety pipeline, for tools that check what they return piece by piece. */
  guard?: TurnGuard;
}

export interface ToolOutput {
  /** What the model reads back. */
  content: string;
  /** Passages that support the answer, surfaced as `citation` events. */
  citations?: Citation[];
  /** Extra machine-readable detail stored with the result (never sent to the model). */
  meta?: Record<string, unknown>;
  /** The tool already ran the safety checks on its content (knowledge_search, per passage). */
  screened?: boolean;
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  parameters: S;
  sideEffects: boolean;
  /** Returns text from outside (documents, web pages): the model reads it fenced as data. */
  untrustedOutput: boolean;
  /** Cheap checks that need configuration (e.g. the URL allowlist), run before asking for approval. */
  precheck?(args: z.infer<S>, config: Config): void;
  run(args: z.infer<S>, ctx: ToolContext): Promise<ToolOutput>;
}

/** A failure the model should see and may recover from (bad arguments, blocked URL, ...). */
export class ToolError extends Error {
  override readonly name = "ToolError";
  constructor(
    message: string,
    readonly code: "invalid_arguments" | "not_allowed" | "failed" | "unavailable" | "unknown_tool" = "failed",
  ) {
    super(message);
  }
}

/** Builds a typed tool while keeping `run`'s argument type tied to its schema. */
export const defineTool = <S extends z.ZodType>(tool: Tool<S>): Tool<S> => tool;
