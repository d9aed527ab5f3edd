// One Agent (cloudflare `agents` SDK) per conversation, named by the conversation id. It owns
// the live state (status, pending approvals; persisted and synced to WebSocket clients by the
// SDK), stores every message in its SQLite and hosts the turns (worker/chat/turn.ts,
// swarm-turn.ts) and the D1 mirror (worker/conversations/mirror.ts) that run in it. The first
// chat binds it to one workspace and one user; every later call must come from them. Its
// sockets carry the principal that opened them and are closed when it loses access.
import { Agent, type Connection, type ConnectionContext } from "agents";
import type { BatchItem } from "drizzle-orm/batch";
import { parseSocketPrincipal, type SocketPrincipal } from "../worker/auth/live-principal";
import { type GuardedSocket, SOCKET_RECHECK_MS, SocketGuard } from "../worker/auth/socket-guard";
import { verifySocketToken } from "../worker/auth/socket-token";
import { runSwarmTurn } from "../worker/chat/swarm-turn";
import { approvalPreface, noPreface, startTurn } from "../worker/chat/turn";
import { dropPending, type TurnHost } from "../worker/chat/turn-host";
import type {
  ApprovalInput,
  ApprovalResult,
  Caller,
  ChatInput,
  ConversationState,
  OpenInput,
  RpcFailure,
  Snapshot,
  StreamResult,
  SwarmTurnInput,
  SwarmTurnReply,
  TurnContext,
} from "../worker/conversations/agent-rpc";
import { FirstMirrorHold } from "../worker/conversations/first-mirror";
import { ConversationMirror, type MirroredStatus } from "../worker/conversations/mirror";
import { type ConversationRow, conversationTitle } from "../worker/conversations/service";
import { CONVERSATION_SOCKET_RULE } from "../worker/conversations/socket-route";
import { getConfig } from "../worker/core/config";
import { createDb } from "../worker/core/db";
import { newId } from "../worker/core/ids";
import { writeLog } from "../worker/core/logger";
import { type Hold, inSegment, markSegment } from "../worker/core/trace/segment";
import { MessageStore } from "./agent-message-store";

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
const UNBOUND: ConversationState = {
  conversationId: null,
  workspaceId: null,
  userId: null,
  agentId: null,
  status: "idle",
  pending: [],
  turn: null,
  updatedAt: 0,
};

export class ConversationAgent extends Agent<Env, ConversationState> {
  override initialState: ConversationState = UNBOUND;
  private storeInstance: MessageStore | undefined;
  private controller: AbortController | null = null;
  private mirrorInstance: ConversationMirror | undefined;
  private readonly hold = new FirstMirrorHold();
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
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket")
      return new Response("WebSocket only", { status: 426 });
    const claims = await verifySocketToken(
      getConfig(this.env),
      "conversation",
      new URL(request.url).searchParams.get("token"),
      this.name,
    );
    const s = this.state;
    if (
      !claims ||
      s.conversationId !== this.name ||
      claims.principal.userId !== s.userId ||
      claims.principal.workspaceId !== s.workspaceId
    ) {
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
    connection.send(
      JSON.stringify({ type: "lh_error", message: "This socket is read-only; use the HTTP API to chat" }),
    );
  }

  // ---- RPC from the Worker.

  // RPC entry points stay `async`: the agents SDK starts the object (onStart) only before async methods.
  async chat(input: ChatInput): Promise<StreamResult> {
    return this.traced("chat", input, (hold) => this.startChat(input, hold), input.conversationId);
  }

  private async startChat(input: ChatInput, hold: Hold): Promise<StreamResult> {
    const refused = this.admit(input.caller, input.conversationId, input.open !== undefined);
    if (refused) return refused;
    if (this.state.agentId !== null && this.state.agentId !== input.agentId) {
      return {
        ok: false,
        code: "CONFLICT",
        message: "That conversation belongs to another agent",
        details: { agent_id: this.state.agentId },
      };
    }
    if (this.state.status !== "idle") return this.busy();
    const firstMessageId = newId("msg");
    const title = this.state.untitled ? conversationTitle(input.message) : undefined;
    this.d1Mirror().carry(input.audit ?? null, title);
    this.store.append({
      id: newId("msg"),
      role: "user",
      content: input.message,
      status: "complete",
      agent_version: input.agentVersion,
    });
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
    return startTurn(this.turnHost(hold), input, firstMessageId, false, noPreface);
  }

  /**
   * Opens the conversation ahead of its first message: binds this object to the caller and the
   * agent and writes the D1 row (status idle). Creating the object and the SDK's tables is the
   * slow part of a new conversation; done here, while the user is still typing, the first
   * message meets a ready object.
   */
  async openConversation(input: OpenInput): Promise<{ ok: true; conversation: ConversationRow } | RpcFailure> {
    if (input.conversationId !== this.name) return notFound;
    if (this.state.conversationId !== null)
      return { ok: false, code: "CONFLICT", message: "That conversation is already open" };
    this.update({
      conversationId: input.conversationId,
      workspaceId: input.caller.workspaceId,
      userId: input.caller.userId,
      agentId: input.agentId,
      status: "idle",
      pending: [],
      turn: null,
      untitled: input.title === "",
    });
    const now = Date.now();
    const row: ConversationRow = {
      id: input.conversationId,
      workspaceId: input.caller.workspaceId,
      userId: input.caller.userId,
      agentId: input.agentId,
      agentVersion: input.agentVersion,
      title: input.title,
      status: "idle",
      createdAt: now,
      updatedAt: now,
    };
    await this.d1Mirror().open(row);
    return { ok: true, conversation: row };
  }

