// Messages on the ingestion queue: typed, versioned, validated on both sides.
// Every message carries the request id of the API call that caused it, for the logs.
import { z } from "zod";

export const IngestDocumentMessage = z.object({
  type: z.literal("ingest_document"),
  v: z.literal(1),
  workspaceId: z.string().min(1),
  documentId: z.string().min(1),
  requestId: z.string().min(1),
  /** The W3C traceparent of the span that sent it: the consumer continues that trace. */
  traceparent: z.string().max(128).optional(),
});

/** Fetch a URL document's page (or re-fetch it, conditionally), then ingest it when its content changed. */
export const FetchDocumentMessage = IngestDocumentMessage.extend({
  type: z.literal("fetch_document"),
  refetch: z.boolean(),
});

export const QueueMessage = z.discriminatedUnion("type", [IngestDocumentMessage, FetchDocumentMessage]);
export type QueueMessage = z.infer<typeof QueueMessage>;
export type QueueMessageType = QueueMessage["type"];
