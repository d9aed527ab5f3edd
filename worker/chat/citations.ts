// The shape of a citation on the wire, one schema for the chat `citation` event, stored
// messages, /v1's `citations` extension and MCP's tool result: enough for a client to number
// its sources like the answer's [n] markers and link each to its document, without parsing text.
import { z } from "@hono/zod-openapi";
import type { Citation } from "../core/providers/types";

export const CitationFields = {
  passage_id: z.string().openapi({ description: "The knowledge chunk quoted" }),
  marker: z.number().int().openapi({ description: "The n of the `[n]` marker that cites it in the answer text" }),
  document_id: z.string(),
  document_name: z.string(),
  knowledge_base_id: z.string(),
  source_url: z
    .string()
    .nullable()
    .optional()
    .openapi({ description: "The web page the cited document was fetched from (absent or null for uploads)" }),
  snippet: z
    .object({
      text: z.string(),
      start_offset: z
        .number()
        .int()
        .openapi({ description: "Offset of the quoted text in the document's extracted text" }),
      end_offset: z.number().int(),
    })
    .openapi({ description: "The quoted text (or the passage's best-matching window) and its range in the document" }),
};

// `satisfies`: the schema and the providers' Citation interface describe the same object.
export const AnswerCitation = z.object(CitationFields).openapi("AnswerCitation") satisfies z.ZodType<Citation>;
export type AnswerCitation = z.infer<typeof AnswerCitation>;
