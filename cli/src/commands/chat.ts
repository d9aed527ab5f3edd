// `hive chat <agent>`: talk to an agent. Interactively (a prompt per message, answers streamed
// as they are written, Ctrl-C stops the current answer, /exit quits) or once with --message.
import type { Agent, ApprovalBody, ChatStream, HiveClient } from "@hive/shared/api-client";
import { CliError, type Command, type CommandContext, EXIT } from "../command";
import { authedClient } from "../credentials";
import { inert } from "../output/terminal-safe";
import { findAgent } from "./agents";
import { AnswerPrinter, type AnswerSummary, emptySummary } from "./chat-answer";
import { LineReader } from "./chat-lines";

/** Exit status of a process stopped by Ctrl-C (128 + SIGINT). */
const INTERRUPTED = 130;

/** The stream broke after it started (server restarted, network dropped): the answer goes on server-side. */
class ConnectionLost extends Error {
  constructor(readonly conversationId: string | null) {
    super("connection lost");
  }
}

/** undici reports a socket closed mid-body as `TypeError: terminated` (cause UND_ERR_SOCKET, or an abort of its own). */
function isConnectionLost(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const cause = (err as { cause?: { code?: unknown } }).cause;
  return err.message === "terminated" || (typeof cause?.code === "string" && cause.code.startsWith("UND_ERR"));
}

/** One line instead of a stack: what happened, where the answer is, how to see it. Exit 2 (unreachable). */
function lostConnection(agent: Agent, conversationId: string | null): CliError {
  const see = conversationId ? `: hive chat ${agent.name} --conversation ${conversationId} to see it` : "";
  return new CliError(`connection lost; the answer continues on the server${see}`, EXIT.UNREACHABLE, "CONNECTION_LOST");
}

/**
 * Ctrl-C while an answer streams: the first asks the API to cancel it (the stream then ends
 * with `done`, reason cancelled, and the partial answer is stored as such); a second one stops
 * reading at once. Without an answer running, `idle` decides (quit, or nothing).
 */
class Interrupts {
  private answer: { conversationId: () => string | null; controller: AbortController; cancelling: boolean } | null =
    null;
  interrupted = false;

  constructor(
    private readonly client: HiveClient,
    private readonly idle: () => void,
  ) {}

  readonly handle = () => {
    this.interrupted = true;
    const a = this.answer;
    if (!a) return this.idle();
    const id = a.conversationId();
    if (a.cancelling || !id) return a.controller.abort();
    a.cancelling = true;
    process.stderr.write("\n[stopping…]\n");
    this.client.conversations.cancel(id).catch(() => a.controller.abort());
  };

  async run(
    conversationId: () => string | null,
    open: (signal: AbortSignal) => Promise<ChatStream>,
    read: (stream: ChatStream) => Promise<AnswerSummary>,
  ): Promise<AnswerSummary | null> {
    const controller = new AbortController();
    this.answer = { conversationId, controller, cancelling: false };
    let streaming = false;
    try {
      const stream = await open(controller.signal);
      streaming = true;
      const known = stream.conversationId;
      if (this.answer) this.answer.conversationId = () => known ?? conversationId();
      return await read(stream);
    } catch (err) {
      if (controller.signal.aborted) return null;
      if (streaming && isConnectionLost(err))
        throw new ConnectionLost(this.answer?.conversationId() ?? conversationId());
      throw err;
    } finally {
      this.answer = null;
    }
  }
}

async function askApproval(
  lines: LineReader,
  call: { name: string; arguments: string },
): Promise<ApprovalBody["decision"] | null> {
  const question = `Run ${inert(call.name)} ${inert(call.arguments)}? [y/N] `;
  // On a terminal the question is readline's prompt (a prompt redraws its line, so text written
  // before it on that line would be wiped); piped, there is no prompt, so it goes to stderr.
  if (!lines.terminal) process.stderr.write(question);
  const reply = await lines.next(question);
  if (reply === null) return null;
  // A terminal echoed the reply and its Enter; piped input did not, so end the question's line.
  if (!lines.terminal) process.stderr.write("\n");
  return /^y(es)?$/i.test(reply.trim()) ? "approve" : "deny";
}

