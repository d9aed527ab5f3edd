// /agent/:id/chat[/:conversationId]: the chat playground. A new conversation gets its own
// address as soon as the API names it, so reloading or sharing the page reopens it.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { navigate } from "../../router/history";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { ErrorPanel } from "../../ui/error-panel";
import { PageLink } from "../../ui/page-link";
import { QueryState } from "../../ui/query-state";
import { AddToDataset } from "../evals/datasets-add-conversation";
import { AnswerView } from "./answer-view";
import { Composer } from "./composer";
import { useChat } from "./use-chat";

export function ChatPage({ agentId, conversationId }: { agentId: string; conversationId: string | null }) {
  const agent = useQuery(queries.agent(agentId));
  const chat = useChat(agentId, conversationId, (id) =>
    navigate(pathOf("agent", agentId, "chat", id), { replace: true }),
  );
  const end = useRef<HTMLDivElement>(null);
  const lastEntry = chat.entries[chat.entries.length - 1];
  const lastText =
    lastEntry?.kind === "answer" ? lastEntry.parts.length + (lastEntry.parts.at(-1)?.kind === "text" ? 1 : 0) : 0;
  useEffect(() => {
    // A block body: newer Chromium returns a promise from scrollIntoView, which React would take for a cleanup.
    end.current?.scrollIntoView({ block: "nearest" });
  }, [chat.entries.length, lastText]);

  const name = agent.data?.name ?? "Agent";
  const decide = chat.streaming
    ? null
    : (callId: string, decision: "approve" | "deny") => void chat.decide(callId, decision);
  const running = chat.detail?.live_status === "running" && !chat.streaming;
  return (
    <Page
      title={`Chat with ${name}`}
      lead={
        agent.data ? (
          <>
            <code>
              {agent.data.definition.model.provider}:{agent.data.definition.model.id}
            </code>{" "}
            · version {agent.data.version} · <Link to={pathOf("agent", agentId)}>configuration</Link>
          </>
        ) : undefined
      }
      actions={
        chat.conversationId ? (
          <>
            {chat.streaming ? null : <AddToDataset conversationId={chat.conversationId} />}
            <PageLink to={pathOf("agent", agentId, "chat")}>New conversation</PageLink>
          </>
        ) : null
      }
    >
      {agent.error ? <QueryState query={agent} errorTitle="Could not load the agent" /> : null}
      {chat.loadError ? <ErrorPanel title="Could not open the conversation" error={chat.loadError} /> : null}
      <section className="panel chat" aria-label="Conversation">
        {/* Announces the answer's progress once, not every token. */}
        <p className="visually-hidden" role="status">
          {chat.streaming ? `${name} is answering` : chat.awaitingApproval ? "A tool call waits for your approval" : ""}
        </p>
        <div className="transcript">
          {chat.loading ? <p className="muted">Loading the conversation…</p> : null}
          {!chat.loading && chat.entries.length === 0 ? (
            <p className="muted">Send a message to start a conversation with {name}.</p>
          ) : null}
          {running ? (
            <p className="muted">
              An answer is still being written in another window; reload to see it when it is done.
            </p>
          ) : null}
          {chat.entries.map((entry) =>
            entry.kind === "user" ? (
              <article key={entry.key} className="message message-user" data-testid="user-message">
                <p>{entry.text}</p>
              </article>
            ) : (
              <AnswerView key={entry.key} answer={entry} onDecide={decide} />
            ),
          )}
          <div ref={end} />
        </div>
        <Composer
          streaming={chat.streaming}
          stopping={chat.stopping}
          canStop={chat.streaming || chat.awaitingApproval}
          blockedReason={chat.awaitingApproval ? "Approve or deny the tool call above, or Stop to drop it." : null}
          onDraft={chat.prepare}
          onSend={(message) => void chat.send(message)}
          onStop={() => void chat.stop()}
        />
      </section>
    </Page>
  );
}
