// Collects a provider's event stream into one result, for callers that do not stream.
import type { GenerateRequest, GenerateResult, ModelProvider } from "./types";

export async function generate(provider: ModelProvider, request: GenerateRequest): Promise<GenerateResult> {
  const result: GenerateResult = {
    text: "",
    toolCalls: [],
    citations: [],
    finishReason: "error",
    usage: { inputTokens: 0, outputTokens: 0 },
  };
  let finished = false;
  for await (const event of provider.stream(request)) {
    if (event.type === "text") result.text += event.delta;
    else if (event.type === "tool_call") result.toolCalls.push(event.call);
    else if (event.type === "citation") {
      if (!result.citations.includes(event.passageId)) result.citations.push(event.passageId);
    } else {
      result.finishReason = event.reason;
      result.usage = event.usage;
      finished = true;
    }
  }
  // A stream that ends without a finish event was cut off; "error" (the default) says so.
  if (!finished) result.finishReason = "error";
  return result;
}