async function interactive(
  ctx: CommandContext,
  client: HiveClient,
  agent: Agent,
  startConversation: string | null,
): Promise<number> {
  const lines = new LineReader();
  let conversationId = startConversation;
  const interrupts = new Interrupts(client, () => lines.close());
  // On a terminal readline turns Ctrl-C into its own event; with piped input it stays a signal.
  lines.rl.on("SIGINT", interrupts.handle);
  process.on("SIGINT", interrupts.handle);
  const printer = new AnswerPrinter(ctx.out, true);
  const read = (stream: ChatStream) => printer.read(stream, emptySummary(conversationId));

  // A new conversation is opened while the user types its first message, so that message streams
  // as fast as a continued one's; if none is sent, it is deleted on the way out.
  let ahead: Promise<string | null> | null = conversationId
    ? null
    : client.chat.open(agent.id).then(
        (c) => c.id,
        () => null,
      );
  let pending: AnswerSummary["pending_approvals"] = [];
  if (conversationId) {
    const detail = await client.conversations.get(conversationId, { limit: 1 });
    if (detail.agent_id !== agent.id)
      throw new CliError(`conversation ${conversationId} is with another agent (${detail.agent_id})`, EXIT.USAGE);
    pending = detail.pending_approvals;
    ctx.out.error(`Continuing "${detail.title}" (${conversationId}).`);
  }
  ctx.out.error(
    `Chatting with ${agent.name} (${agent.definition.model.provider}:${agent.definition.model.id}). Ctrl-C stops an answer; /exit quits.`,
  );
  try {
    while (true) {
      // Tool calls waiting for a person come first: nothing else can be sent until they are decided.
      const call = pending.shift();
      let summary: AnswerSummary | null;
      if (call && conversationId) {
        interrupts.interrupted = false;
        const decision = await askApproval(lines, call);
        if (decision === null) {
          ctx.out.error(
            `${call.name} still waits for approval: continue with 'hive chat ${agent.name} --conversation ${conversationId}' to approve or deny.`,
          );
          return interrupts.interrupted ? INTERRUPTED : EXIT.OK;
        }
        const id = conversationId;
        summary = await interrupts.run(
          () => id,
          (signal) => client.chat.decide(id, call.call_id, { decision }, { signal }),
          read,
        );
      } else {
        interrupts.interrupted = false;
        const message = await lines.next("you> ");
        // Ctrl-C at the prompt quits like any interrupted program (130); Ctrl-D and /exit are a normal end.
        if (message === null) return interrupts.interrupted ? INTERRUPTED : EXIT.OK;
        if (/^\/(exit|quit)$/.test(message.trim())) return EXIT.OK;
        if (!message.trim()) continue;
        if (!conversationId && ahead) {
          // Failed to open: the chat call opens one itself.
          conversationId = await ahead;
          ahead = null;
        }
        interrupts.interrupted = false;
        summary = await interrupts.run(() => conversationId, sendTo(client, agent, message, conversationId), read);
      }
      if (summary?.conversation_id) conversationId = summary.conversation_id;
      pending = summary?.reason === "awaiting_approval" ? [...summary.pending_approvals] : [];
      if (!summary) ctx.out.error("[stopped reading]");
    }
  } catch (err) {
    if (err instanceof ConnectionLost) throw lostConnection(agent, err.conversationId ?? conversationId);
    throw err;
  } finally {
    process.off("SIGINT", interrupts.handle);
    lines.close();
    const unused = await ahead;
    if (unused) await client.conversations.delete(unused).catch(() => undefined);
  }
}

/** Sends one message to the agent, in the conversation when there is one (else the call opens one). */
const sendTo =
  (client: HiveClient, agent: Agent, message: string, conversationId: string | null) => (signal: AbortSignal) =>
    client.chat.send(agent.id, { message, ...(conversationId ? { conversation_id: conversationId } : {}) }, { signal });

async function once(
  ctx: CommandContext,
  client: HiveClient,
  agent: Agent,
  message: string,
  conversationId: string | null,
): Promise<number> {
  // An answer is running from the first request on, so there is no idle state to handle.
  const interrupts = new Interrupts(client, () => undefined);
  process.on("SIGINT", interrupts.handle);
  try {
    const printer = new AnswerPrinter(ctx.out, !ctx.out.json);
    const summary = await interrupts
      .run(
        () => conversationId,
        sendTo(client, agent, message, conversationId),
        (stream) => printer.read(stream, emptySummary(conversationId)),
      )
      .catch((err: unknown) => {
        throw err instanceof ConnectionLost ? lostConnection(agent, err.conversationId ?? conversationId) : err;
      });
    if (ctx.out.json && summary) ctx.out.data(summary);
    if (!summary || summary.reason === "cancelled") return interrupts.interrupted ? INTERRUPTED : EXIT.FAILED;
    if (summary.reason === "awaiting_approval") {
      ctx.out.error(
        `${summary.pending_approvals.map((p) => p.name).join(", ")} waits for approval: continue with 'hive chat ${agent.id} --conversation ${summary.conversation_id ?? ""}' to approve or deny.`,
      );
      return EXIT.FAILED;
    }
    return summary.reason === "error" ? EXIT.FAILED : EXIT.OK;
  } finally {
    process.off("SIGINT", interrupts.handle);
  }
}

export const chat: Command = {
  name: "chat",
  summary: "Chat with an agent: interactively, or one --message",
  usage: "<agent id or name> [--message <text>] [--conversation <id>]",
  options: {
    message: { type: "string", short: "m" },
    conversation: { type: "string" },
  },
  help: [
    "The answer streams to stdout as it is written; tool calls, sources, model, token usage and a",
    "'degraded' mark (the offline model or a fallback answered) go to stderr.",
    "Interactive: Ctrl-C stops the current answer (twice: stop reading), /exit or Ctrl-D quits;",
    "tool calls that need approval are asked about with [y/N].",
    "--json (with --message) prints the answer, its citations, tool calls and usage as one document.",
    "",
    "Exit codes:",
    "  0  answered",
    "  1  the answer failed, or stopped waiting for a tool call's approval",
    "  2  the API could not be reached, or the connection dropped mid-answer (the answer goes on on the server)",
    "  130  stopped with Ctrl-C",
  ].join("\n"),
  async run(ctx) {
    const ref = ctx.positionals[0];
    if (!ref) throw new CliError("usage: hive chat <agent id or name> [--message <text>]", EXIT.USAGE);
    const message = typeof ctx.values.message === "string" ? ctx.values.message : null;
    if (message !== null && !message.trim()) throw new CliError("--message must not be empty", EXIT.USAGE);
    if (ctx.out.json && message === null)
      throw new CliError("--json needs --message (the interactive chat is for people)", EXIT.USAGE);
    const conversationId = typeof ctx.values.conversation === "string" ? ctx.values.conversation : null;
    const client = authedClient(ctx);
    const agent = await findAgent(client, ref);
    return message === null
      ? interactive(ctx, client, agent, conversationId)
      : once(ctx, client, agent, message, conversationId);
  },
};
