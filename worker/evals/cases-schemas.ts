// The shape of an evaluation case as people write it (the API, the dashboard's editor, one JSONL
// line) and as the API returns it. One zod schema checks all three, so an imported line is held
// to exactly the rules of a case added by hand. Types are shared/api-types/evals.ts.

import { MAX_MESSAGE_CHARS } from "@hive/shared/api-types/conversations";
import type * as api from "@hive/shared/api-types/evals";
import { z } from "@hono/zod-openapi";
import { inQuery, PageQuery, page, pathId } from "../core/openapi";
import type { Expect, Same } from "../core/same-type";
import { asPattern } from "./scorers";

/** Cases one request (a list, or an import) may carry. */
export const MAX_CASES_PER_REQUEST = 5_000;
/** Bytes of JSONL one import may carry. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

const Text = z.string().min(1).max(MAX_MESSAGE_CHARS);
const Expectation = z
  .string()
  .min(1)
  .max(2_000)
  .refine((s) => !/^\/.+\/[a-z]*$/s.test(s) || asPattern(s) !== null, "a /pattern/flags that does not compile");
const Json = z.record(z.string(), z.unknown());

const EvalInput = z.union([
  z.object({ message: Text }).strict(),
  z
    .object({
      messages: z
        .array(z.object({ role: z.enum(["user", "assistant"]), content: Text }).strict())
        .min(1)
        .max(100)
        .refine((m) => m[m.length - 1]?.role === "user", "the last message must be the user's"),
    })
    .strict(),
]);

const caseFields = {
  input: EvalInput.openapi({ description: "One message, or a conversation whose last message is the user's" }),
  expected_output: z.string().max(MAX_MESSAGE_CHARS).optional(),
  must_include: z.array(Expectation).max(100).optional(),
  must_not_include: z.array(Expectation).max(100).optional(),
  expected_sources: z.array(z.string().min(1).max(500)).max(100).optional(),
  expected_tool_calls: z
    .array(z.object({ name: z.string().min(1).max(64), arguments: Json.optional() }).strict())
    .max(50)
    .optional(),
  json_schema: Json.optional(),
  expected_number: z
    .object({ value: z.number(), tolerance: z.number().min(0).optional() })
    .strict()
    .optional(),
  expect_refusal: z.boolean().optional(),
  tags: z.array(z.string().trim().min(1).max(64)).max(32).optional(),
  metadata: Json.optional(),
};

export const EvalCaseInput = z.object(caseFields).strict().openapi("EvalCaseInput");
export type EvalCaseInput = z.infer<typeof EvalCaseInput>;

export const EvalCase = z
  .object({
    id: z.string(),
    case_key: z.string().openapi({ description: "Stable across versions: an edited case keeps it and gets a new id" }),
    position: z.number().int(),
    added_in: z.number().int(),
    ...caseFields,
  })
  .openapi("EvalCase");
export type EvalCase = z.infer<typeof EvalCase>;

export const EvalCasePage = page(EvalCase).extend({ version: z.number().int() }).openapi("EvalCasePage");
export type EvalCasePage = z.infer<typeof EvalCasePage>;

export const EvalCasesAdd = z
  .union([EvalCaseInput, z.object({ cases: z.array(EvalCaseInput).min(1).max(MAX_CASES_PER_REQUEST) }).strict()])
  .openapi("EvalCasesAdd");

export const VersionQuery = z.object({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .openapi(inQuery("version", "A past version of the dataset (default: the current one)")),
});
export const CasePageQuery = PageQuery.extend(VersionQuery.shape);

export const CaseParams = z.object({ id: pathId("id", "eds_3kT9aZ"), caseId: pathId("caseId", "ecs_3kT9aZ") });

export const FromConversationBody = z
  .object({
    conversation_id: z.string().min(1).max(64),
    message_seq: z
      .number()
      .int()
      .min(0)
      .optional()
      .openapi({ description: "The assistant answer to take (default: the last complete one)" }),
  })
  .strict()
  .openapi("EvalCaseFromConversation");

type _Checks = [
  Expect<Same<EvalCaseInput, api.EvalCaseInput>>,
  Expect<Same<EvalCase, api.EvalCase>>,
  Expect<Same<EvalCasePage, api.EvalCasePage>>,
  Expect<Same<z.output<typeof EvalCasesAdd>, api.EvalCasesAdd>>,
  Expect<Same<z.output<typeof FromConversationBody>, api.EvalCaseFromConversation>>,
];
