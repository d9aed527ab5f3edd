// The playground's conversation: sends messages and streams answers over SSE (fetch + a
// ReadableStream: the chat route is a POST, which EventSource cannot send), resumes answers
// after approvals, and stops them. Stop asks the API to cancel and keeps reading, so the
// answer ends with the server's own `done` (cancelled) and what it stored matches the screen.
// A new conversation is opened ahead, as soon as the user starts typing its first message, so
// that message streams as fast as a continued conversation's; one opened and never used is
// deleted when the page leaves it.

import type { ApprovalBody, ChatStream, ConversationDetail } from "@hive/shared/api-client";
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../../api/client";
import { errorText, isAbort } from "../../ui/error-text";
import { applyEvent, dropPending, type Entry, emptyAnswer, entryKey, fromHistory, patchLastAnswer } from "./transcript";

export interface ChatSession {
  entries: Entry[];
  conversationId: string | null;
  /** Loading a stored conversation. */
  loading: boolean;
  loadError: unknown;
  /** The conversation as stored when it was opened (status, live status). */
  detail: ConversationDetail | null;
  streaming: boolean;
  stopping: boolean;
  awaitingApproval: boolean;
  /** The user started a message: open the conversation now if there is none yet. */
  prepare: () => void;
  send: (message: string) => Promise<void>;
  decide: (callId: string, decision: ApprovalBody["decision"]) => Promise<void>;
  stop: () => Promise<void>;
}

export function useChat(
  agentId: string,
  openConversationId: string | null,
  onConversation: (id: string) => void,
): ChatSession {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [conversationId, setConversationId] = useState<string | null>(openConversationId);
  const [detail, setDetail] = useState<ConversationDetail | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [streaming, setStreaming] = useState(false);
  const [stopping, setStopping] = useState(false);
  const reading = useRef<AbortController | null>(null);
  // The conversation the transcript shows; undefined until the first one is opened.
  const current = useRef<string | null | undefined>(undefined);
  const announce = useRef(onConversation);
  announce.current = onConversation;
  // A conversation opened ahead of its first message (null if opening it failed).
  const ahead = useRef<Promise<string | null> | null>(null);
  const discardAhead = useCallback(() => {
    const opened = ahead.current;
    ahead.current = null;
    void opened?.then((id) => (id ? api.conversations.delete(id) : undefined)).catch(() => undefined);
  }, []);

  // Opening another conversation (or a new one) from the address. When a new conversation's id
  // is announced, the address catches up with `current` and nothing is reset.
  useEffect(() => {
    if (openConversationId === current.current) return;
    reading.current?.abort();
    discardAhead();
    current.current = openConversationId;
    setConversationId(openConversationId);
    setEntries([]);
    setDetail(null);
    setLoadError(null);
    if (!openConversationId) return;
    const controller = new AbortController();
    let loaded = false;
    setLoading(true);
    api.conversations.get(openConversationId, { limit: 200 }, { signal: controller.signal }).then(
      (d) => {
        loaded = true;
        setDetail(d);
        setEntries(fromHistory(d.messages.data, d.pending_approvals));
        setLoading(false);
      },
      (err: unknown) => {
        if (isAbort(err) || controller.signal.aborted) return;
        setLoadError(err);
        setLoading(false);
      },
    );
    return () => {
      controller.abort();
      // Interrupted before it loaded (StrictMode's second mount, a quick switch): load it again next time.
      if (!loaded && current.current === openConversationId) current.current = undefined;
    };
  }, [openConversationId, discardAhead]);

  useEffect(() => () => reading.current?.abort(), []);
  // Leaving the page, or this agent, with an opened conversation nobody wrote in.
  useEffect(() => discardAhead, [agentId, discardAhead]);

  const prepare = useCallback(() => {
    if (current.current || ahead.current) return;
    ahead.current = api.chat.open(agentId).then(
      (c) => c.id,
      () => null,
    );
  }, [agentId]);

  const consume = useCallback(async (open: (signal: AbortSignal) => Promise<ChatStream>) => {
    const controller = new AbortController();
    reading.current = controller;
    setStreaming(true);
    try {
      const stream = await open(controller.signal);
      if (stream.conversationId && stream.conversationId !== current.current) {
        current.current = stream.conversationId;
        setConversationId(stream.conversationId);
        announce.current(stream.conversationId);
      }
      const traceId = stream.traceId;
      if (traceId) setEntries((e) => patchLastAnswer(e, (a) => ({ ...a, traceId })));
      for await (const event of stream.events) setEntries((e) => applyEvent(e, event));
    } catch (err) {
      if (!controller.signal.aborted || !isAbort(err)) {
        setEntries((e) => patchLastAnswer(e, (a) => ({ ...a, state: "error", error: errorText(err) })));
      }
    } finally {
      if (reading.current === controller) reading.current = null;
      // A stream that ended without `done` (connection dropped) is not still running.
      setEntries((e) =>
        patchLastAnswer(e, (a) =>
          a.state === "streaming" ? { ...a, state: controller.signal.aborted ? "cancelled" : "interrupted" } : a,
        ),
      );
      setStreaming(false);
      setStopping(false);
    }
  }, []);

  const send = useCallback(
    async (message: string) => {
      setEntries((e) => [...e, { kind: "user", key: entryKey(), text: message }, emptyAnswer()]);
      let id = current.current ?? null;
      if (!id && ahead.current) {
        const opened = ahead.current;
        ahead.current = null;
        // Still opening: wait for it (no slower than opening inside the chat call); failed: the chat call opens one.
        id = await opened;
      }
      await consume((signal) =>
        api.chat.send(agentId, { message, ...(id ? { conversation_id: id } : {}) }, { signal }),
      );
    },
    [agentId, consume],
  );

  const decide = useCallback(
    async (callId: string, decision: ApprovalBody["decision"]) => {
      const id = current.current;
      if (!id) return;
      setEntries((e) =>
        patchLastAnswer(e, (a) => ({
          ...a,
          parts: a.parts.map((p) => (p.kind === "tool" && p.callId === callId ? { ...p, approval: "sent" } : p)),
        })),
      );
      await consume((signal) => api.chat.decide(id, callId, { decision }, { signal }));
    },
    [consume],
  );

  const stop = useCallback(async () => {
    const id = current.current;
    setStopping(true);
    try {
      if (!id) throw new Error("no conversation yet");
      const result = await api.conversations.cancel(id);
      // Nothing was streaming: the pending approvals were dropped instead.
      if (!reading.current) {
        if (result.cancelled) setEntries((e) => patchLastAnswer(e, dropPending));
        setStopping(false);
      }
    } catch {
      // The API could not be asked; at least stop reading so the page is usable again.
      reading.current?.abort();
      setStopping(false);
    }
  }, []);

  const last = entries.findLast((e) => e.kind === "answer");
  const awaitingApproval = !streaming && last?.kind === "answer" && last.state === "awaiting_approval";
  return {
    entries,
    conversationId,
    loading,
    loadError,
    detail,
    streaming,
    stopping,
    awaitingApproval,
    prepare,
    send,
    decide,
    stop,
  };
}
