// One Agent (cloudflare `agents` SDK) per conversation, named by the conversation id. It owns
// the live state (status, pending approvals; persisted and synced to WebSocket clients by the
// SDK), stores every message in its SQLite, runs the tool loop, and mirrors to D1. The first
// chat binds it to one workspace and one user; every later call must come from them. Its
// sockets carry the principal that opened them and are closed when it loses access.
import { Agent, type Connection, type ConnectionContext } from "agents";
import type { BatchItem } from "drizzle-orm/batch";
import type { AuditRow } from "../worker/audit/audit";
import { and, eq } from "drizzle-orm";
import { auditLogs, conversations } from "../worker/core/db/schema";
import { conversationGuard } from "../worker/chat/guard";
import { runLoop, screenOutcome, turnEndStatus, type LoopHost } from "../worker/chat/loop";
import { liveModelChain } from "../worker/chat/models";
import { denied, execute, triage, type ToolOutcome } from "../worker/chat/tool-calls";
import { chargeTokenBudget } from "../worker/chat/usage";
import { agentUsageUpdate } from "../worker/agents/service";
import type { ChatEvent } from "../worker/chat/events";
import type { PendingApproval } from "../worker/conversations/message-types";
import { HISTORY_CHAR_BUDGET, toChatMessages, recentHistory } from "../worker/conversations/message-types";
import { parseSocketPrincipal, type SocketPrincipal } from "../worker/auth/live-principal";
import { SOCKET_RECHECK_MS, SocketGuard, type GuardedSocket } from "../worker/auth/socket-guard";
import { verifySocketToken } from "../worker/auth/socket-token";
import { CONVERSATION_SOCKET_RULE } from "../worker/conversations/socket-route";
import { conversationTitle, type ConversationRow } from "../worker/conversations/service";
import { getConfig } from "../worker/core/config";
import { createDb } from "../worker/core/db";
import { newId } from "../worker/core/ids";
import { writeLog } from "../worker/core/logger";
import { activeTools } from "../worker/tools/registry";
import { swarmRunId } from "../worker/swarm/agent-runner";
import { D1Mirror, type MirroredStatus } from "./agent-d1-mirror";
import { MessageStore } from "./agent-message-store";
import type { ApprovalInput, ApprovalResult, Caller, ChatInput, ConversationState, OpenInput, RpcFailure, Snapshot, StreamResult, SwarmTurnInput, SwarmTurnReply, TurnContext } from "./agent-protocol";
import { answerStatus } from "../worker/chat/model-call";
import type { TurnGuard } from "../worker/safety/turn-guard";
import type { ChatMessage } from "../worker/core/providers/types";
import { TurnStream } from "./agent-turn-stream";

/** How long a turn's first D1 mirror waits for the answer's first event. */
const FIRST_MIRROR_DELAY_MS = 50;
/** How long after the answer's first event the held mirror goes out. */
const MIRROR_AFTER_FIRST_EVENT_MS = 5;
const notFound: RpcFailure = { ok: false, code: "NOT_FOUND", message: "Conversation not found" };
/** Hands the verified principal from fetch() to onConnect(); set here on every upgrade, never taken from the client. */
const PRINCIPAL_HEADER = "X-Socket-Principal";
/** What each socket records at connect (the SDK keeps it across hibernation). */
interface SocketState {
  principal: SocketPrincipal;
}
const guarded = (connection: Connection): GuardedSocket => ({
  principal: (connection.state as Partial<SocketState> | null)?.principal,
  close: (code, reason) => connection.close(code, reason),
});
const UNBOUND: ConversationState = { conversationId: null, workspaceId: null, userId: null, agentId: null, status: "idle", pending: [], turn: null, updatedAt: 0 };

export class ConversationAgent extends Agent<Env, ConversationState> {
  override initialState: ConversationState = UNBOUND;
  private storeInstance: MessageStore | undefined;
  private controller: AbortController | null = null;
  private mirrorInstance: D1Mirror | undefined;
  /** True from a turn's start until its first mirror may go (see run()). */
  private mirrorHeld = false;
  private mirrorTimer: ReturnType<typeof setTimeout> | undefined;
  /** The current message's audit row, until a mirror batch carries it to D1. */
  private pendingAudit: AuditRow | null = null;
  /** A title for a conversation opened untitled, from its first message, until a mirror batch carries it. */
  private pendingTitle: string | null = null;
  private guardInstance: SocketGuard | undefined;

