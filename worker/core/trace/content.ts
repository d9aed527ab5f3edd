// Prompts and answers stay off spans unless TRACE_CAPTURE_CONTENT=on when the trace's segment
// started, and even then only after the safety redactor (injected by the caller: core imports no
// feature), cut to a bounded size.
import { type Span, segmentOf } from "./tracer";

/** The safety redactor: personal data and secrets replaced (worker/safety). */
export type Redact = (text: string) => string;

const MAX_CONTENT_CHARS = 1000;

/** Puts `text`, redacted, on `span` under `key`; does nothing when content capture is off. */
export function captureContent(span: Span, key: string, text: string, redact: Redact): void {
  if (!segmentOf(span)?.captureContent) return;
  span.setAttribute(key, redact(text).slice(0, MAX_CONTENT_CHARS));
}
