// Provider interfaces (docs/architecture.md, "Offline-first providers"). Implementations are picked
// by what is bound: Workers AI / Vectorize in staging and production, an OpenAI-compatible
// server when LLM_BASE_URL is set, and the built-in offline providers otherwise.
import type { Fallback, FallbackReason } from "./fallback";

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

/** Where a retrieved passage lives: the document it was cut from and its character range there. */
export interface PassageOrigin {
  document_id: string;
  document_name: string;
  knowledge_base_id: string;
  /** The web page the document was fetched from, for citations to link. */
  source_url?: string | null;
  /** Offsets of the passage in the document's extracted text. */
  start_offset: number;
  end_offset: number;
}

/** A passage retrieved for grounding; the offline model answers only from these. */
export interface ContextPassage {
  id: string;
  text: string;
  source?: string;
  /** Set for knowledge-base passages, so a citation of this passage can name and link its document. */
  origin?: PassageOrigin;
}

/**
 * A source an answer cites, as clients receive it (chat `citation` events, stored messages, the
 * /v1 `citations` extension, MCP): `marker` is the n of the `[n]` in the answer text.
 */
export interface Citation extends Omit<PassageOrigin, "start_offset" | "end_offset"> {
  passage_id: string;
  marker: number;
  /** The quoted text (or the passage's best window) and its range in the document's text. */
  snippet: { text: string; start_offset: number; end_offset: number };
}

/** Why `context` is empty although the caller looked: lets an extractive answer say what to try. */
export type ContextNote = "no_knowledge_base" | "no_results" | "search_failed";

/**
 * A choice a swarm step asks the model for (`KEYWORD: <label>`, e.g. a debate's VOTE): models
 * read it from the prompt; the offline model, which cannot weigh prose, answers it from this.
 */
export interface Ballot {
  keyword: string;
  options: { label: number; text: string }[];
}

export interface GenerateRequest {
  model?: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  tools?: ToolSpec[];
  context?: ContextPassage[];
  contextNote?: ContextNote;
  /** Providers earlier in the fallback chain that failed before this one was asked, and how. */
  failedBefore?: Fallback[];
  /**
   * The answer so far, when this provider continues one another provider left unfinished (the
   * messages then end with it as an assistant turn and a request to go on from there).
   */
  continueFrom?: string;
  ballot?: Ballot;
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
  /** `quote`: the passage text the answer quotes, when the provider knows it (extractive answers). */
  | { type: "citation"; passageId: string; quote?: string }
  | { type: "finish"; reason: FinishReason; usage: Usage };

export interface ModelProvider {
  /** "workers-ai", "openai-compatible", "offline", "scripted", ... */
  readonly id: string;
  /** True for providers that do not run a language model (extractive answers). */
  readonly degraded: boolean;
  /** Why a degraded provider answers when nothing failed before it (default: no model configured). */
  readonly degradedReason?: FallbackReason;
  /** False for providers that cannot call tools: the caller retrieves the agent's passages for them. */
  readonly callsTools?: boolean;
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

/** A vector as one local index object (durable-objects/vector-index-store.ts) holds it: no namespace. */
export interface StoredVector {
  id: string;
  values: number[] | Float32Array;
  metadata?: VectorMetadata;
}

/** What the local index object reports about itself. */
export interface IndexDescription {
  count: number;
  /** Fixed by the first vector stored; null while the index has never held one. */
  dimensions: number | null;
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
