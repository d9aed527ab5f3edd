// Provider interfaces (ARCHITECTURE.md, "Offline-first providers"). Implementations are picked
// by what is bound: Workers AI / Vectorize in staging and production, an OpenAI-compatible
// server when LLM_BASE_URL is set, and the built-in offline providers otherwise.

export interface ToolCall {
  id: string;
  name: string;
  /** JSON-encoded arguments, as the model produced them. */
  arguments: string;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  toolCalls?: ToolCall[];
  toolCallId?: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/** A passage retrieved for grounding; the offline model answers only from these. */
export interface ContextPassage {
  id: string;
  text: string;
  source?: string;
}

export interface GenerateRequest {
  model?: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  tools?: ToolSpec[];
  context?: ContextPassage[];
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type FinishReason = "stop" | "length" | "tool_calls" | "cancelled" | "error";

export type ModelEvent =
  | { type: "text"; delta: string }
  | { type: "tool_call"; call: ToolCall }
  | { type: "citation"; passageId: string }
  | { type: "finish"; reason: FinishReason; usage: Usage };

export interface ModelProvider {
  /** "workers-ai", "openai-compatible", "offline", "scripted", ... */
  readonly id: string;
  /** True for providers that do not run a language model (extractive answers). */
  readonly degraded: boolean;
  stream(request: GenerateRequest): AsyncIterable<ModelEvent>;
}

export interface GenerateResult {
  text: string;
  toolCalls: ToolCall[];
  citations: string[];
  finishReason: FinishReason;
  usage: Usage;
}

export interface Embedder {
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}

export type VectorMetadataValue = string | number | boolean;
export type VectorMetadata = Record<string, VectorMetadataValue>;
/** A bare value means `$eq`; several operators in one object must all hold (Vectorize semantics). */
export type VectorFilterOp =
  | VectorMetadataValue
  | {
      $eq?: VectorMetadataValue;
      $ne?: VectorMetadataValue;
      $in?: VectorMetadataValue[];
      $nin?: VectorMetadataValue[];
      $lt?: number | string;
      $lte?: number | string;
      $gt?: number | string;
      $gte?: number | string;
    };

export interface VectorRecord {
  id: string;
  values: number[];
  namespace?: string;
  metadata?: VectorMetadata;
}

export interface VectorQueryOptions {
  topK?: number;
  namespace?: string;
  filter?: Record<string, VectorFilterOp>;
  returnValues?: boolean;
  returnMetadata?: boolean | "all" | "indexed" | "none";
}

export interface VectorMatch {
  id: string;
  score: number;
  values?: number[];
  metadata?: VectorMetadata;
  namespace?: string;
}

/** The subset of Vectorize's surface the platform uses; the local index implements the same. */
export interface VectorIndex {
  upsert(vectors: VectorRecord[]): Promise<{ count: number }>;
  query(vector: number[], options?: VectorQueryOptions): Promise<{ matches: VectorMatch[]; count: number }>;
  deleteByIds(ids: string[], namespace?: string): Promise<{ count: number }>;
}
