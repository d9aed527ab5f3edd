// How the coordinator gets one turn out of an agent: it drives the agent's own Durable Object
// (the same ConversationAgent that holds chat conversations), one object per agent per run,
// named `swarm_<run>_<agent>`. The object runs the agent's pinned version through the chat
// tool loop (its model chain with fallbacks, its side-effect-free tools), stores the turn's
// messages one row each, and answers with the output and usage. The coordinator loads the
// pinned definitions from D1 (the object never trusts its caller for them) and stops a turn
// in flight through the object's `cancel` when a step times out or the run ends.

import type { AssignmentMessage, RunAgent } from "@hive/shared/swarm-protocol";
import { and, eq, inArray } from "drizzle-orm";
import type { AgentDefinition } from "../agents/schemas";
import { loadDefinition, parseDefinition } from "../agents/service";
import type { SwarmTurnReply } from "../conversations/agent-rpc";
import { createDb } from "../core/db";
import { agentVersions } from "../core/db/schema";
import { writeLog } from "../core/logger";
import type { Ballot, Usage } from "../core/providers/types";
import { callDurableObject } from "../core/trace/rpc";

/** The Agent object (and its conversation) that works for one agent in one run. */
const swarmConversationId = (runId: string, agentId: string) => `swarm_${runId}_${agentId}`;

/** The run a swarm conversation belongs to (the inverse of swarmConversationId). */
export const swarmRunId = (conversationId: string, agentId: string) =>
  conversationId.slice("swarm_".length, -(agentId.length + 1));

export interface AgentTurn {
  assignment: AssignmentMessage;
  /** Output tokens this turn may use (the agent's own limit, lowered by the run's budget). */
  maxTokens: number;
  signal: AbortSignal;
  /** The choice the step asks for, when it must make one. */
  ballot?: Ballot;
  /**
   * Told what an attempt spent without giving an answer the step can use (it failed, was
   * cancelled, or answered after the step stopped waiting): those tokens reached a model too.
   */
  onSpent?: (usage: Usage) => void;
}

export interface AgentReply {
  output: string;
  usage: Usage;
  model: string;
  degraded: boolean;
}

export interface AgentRunner {
  run(turn: AgentTurn): Promise<AgentReply>;
}

/** A turn that produced no answer; `retryable` says whether another attempt could. */
export class AgentTurnError extends Error {
  override readonly name = "AgentTurnError";
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export class AgentObjectRunner implements AgentRunner {
  private readonly definitions = new Map<string, Promise<AgentDefinition>>();

  constructor(
    private readonly env: Env,
    private readonly owner: { id: string; workspaceId: string; createdBy: string },
    private readonly agents: ReadonlyMap<string, RunAgent>,
  ) {}

  private get workspaceId(): string {
    return this.owner.workspaceId;
  }

  /** Loads every pinned definition in one query, so no turn waits on its own D1 read. */
  async preload(): Promise<void> {
    const ids = [...this.agents.keys()];
    const rows = await createDb(this.env.DB)
      .select({ agentId: agentVersions.agentId, version: agentVersions.version, definition: agentVersions.definition })
      .from(agentVersions)
      .where(and(eq(agentVersions.workspaceId, this.workspaceId), inArray(agentVersions.agentId, ids)));
    for (const row of rows) {
      if (this.agents.get(row.agentId)?.version === row.version && !this.definitions.has(row.agentId)) {
        this.definitions.set(row.agentId, Promise.resolve(parseDefinition(row.definition)));
      }
    }
  }

  private definition(agent: RunAgent): Promise<AgentDefinition> {
    let def = this.definitions.get(agent.id);
    if (!def) {
      def = loadDefinition(createDb(this.env.DB), { id: agent.id, workspaceId: this.workspaceId }, agent.version);
      // A failed load (D1 hiccup) must not be cached for the rest of the run.
      def.catch(() => this.definitions.delete(agent.id));
      this.definitions.set(agent.id, def);
    }
    return def;
  }

  async run({ assignment, maxTokens, signal, ballot, onSpent }: AgentTurn): Promise<AgentReply> {
    const agent = this.agents.get(assignment.agent_id);
    if (!agent) throw new AgentTurnError(`agent ${assignment.agent_id} is not part of this run`, false);
    const def = await this.definition(agent);
    if (signal.aborted) throw signal.reason ?? new AgentTurnError("the turn was cancelled", false);
    const conversationId = swarmConversationId(this.owner.id, agent.id);
    const caller = { workspaceId: this.workspaceId, userId: this.owner.createdBy };
    const stub = this.env.CONVERSATION_AGENT.getByName(conversationId);
    const stop = () => {
      stub
        .cancel(caller, conversationId)
        .catch((err: unknown) =>
          writeLog("warn", "swarm_turn_cancel_failed", { conversation: conversationId, error: String(err) }),
        );
    };
    signal.addEventListener("abort", stop, { once: true });
    try {
      const reply = await callDurableObject<SwarmTurnReply>("ConversationAgent", "swarmTurn", (traceparent) =>
        stub.swarmTurn({
          caller,
          conversationId,
          agentId: agent.id,
          agentVersion: agent.version,
          definition: def,
          input: assignment.input,
          maxTokens,
          ...(ballot ? { ballot } : {}),
          requestId: `swarm:${this.owner.id}:${assignment.step}`,
          traceparent,
        }),
      );
      // A timed-out step stopped waiting, but the turn ran on until cancelled: count what it spent.
      const spent = reply.usage;
      if ((signal.aborted || !reply.ok) && spent && spent.inputTokens + spent.outputTokens > 0) onSpent?.(spent);
      if (signal.aborted) throw signal.reason ?? new AgentTurnError("the turn was cancelled", false);
      if (!reply.ok) throw new AgentTurnError(reply.message, reply.retryable);
      return { output: reply.output, usage: reply.usage, model: reply.model, degraded: reply.degraded };
    } catch (err) {
      if (err instanceof AgentTurnError || signal.aborted) throw err;
      // The object went away mid-turn (evicted, reset): another attempt may succeed.
      throw new AgentTurnError(err instanceof Error ? err.message : String(err), true);
    } finally {
      signal.removeEventListener("abort", stop);
    }
  }
}