  /**
   * One turn for a swarm run's coordinator (worker/chat/swarm-turn.ts). The object is bound to
   * the run's creator and the agent on its first turn; `cancel` stops a turn in flight.
   */
  async swarmTurn(input: SwarmTurnInput): Promise<SwarmTurnReply> {
    return this.traced("swarmTurn", input, () => this.runSwarmTurn(input));
  }

  private async runSwarmTurn(input: SwarmTurnInput): Promise<SwarmTurnReply> {
    const refused = this.admit(input.caller, input.conversationId, true);
    if (refused) return { ...refused, retryable: false };
    if (this.state.agentId !== null && this.state.agentId !== input.agentId) {
      return { ok: false, code: "CONFLICT", message: "This object works for another agent", retryable: false };
    }
    // A turn still winding down after its step timed out: the coordinator's next attempt retries.
    if (this.state.status !== "idle") {
      return {
        ok: false,
        code: "CONFLICT",
        message: "The agent is still busy with an earlier attempt",
        retryable: true,
      };
    }
    return runSwarmTurn(this.turnHost(), input);
  }

  async resolveApproval(input: ApprovalInput): Promise<ApprovalResult> {
    return this.traced("resolveApproval", input, (hold) => this.resumeTurn(input, hold), input.conversationId);
  }

  private async resumeTurn(input: ApprovalInput, hold: Hold): Promise<ApprovalResult> {
    const refused = this.admit(input.caller, input.conversationId);
    if (refused) return refused;
    if (this.state.status === "running") return this.busy();
    const pending = this.state.pending.find((p) => p.call_id === input.callId);
    if (this.state.status !== "awaiting_approval" || !pending) {
      return { ok: false, code: "NOT_FOUND", message: "No tool call is waiting for approval with that id" };
    }
    const remaining = this.state.pending.filter((p) => p.call_id !== input.callId);
    this.update({
      status: "running",
      pending: remaining,
      turn: this.state.turn ? { ...this.state.turn, agentVersion: input.agentVersion } : null,
    });
    const host = this.turnHost(hold);
    const preface = approvalPreface(host, input, pending, remaining);
    const started = startTurn(host, input, pending.message_id, true, preface);
    return started.ok ? { ...started, call: { name: pending.name, arguments: pending.arguments } } : started;
  }

  async cancel(
    caller: Caller,
    conversationId: string,
  ): Promise<{ ok: true; cancelled: boolean; status: string } | RpcFailure> {
    const refused = this.admit(caller, conversationId);
    if (refused) return refused;
    if (this.state.status === "running" && this.controller) {
      this.controller.abort(new Error("cancelled by the user"));
      return { ok: true, cancelled: true, status: "running" };
    }
    if (this.state.status === "awaiting_approval") {
      dropPending(this.turnHost(), this.state.pending);
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
    return {
      status: this.state.status,
      pending: this.state.pending,
      messages: page,
      next_cursor: rows.length > limit && last ? String(last.seq) : null,
    };
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

  // ---- The turn (worker/chat/turn.ts) runs here, on what this object lends it.

  /**
   * A call from the Worker as a segment of the caller's trace (core/trace/segment.ts); a turn
   * that streams on after the call returns holds the segment open until it ends.
   */
  private traced<T>(
    method: string,
    input: TurnContext,
    fn: (hold: Hold) => Promise<T>,
    conversationId?: string,
  ): Promise<T> {
    const host = {
      env: this.env,
      config: getConfig(this.env),
      waitUntil: (work: Promise<unknown>) => this.ctx.waitUntil(work),
    };
    const segment = {
      name: `ConversationAgent/${method}`,
      kind: "server" as const,
      traceparent: input.traceparent,
      attributes: { "rpc.system": "durable_object", "rpc.service": "ConversationAgent", "rpc.method": method },
    };
    return inSegment(host, segment, (hold) => {
      markSegment({
        workspaceId: input.caller.workspaceId,
        userId: input.caller.userId,
        agentId: input.agentId,
        ...(conversationId ? { conversationId } : {}),
      });
      return fn(hold);
    });
  }

  private turnHost(hold?: Hold): TurnHost {
    const self = this;
    return {
      env: this.env,
      get state() {
        return self.state;
      },
      update: (patch) => this.update(patch),
      messages: this.store,
      get controller() {
        return self.controller;
      },
      set controller(controller) {
        self.controller = controller;
      },
      broadcast: (message) => this.broadcast(message),
      waitUntil: (work) => {
        hold?.(work);
        this.ctx.waitUntil(work);
      },
      storage: this.ctx.storage,
      hold: this.hold,
      mirror: (status, agentVersion, also) => this.mirror(status, agentVersion, also),
    };
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
      message: waiting
        ? "Tool calls are waiting for approval; approve or deny them first (or cancel)"
        : "An answer is already being generated",
      details: { status: this.state.status, pending_approvals: this.state.pending.map((p) => p.call_id) },
    };
  }

  private update(patch: Partial<ConversationState>) {
    this.setState({ ...this.state, ...patch, updatedAt: Date.now() });
  }

  private d1Mirror(): ConversationMirror {
    return (this.mirrorInstance ??= new ConversationMirror(createDb(this.env.DB), this.store));
  }

  /**
   * Queues a D1 sync of unsent messages (and the status, `also`, and the message's audit row if
   * it has not gone yet); resolves when this one is done.
   */
  private mirror(
    status?: MirroredStatus,
    agentVersion?: number,
    also: readonly BatchItem<"sqlite">[] = [],
  ): Promise<void> {
    const { conversationId, workspaceId, kind } = this.state;
    // A swarm agent's record is its run's steps in D1; it has no D1 conversation to mirror to.
    if (kind === "swarm") return Promise.resolve();
    const target = conversationId && workspaceId ? { conversationId, workspaceId } : null;
    return this.d1Mirror().sync(target, status, agentVersion, also);
  }
}
