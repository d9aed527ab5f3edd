// The safety pipeline's seams in a chat turn: building the turn's guard (policy, canary, where
// events go), what the model reads of the history (untrusted tool output fenced as data), and
// the guard's notices as `guard` events.
import type { AgentDefinition } from "../agents/schemas";
import type { Config } from "../core/config";
import { createDb } from "../core/db";
import type { ChatMessage } from "../core/providers/types";
import type { Defer, SafetySurface } from "../safety/events";
import type { SafetyPolicy } from "../safety/policy";
import type { RedactionState } from "../safety/redactions";
import { spotlight } from "../safety/spotlight";
import { type GuardNotice, TurnGuard } from "../safety/turn-guard";
import { turnPolicy } from "../safety/workspace-policy";
import { getTool } from "../tools/registry";
import type { Tool } from "../tools/types";
import type { ChatEvent } from "./events";

export interface GuardTarget {
  workspaceId: string;
  /** null: a raw model on /v1 (the workspace policy alone applies). */
  agentId: string | null;
  /** The agent version's override of the workspace policy. */
  safety?: SafetyPolicy;
  conversationId?: string | null;
  runId?: string | null;
  requestId?: string | null;
}

/** The turn's guard: the workspace policy under the agent's, the agent's canary, events deferred. */
export async function turnGuard(
  env: Env,
  config: Config,
  surface: SafetySurface,
  target: GuardTarget,
  defer: Defer,
  redactions?: { state: RedactionState; persist: (state: RedactionState) => void },
): Promise<TurnGuard> {
  const policy = await turnPolicy(
    createDb(env.DB),
    target.workspaceId,
    target.safety,
    config.DEFINITION_CACHE_TTL_SECONDS,
  );
  return TurnGuard.create({
    env,
    config,
    policy,
    defer,
    scope: {
      surface,
      workspaceId: target.workspaceId,
      agentId: target.agentId,
      conversationId: target.conversationId ?? null,
      runId: target.runId ?? null,
      requestId: target.requestId ?? null,
    },
    ...(redactions ? { redactions: redactions.state, persist: redactions.persist } : {}),
  });
}

/** What a conversation's Agent knows of a turn (its TurnContext). */
export interface ConversationTurn {
  caller: { workspaceId: string };
  conversationId: string;
  agentId: string;
  definition: AgentDefinition;
  requestId: string;
}

/** Where a conversation keeps its placeholders between turns (its Agent's storage, not its synced state). */
const REDACTIONS_KEY = "safety:redactions";

/** What the conversation's Agent lends the guard: its storage and its waitUntil. */
export interface GuardKeeper {
  readonly storage: DurableObjectStorage;
  waitUntil(work: Promise<unknown>): void;
}

/**
 * The guard for a turn in a conversation's Agent: events written in the object's waitUntil,
 * placeholders loaded from and kept in its storage so they are stable across turns.
 */
export async function conversationGuard(
  env: Env,
  config: Config,
  keeper: GuardKeeper,
  turn: ConversationTurn,
  surface: SafetySurface,
  runId: string | null = null,
): Promise<TurnGuard> {
  const state = (await keeper.storage.get<RedactionState>(REDACTIONS_KEY)) ?? {};
  const target = {
    workspaceId: turn.caller.workspaceId,
    agentId: turn.agentId,
    safety: turn.definition.safety,
    conversationId: turn.conversationId,
    runId,
    requestId: turn.requestId,
  };
  return turnGuard(env, config, surface, target, (work) => keeper.waitUntil(work), {
    state,
    persist: (next) => void keeper.storage.put(REDACTIONS_KEY, next),
  });
}

/** Sends what the guard redacted or blocked since the last call as `guard` events. */
export function emitGuardNotices(guard: TurnGuard, emit: (e: ChatEvent) => void): void {
  for (const n of guard.drain()) emit({ type: "guard", ...n });
}

/** The strongest notice since the last drain (for surfaces that answer with one error). */
export function guardNotice(guard: TurnGuard): GuardNotice | undefined {
  return guard.drain().find((n) => n.action === "block");
}

/** The history as the model reads it: results of tools that return outside text are fenced as data. */
export function modelView(history: readonly ChatMessage[], tools: readonly Tool[]): ChatMessage[] {
  const names = new Map<string, string>();
  for (const m of history) for (const c of m.toolCalls ?? []) names.set(c.id, c.name);
  return history.map((m) => {
    if (m.role !== "tool") return m;
    const name = names.get(m.toolCallId ?? "") ?? "tool";
    const tool = tools.find((t) => t.name === name) ?? getTool(name);
    return tool && !tool.untrustedOutput ? m : { ...m, content: spotlight(name, m.content) };
  });
}
