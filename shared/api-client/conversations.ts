// /api/conversations: the caller's own conversations with an agent, their history, cancel and delete.
import type { CancelResult, ConversationDetail, ConversationPage } from "../api-types";
import { ApiCalls } from "./calls";
import { type PageParams, segment } from "./query";
import type { CallOptions } from "./transport";

export type {
  CancelResult,
  Conversation,
  ConversationDetail,
  ConversationMessage,
  ConversationPage,
  ConversationStatus,
  PendingApproval,
} from "../api-types";

export interface ConversationListParams extends PageParams {
  /** Only conversations with this agent. */
  agent_id?: string;
}

export class ConversationsApi extends ApiCalls {
  /** Newest first. */
  list(params: ConversationListParams = {}, opts?: CallOptions): Promise<ConversationPage> {
    return this.read<ConversationPage>("/api/conversations", { ...params }, opts);
  }

  /** The conversation with one page of its messages (oldest first; `limit` up to 200). */
  get(id: string, params: PageParams = {}, opts?: CallOptions): Promise<ConversationDetail> {
    return this.read<ConversationDetail>(`/api/conversations/${segment(id)}`, { ...params }, opts);
  }

  /** Stops the running answer (its stream ends with `done`, reason cancelled) or drops pending approvals. */
  cancel(id: string, opts?: CallOptions): Promise<CancelResult> {
    return this.http.json<CancelResult>("POST", `/api/conversations/${segment(id)}/cancel`, undefined, opts);
  }

  delete(id: string, opts?: CallOptions): Promise<void> {
    return this.remove(`/api/conversations/${segment(id)}`, opts);
  }
}
