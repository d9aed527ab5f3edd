// How the coordinator gets one turn out of an agent. The conversation Agent Durable Object has
// no "run one turn, return output and usage" RPC (its turns stream into a conversation), so a
// swarm turn loads the agent's pinned version from D1 and calls its models directly, through
// the same fallback chain as chat (primary, fallbacks, offline; tests' scripted override
// replaces the primary). A turn is one model call: no tools and no retrieval.
import { and, eq, inArray } from "drizzle-orm";
import type { AgentDefinition } from "../agents/schemas";
import { loadDefinition, parseDefinition } from "../agents/service";
import { systemPrompt } from "../chat/loop";
import { callModel } from "../chat/model-call";
import { liveModelChain } from "../chat/models";
import { getConfig } from "../core/config";
import { createDb } from "../core/db";
import { agentVersions } from "../core/db/schema";
import type { Usage } from "../core/providers/types";
import type { AssignmentMessage, RunAgent } from "../../shared/swarm-protocol";

export interface AgentTurn {
  assignment: AssignmentMessage;
  /** Output tokens this turn may use (the agent's own limit, lowered by the run's budget). */
  maxTokens: number;
  signal: AbortSignal;
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

export class ModelAgentRunner implements AgentRunner {
  private readonly definitions = new Map<string, Promise<AgentDefinition>>();

  constructor(
    private readonly env: Env,
    private readonly workspaceId: string,
    private readonly agents: ReadonlyMap<string, RunAgent>,
  ) {}

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

  async run({ assignment, maxTokens, signal }: AgentTurn): Promise<AgentReply> {
    const agent = this.agents.get(assignment.agent_id);
    if (!agent) throw new AgentTurnError(`agent ${assignment.agent_id} is not part of this run`, false);
    const def = await this.definition(agent);
    const chain = await liveModelChain([def.model, ...def.fallback_models], this.env, getConfig(this.env), this.workspaceId);
    const request = {
      messages: [...systemPrompt(def), { role: "user" as const, content: assignment.input }],
      temperature: def.temperature,
      maxTokens: Math.max(1, Math.min(def.max_tokens, maxTokens)),
    };
    const r = await callModel(chain, request, signal, () => undefined);
    if (r.outcome === "cancelled" || signal.aborted) throw signal.reason ?? new AgentTurnError("the turn was cancelled", false);
    if (r.outcome === "error") throw new AgentTurnError(r.error?.message ?? "the model failed", true);
    return { output: r.content, usage: r.usage, model: r.model, degraded: r.degraded };
  }
}
