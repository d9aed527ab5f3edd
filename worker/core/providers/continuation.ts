// How a language model is asked to continue an answer another provider left unfinished
// (`continueFrom`): the text already sent is given as the start of its answer (an assistant turn)
// followed by an instruction to go on from exactly there, so the client sees one answer rather
// than a second one restarting. The offline model reads `continueFrom` itself and says, in a new
// paragraph, that it is taking over.
import type { ChatMessage, GenerateRequest } from "./types";

export const CONTINUE_INSTRUCTION =
  "Your answer above was cut off. Continue it from exactly where it stops: do not repeat any of it, " +
  "do not restart it, and do not mention the interruption.";

/** The messages a language model reads for this request. */
export function withContinuation(request: GenerateRequest): ChatMessage[] {
  if (!request.continueFrom) return request.messages;
  return [
    ...request.messages,
    { role: "assistant", content: request.continueFrom },
    { role: "user", content: CONTINUE_INSTRUCTION },
  ];
}
