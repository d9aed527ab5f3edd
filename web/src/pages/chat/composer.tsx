// The message box. Enter sends, Shift+Enter starts a new line; while an answer streams the
// primary button becomes Stop. The first characters of a draft call onDraft (the page opens the
// conversation ahead then).
import { type ChangeEvent, type FormEvent, type KeyboardEvent, useState } from "react";

interface ComposerProps {
  streaming: boolean;
  stopping: boolean;
  /** Why sending is not possible right now, if it is not. */
  blockedReason: string | null;
  canStop: boolean;
  /** The box went from empty to holding a draft. */
  onDraft?: () => void;
  onSend: (message: string) => void;
  onStop: () => void;
}

export function Composer({ streaming, stopping, blockedReason, canStop, onDraft, onSend, onStop }: ComposerProps) {
  const [text, setText] = useState("");
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message || streaming || blockedReason) return;
    setText("");
    onSend(message);
  };
  const onChange = (event: ChangeEvent<HTMLTextAreaElement>) => {
    if (text.trim() === "" && event.target.value.trim() !== "") onDraft?.();
    setText(event.target.value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };
  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="chat-message" className="visually-hidden">
        Message
      </label>
      <textarea
        id="chat-message"
        className="input"
        rows={3}
        placeholder="Ask the agent…"
        value={text}
        onChange={onChange}
        onKeyDown={onKeyDown}
        maxLength={32_000}
      />
      <div className="composer-actions">
        {blockedReason ? (
          <p className="muted small">{blockedReason}</p>
        ) : (
          <p className="muted small">Enter to send, Shift+Enter for a new line.</p>
        )}
        {canStop ? (
          <button type="button" className="button button-danger" onClick={onStop} disabled={stopping}>
            {stopping ? "Stopping…" : "Stop"}
          </button>
        ) : null}
        <button type="submit" className="button" disabled={streaming || Boolean(blockedReason) || text.trim() === ""}>
          Send
        </button>
      </div>
    </form>
  );
}