  private get guard(): SocketGuard {
    return (this.guardInstance ??= new SocketGuard(this.env.DB, CONVERSATION_SOCKET_RULE, `conversation:${this.name}`));
  }

  private get store(): MessageStore {
    return (this.storeInstance ??= new MessageStore(this.ctx.storage.sql));
  }

  /** Runs on every wake. An answer that was running when the object went away cannot resume. */
  override onStart(): void {
    if (this.state.status === "running") {
      const interrupted = this.store.markInterrupted();
      writeLog("warn", "conversation_interrupted", { conversation: this.state.conversationId, messages: interrupted });
      const waiting = this.state.pending.length > 0;
      this.update({ status: waiting ? "awaiting_approval" : "idle", turn: waiting ? this.state.turn : null });
      this.mirror(waiting ? "awaiting_approval" : "error");
    } else {
      this.mirror();
    }
  }

  // ---- WebSocket: the SDK's protocol, opened only with a token for this conversation and user.

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("WebSocket only", { status: 426 });
    const claims = await verifySocketToken(getConfig(this.env), "conversation", new URL(request.url).searchParams.get("token"), this.name);
    const s = this.state;
    if (!claims || s.conversationId !== this.name || claims.principal.userId !== s.userId || claims.principal.workspaceId !== s.workspaceId) {
      return new Response("Unauthorized", { status: 401 });
    }
    const headers = new Headers(request.headers);
    headers.set(PRINCIPAL_HEADER, JSON.stringify(claims.principal));
    return super.fetch(new Request(request, { headers }));
  }

  /** Records who opened the socket and keeps re-checking them while any socket is open. */
  override async onConnect(connection: Connection, ctx: ConnectionContext): Promise<void> {
    const principal = parseSocketPrincipal(ctx.request.headers.get(PRINCIPAL_HEADER));
    if (!principal) {
      connection.close(4401, "authentication required");
      return;
    }
    connection.setState({ principal } satisfies SocketState);
    // Idempotent; an alarm, so it outlives hibernation. recheckSockets() ends it with the last socket.
    await this.scheduleEvery(SOCKET_RECHECK_MS / 1000, "recheckSockets");
  }

  /** Every SOCKET_RECHECK_MS while sockets are open: closes those whose principal lost access. */
  async recheckSockets(): Promise<void> {
    const open = [...this.getConnections()];
    if (open.length > 0) return this.guard.sweep(open.map(guarded));
    for (const schedule of await this.listSchedules({ type: "interval" })) {
      if (schedule.callback === "recheckSockets") await this.cancelSchedule(schedule.id);
    }
  }

  /** Clients watch; they never write state (tokens, approvals and cancels go through the API). */
  override shouldConnectionBeReadonly(): boolean {
    return true;
  }

  override async onMessage(connection: Connection): Promise<void> {
    if (!(await this.guard.keep(guarded(connection)))) return;
    connection.send(JSON.stringify({ type: "lh_error", message: "This socket is read-only; use the HTTP API to chat" }));
  }

  // ---- RPC from the Worker.

  async chat(input: ChatInput): Promise<StreamResult> {
    const refused = this.admit(input.caller, input.conversationId, input.open !== undefined);
    if (refused) return refused;
    if (this.state.agentId !== null && this.state.agentId !== input.agentId) {
      return { ok: false, code: "CONFLICT", message: "That conversation belongs to another agent", details: { agent_id: this.state.agentId } };
    }
    if (this.state.status !== "idle") return this.busy();
    const firstMessageId = newId("msg");
    this.pendingAudit = input.audit ?? null;
    if (this.state.untitled) this.pendingTitle = conversationTitle(input.message);
    this.store.append({ id: newId("msg"), role: "user", content: input.message, status: "complete", agent_version: input.agentVersion });
    this.update({
      conversationId: input.conversationId,
      workspaceId: input.caller.workspaceId,
      userId: input.caller.userId,
      agentId: input.agentId,
      status: "running",
      turn: { firstMessageId, agentVersion: input.agentVersion, stepsUsed: 0, degraded: false },
      untitled: false,
    });
    if (input.open && this.state.conversationId) {
      const now = Date.now();
      void this.d1Mirror().open({
        id: this.state.conversationId,
        workspaceId: input.caller.workspaceId,
        agentId: input.agentId,
        agentVersion: input.agentVersion,
        userId: input.caller.userId,
        title: input.open.title,
        status: "running",
        createdAt: now,
        updatedAt: now,
      });
    }
    return this.run(input, firstMessageId, false, async () => "continue");
  }

  /**
   * Opens the conversation ahead of its first message: binds this object to the caller and the
   * agent and writes the D1 row (status idle). Creating the object and the SDK's tables is the
   * slow part of a new conversation; done here, while the user is still typing, the first
   * message meets a ready object.
   */
  async openConversation(input: OpenInput): Promise<{ ok: true; conversation: ConversationRow } | RpcFailure> {
    if (input.conversationId !== this.name) return notFound;
    if (this.state.conversationId !== null) return { ok: false, code: "CONFLICT", message: "That conversation is already open" };
    this.update({ conversationId: input.conversationId, workspaceId: input.caller.workspaceId, userId: input.caller.userId, agentId: input.agentId, status: "idle", pending: [], turn: null, untitled: input.title === "" });
    const now = Date.now();
    const row: ConversationRow = { id: input.conversationId, workspaceId: input.caller.workspaceId, userId: input.caller.userId, agentId: input.agentId, agentVersion: input.agentVersion, title: input.title, status: "idle", createdAt: now, updatedAt: now };
    await this.d1Mirror().open(row);
    return { ok: true, conversation: row };
  }

  /**
   * One turn for a swarm run's coordinator, answered as a value: the agent's model chain and its
   * side-effect-free tools (nobody is there to approve a call) through the same tool loop as
   * chat, every message stored here one row each. The object is bound to the run's creator and
   * the agent on its first turn; `cancel` stops a turn in flight.
   */
  async swarmTurn(input: SwarmTurnInput): Promise<SwarmTurnReply> {
    const refused = this.admit(input.caller, input.conversationId, true);
    if (refused) return { ...refused, retryable: false };
    if (this.state.agentId !== null && this.state.agentId !== input.agentId) {
      return { ok: false, code: "CONFLICT", message: "This object works for another agent", retryable: false };
    }
    // A turn still winding down after its step timed out: the coordinator's next attempt retries.
    if (this.state.status !== "idle") return { ok: false, code: "CONFLICT", message: "The agent is still busy with an earlier attempt", retryable: true };
    const controller = new AbortController();
    this.controller = controller;
    this.update({ conversationId: input.conversationId, workspaceId: input.caller.workspaceId, userId: input.caller.userId, agentId: input.agentId, status: "running", pending: [], turn: null, kind: "swarm" });
    const history: ChatMessage[] = [{ role: "user", content: input.input }];
    const asked = this.store.append({ id: newId("msg"), role: "user", content: input.input, status: "complete", agent_version: input.agentVersion });
    let last: { content: string; model: string } = { content: "", model: "" };
    try {
      const definition = { ...input.definition, max_tokens: Math.max(1, Math.min(input.definition.max_tokens, input.maxTokens)) };
      const result = await runLoop(
        {
          definition,
          chain: await liveModelChain([definition.model, ...definition.fallback_models], this.env, getConfig(this.env), input.caller.workspaceId),
          tools: activeTools(definition.tools, { allowSideEffects: false }),
          toolContext: this.toolContext(input),
          signal: controller.signal,
          stepsUsed: 0,
          firstMessageId: newId("msg"),
          ...(input.ballot ? { ballot: input.ballot } : {}),
          guard: await conversationGuard(this.env, getConfig(this.env), this.ctx, input, "swarm", swarmRunId(input.conversationId, input.agentId)),
        },
        {
          emit: () => undefined,
          history: () => history,
          reviseInput: (content, status) => {
            history[0] = { role: "user", content };
            this.store.update(asked.id, { content, status });
          },
          newMessageId: () => newId("msg"),
          beginAssistant: () => undefined,
          finishAssistant: (id, r) => {
            history.push({ role: "assistant", content: r.content, ...(r.toolCalls.length ? { toolCalls: r.toolCalls } : {}) });
            this.store.append({ id, role: "assistant", content: r.content, status: answerStatus(r), tool_calls: r.toolCalls.length ? r.toolCalls : null, citations: r.citations.length ? r.citations : null, tokens_in: r.usage.inputTokens, tokens_out: r.usage.outputTokens, latency_ms: r.latencyMs, model: r.model, degraded: r.degraded, agent_version: input.agentVersion });
            last = { content: r.content, model: r.model };
          },
          storeTool: (o) => {
            history.push({ role: "tool", content: o.content, toolCallId: o.call.id });
            this.storeTool(o, input.agentVersion);
          },
        },
      );
      const cancelled = result.reason === "cancelled" || controller.signal.aborted;
      if (cancelled || result.reason === "error") {
        // The coordinator charges only the turns it gets an answer from; this one spent tokens too.
        // Not awaited: the coordinator's next attempt must find this object idle at once.
        this.ctx.waitUntil(
          chargeTokenBudget(this.env, input.caller.workspaceId, result.usage).catch((err: unknown) =>
            writeLog("warn", "usage_record_failed", { conversation: input.conversationId, error: String(err) }),
          ),
        );
        if (cancelled) return { ok: false, code: "CANCELLED", message: "The turn was cancelled", retryable: false, usage: result.usage };
        return { ok: false, code: "TURN_FAILED", message: result.error?.message ?? "The model failed", retryable: true, usage: result.usage };
      }
      if (result.reason === "blocked") return { ok: false, code: "BLOCKED", message: "Blocked by the safety policy", retryable: false, usage: result.usage };
      return { ok: true, output: last.content, usage: result.usage, model: last.model, degraded: result.degraded };
    } catch (err) {
      writeLog("error", "swarm_turn_failed", { conversation: input.conversationId, request_id: input.requestId, error: err instanceof Error ? err.message : String(err) });
      return { ok: false, code: "TURN_FAILED", message: "The turn failed unexpectedly", retryable: true };
    } finally {
      if (this.controller === controller) this.controller = null;
      this.update({ status: "idle", pending: [], turn: null });
    }
  }

  async resolveApproval(input: ApprovalInput): Promise<ApprovalResult> {
    const refused = this.admit(input.caller, input.conversationId);
    if (refused) return refused;
    if (this.state.status === "running") return this.busy();
    const pending = this.state.pending.find((p) => p.call_id === input.callId);
    if (this.state.status !== "awaiting_approval" || !pending) {
      return { ok: false, code: "NOT_FOUND", message: "No tool call is waiting for approval with that id" };
    }
    const remaining = this.state.pending.filter((p) => p.call_id !== input.callId);
    this.update({ status: "running", pending: remaining, turn: this.state.turn ? { ...this.state.turn, agentVersion: input.agentVersion } : null });
    const started = this.run(input, pending.message_id, true, async (emit, signal, guard) => {
      const call = { id: pending.call_id, name: pending.name, arguments: pending.arguments };
      let outcome: ToolOutcome;
      if (input.decision === "deny") {
        outcome = denied(call, `The user denied this tool call${input.reason ? `: ${input.reason}` : "."}`);
      } else {
        const tools = activeTools(input.definition.tools);
        const t = triage(call, tools, getConfig(this.env));
        outcome = t.kind === "done" ? t.outcome : await execute(call, t.tool, t.args, { ...this.toolContext(input), signal, guard });
        outcome = await screenOutcome(guard, outcome, emit);
      }
      this.storeTool(outcome, input.agentVersion);
      emit({ type: "tool_result", call_id: call.id, name: call.name, status: outcome.status, content: outcome.content });
      return remaining.length > 0 ? remaining : "continue";
    });
    return started.ok ? { ...started, call: { name: pending.name, arguments: pending.arguments } } : started;
  }

  async cancel(caller: Caller, conversationId: string): Promise<{ ok: true; cancelled: boolean; status: string } | RpcFailure> {
    const refused = this.admit(caller, conversationId);
    if (refused) return refused;
    if (this.state.status === "running" && this.controller) {
      this.controller.abort(new Error("cancelled by the user"));
      return { ok: true, cancelled: true, status: "running" };
    }
    if (this.state.status === "awaiting_approval") {
      this.dropPending(this.state.pending);
      this.update({ status: "idle", pending: [], turn: null });
      await this.mirror("cancelled");
      return { ok: true, cancelled: true, status: "idle" };
    }
    return { ok: true, cancelled: false, status: this.state.status };
  }

  async snapshot(caller: Caller, conversationId: string, after: number, limit: number): Promise<Snapshot | RpcFailure> {
    const refused = this.admit(caller, conversationId);
    if (refused) return refused;
    const rows = this.store.page(after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { status: this.state.status, pending: this.state.pending, messages: page, next_cursor: rows.length > limit && last ? String(last.seq) : null };
  }

  /** Deletes everything this conversation stored here. */
  async purge(caller: Caller, conversationId: string): Promise<{ ok: true } | RpcFailure> {
    const refused = this.admit(caller, conversationId);
    if (refused) return refused;
    this.controller?.abort(new Error("conversation deleted"));
    this.store.clear();
    this.setState(UNBOUND);
    for (const connection of this.getConnections()) connection.close(4404, "conversation deleted");
    return { ok: true };
  }

  // ---- The turn.

  private run(
    input: TurnContext,
    firstMessageId: string,
    resumed: boolean,
    preface: (emit: (e: ChatEvent) => void, signal: AbortSignal, guard: TurnGuard) => Promise<PendingApproval[] | "continue">,
  ): StreamResult {
    const controller = new AbortController();
    this.controller = controller;
    // The first token is what the user waits for: the turn's first D1 mirror (status "running",
    // the user's message; a new conversation's row went ahead in chat()) goes out
    // MIRROR_AFTER_FIRST_EVENT_MS after the first event that follows `start`, or after
    // FIRST_MIRROR_DELAY_MS for a slow model, never later than the turn's end (drive() mirrors
    // the final status before `done`).
    // Locally D1 shares the object's core, and this moved ~15 ms off the first token
    // (BENCHMARKS.md). Routes that act on a conversation this isolate just opened find it in
    // `conversationOwners` before its row lands.
    this.mirrorHeld = true;
    const release = () => {
      if (!this.stopHolding()) return;
      void this.mirror("running", input.agentVersion);
    };
    this.mirrorTimer = setTimeout(release, FIRST_MIRROR_DELAY_MS);
    let answering = false;
    const stream = new TurnStream((m) => this.broadcast(m), input.conversationId, (e) => {
      if (e.type === "start" || answering || !this.mirrorHeld) return;
      // Let the runtime carry this first frame to the client before the mirror's CPU work runs.
      answering = true;
      clearTimeout(this.mirrorTimer);
      this.mirrorTimer = setTimeout(release, MIRROR_AFTER_FIRST_EVENT_MS);
    });
    stream.emit({ type: "start", conversation_id: input.conversationId, message_id: firstMessageId, agent_id: input.agentId, agent_version: input.agentVersion, resumed });
    const work = this.drive(input, stream, controller.signal, firstMessageId, resumed, preface)
      .catch((err: unknown) => {
        writeLog("error", "conversation_turn_failed", { conversation: input.conversationId, request_id: input.requestId, error: err instanceof Error ? err.message : String(err) });
        this.update({ status: "idle", pending: [], turn: null });
        this.stopHolding();
        void this.mirror("error");
        stream.emit({ type: "error", code: "INTERNAL", message: "The answer failed unexpectedly", message_id: null });
      })
      .finally(() => {
        if (this.controller === controller) this.controller = null;
        return stream.close();
      });
    this.ctx.waitUntil(work);
    return { ok: true, stream: stream.readable };
  }

  private async drive(
    input: TurnContext,
    stream: TurnStream,
    signal: AbortSignal,
    firstMessageId: string,
    isResume: boolean,
    preface: (emit: (e: ChatEvent) => void, signal: AbortSignal, guard: TurnGuard) => Promise<PendingApproval[] | "continue">,
  ): Promise<void> {
    const turn = this.state.turn ?? { firstMessageId, agentVersion: input.agentVersion, stepsUsed: 0, degraded: false };
    const guard = await conversationGuard(this.env, getConfig(this.env), this.ctx, input, input.surface ?? "chat");
    const waiting = await preface(stream.emit, signal, guard);
    if (waiting !== "continue" && !signal.aborted) {
      this.update({ status: "awaiting_approval", pending: waiting });
      this.stopHolding();
      await this.mirror("awaiting_approval");
      stream.emit({ type: "done", reason: "awaiting_approval", message_id: firstMessageId, degraded: turn.degraded, pending_approvals: waiting.map((p) => p.call_id) });
      return;
    }
    const result = await runLoop(
      {
        definition: input.definition,
        chain: await liveModelChain([input.definition.model, ...input.definition.fallback_models], this.env, getConfig(this.env), input.caller.workspaceId),
        tools: activeTools(input.definition.tools),
        toolContext: this.toolContext(input),
        signal,
        stepsUsed: turn.stepsUsed,
        // Resuming after an approval: the message that asked for the tool exists; answer in a new one.
        firstMessageId: isResume ? newId("msg") : firstMessageId,
        guard,
      },
      this.host(input, stream.emit),
    );
    const degraded = turn.degraded || result.degraded;
    if (result.reason === "cancelled") this.dropPending(this.state.pending);
    const awaiting = result.reason === "awaiting_approval";
    this.update({
      status: awaiting ? "awaiting_approval" : "idle",
      pending: awaiting ? result.pending : [],
      turn: awaiting ? { ...turn, agentVersion: input.agentVersion, stepsUsed: result.stepsUsed, degraded } : null,
    });
    // The final status is mirrored now whatever the hold: a "running" must never follow it.
    this.stopHolding();
    // One D1 batch (messages, status, the agent's usage totals) beside the token-budget charge.
    const usage = agentUsageUpdate(createDb(this.env.DB), input.caller.workspaceId, input.agentId, result.usage.inputTokens, result.usage.outputTokens);
    await Promise.all([
      this.mirror(result.reason === "awaiting_approval" ? "awaiting_approval" : turnEndStatus(result.reason), undefined, usage ? [usage] : []),
      chargeTokenBudget(this.env, input.caller.workspaceId, result.usage).catch((err: unknown) =>
        writeLog("warn", "usage_record_failed", { conversation: input.conversationId, error: String(err) }),
      ),
    ]);
    if (result.reason === "error") {
      stream.emit({ type: "error", code: result.error?.code ?? "MODEL_ERROR", message: result.error?.message ?? "The model failed", message_id: result.lastMessageId });
    } else {
      stream.emit({ type: "done", reason: result.reason, message_id: result.lastMessageId, degraded, pending_approvals: result.pending.map((p) => p.call_id) });
    }
  }

  private host(input: TurnContext, emit: (e: ChatEvent) => void): LoopHost {
    return {
      emit,
      history: () => toChatMessages(recentHistory(this.store.recent(HISTORY_CHAR_BUDGET))),
      newMessageId: () => newId("msg"),
      beginAssistant: (id) => {
        this.store.append({ id, role: "assistant", content: "", status: "streaming", agent_version: input.agentVersion });
        if (!this.mirrorHeld) void this.mirror();
      },
      finishAssistant: (id, r) => {
        this.store.update(id, { content: r.content, status: answerStatus(r), tool_calls: r.toolCalls.length ? r.toolCalls : null, citations: r.citations.length ? r.citations : null, tokens_in: r.usage.inputTokens, tokens_out: r.usage.outputTokens, latency_ms: r.latencyMs, model: r.model, degraded: r.degraded });
        // An answer that ends the turn goes out with the turn's final status (drive()), in one batch.
        if (r.outcome === "tool_calls") void this.mirror();
      },
      storeTool: (o) => this.storeTool(o, input.agentVersion),
      reviseInput: (content, status) => {
        const asked = this.store.recent(HISTORY_CHAR_BUDGET).findLast((m) => m.role === "user");
        if (asked) this.store.update(asked.id, { content, status });
      },
    };
  }

  private toolContext(input: TurnContext) {
    return {
      env: this.env,
      config: getConfig(this.env),
      workspaceId: input.caller.workspaceId,
      agentId: input.agentId,
      knowledgeBaseIds: input.definition.knowledge_base_ids,
      fetch: (req: RequestInfo | URL, init?: RequestInit) => fetch(req, init),
    };
  }

  private storeTool(o: ToolOutcome, agentVersion: number) {
    this.store.append({ id: newId("msg"), role: "tool", content: o.content, status: o.status, tool_call_id: o.call.id, tool_name: o.call.name, citations: o.citations.length ? o.citations : null, agent_version: agentVersion });
    void this.mirror();
  }

  /** Pending calls that will never run get a result, so the model's history stays well-formed. */
  private dropPending(pending: readonly PendingApproval[]) {
    for (const p of pending) {
      this.store.append({ id: newId("msg"), role: "tool", content: "The conversation was cancelled before this call was approved.", status: "cancelled", tool_call_id: p.call_id, tool_name: p.name });
    }
  }

  // ---- Bookkeeping.

  private admit(caller: Caller, conversationId: string, mayBind = false): RpcFailure | null {
    if (conversationId !== this.name) return notFound;
    const s = this.state;
    if (s.conversationId === null) return mayBind ? null : notFound;
    return s.workspaceId === caller.workspaceId && s.userId === caller.userId ? null : notFound;
  }

  private busy(): RpcFailure {
    const waiting = this.state.status === "awaiting_approval";
    return {
      ok: false,
      code: "CONFLICT",
      message: waiting ? "Tool calls are waiting for approval; approve or deny them first (or cancel)" : "An answer is already being generated",
      details: { status: this.state.status, pending_approvals: this.state.pending.map((p) => p.call_id) },
    };
  }

  private update(patch: Partial<ConversationState>) {
    this.setState({ ...this.state, ...patch, updatedAt: Date.now() });
  }

  /** Ends the hold on a turn's first mirror; true if it was held. */
  private stopHolding(): boolean {
    clearTimeout(this.mirrorTimer);
    const was = this.mirrorHeld;
    this.mirrorHeld = false;
    return was;
  }

  private d1Mirror(): D1Mirror {
    return (this.mirrorInstance ??= new D1Mirror(createDb(this.env.DB), this.store));
  }

  /**
   * Queues a D1 sync of unsent messages (and the status, `also`, and the message's audit row if
   * it has not gone yet); resolves when this one is done.
   */
  private mirror(status?: MirroredStatus, agentVersion?: number, also: readonly BatchItem<"sqlite">[] = []): Promise<void> {
    const { conversationId, workspaceId, kind } = this.state;
    // A swarm agent's record is its run's steps in D1; it has no D1 conversation to mirror to.
    if (kind === "swarm") return Promise.resolve();
    const target = conversationId && workspaceId ? { conversationId, workspaceId } : null;
    const audit = target ? this.pendingAudit : null;
    const title = target ? this.pendingTitle : null;
    if (audit) this.pendingAudit = null;
    if (title !== null) this.pendingTitle = null;
    const db = createDb(this.env.DB);
    const extra = [
      ...also,
      ...(audit ? [db.insert(auditLogs).values(audit)] : []),
      // Only where the row is still untitled (the open-ahead title, if one was given, stays).
      ...(title !== null && target ? [db.update(conversations).set({ title }).where(and(eq(conversations.id, target.conversationId), eq(conversations.workspaceId, target.workspaceId), eq(conversations.title, "")))] : []),
    ];
    return this.d1Mirror().sync(target, status, agentVersion, extra);
  }
}
