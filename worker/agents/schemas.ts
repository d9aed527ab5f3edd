// Agent definitions: the request and response schemas of /api/agents, shared (as types) with
// the dashboard and the CLI. A definition is everything that decides how an agent answers;
// each change stores a new immutable version of it.

import type * as api from "@hive/shared/api-types/agents";
import { MODEL_PROVIDERS, TOOL_NAMES, VISIBILITIES } from "@hive/shared/api-types/agents";
import { z } from "@hono/zod-openapi";
import { displayName } from "../core/names";
import { idParams } from "../core/openapi";
import type { Expect, Same } from "../core/same-type";
import { AgentSafetyPolicy } from "../safety/policy";
import { UsageTotals } from "../usage/schemas";

export const ModelSpec = z
  .object({
    provider: z
      .enum(MODEL_PROVIDERS)
      .openapi({ description: "`scripted` exists only in development and test (benchmarks)" }),
    id: z.string().trim().min(1).max(200).openapi({ example: "@cf/meta/llama-3.1-8b-instruct" }),
  })
  .openapi("ModelSpec");

const KnowledgeBaseId = z.string().regex(/^kb_[A-Za-z0-9]{1,40}$/, "must be a knowledge base id (kb_...)");

const unique = <T>(items: T[]) => new Set(items).size === items.length;

/** The versioned part of an agent. Defaults fill in what a create request leaves out. */
export const AgentDefinition = z
  .object({
    name: displayName(100),
    description: z.string().max(2000).default(""),
    system_prompt: z.string().max(20_000).default(""),
    model: ModelSpec.default({ provider: "offline", id: "offline" }),
    fallback_models: z.array(ModelSpec).max(3).default([]),
    temperature: z.number().min(0).max(2).default(0.7),
    max_tokens: z.number().int().min(1).max(8192).default(1024),
    tools: z.array(z.enum(TOOL_NAMES)).max(TOOL_NAMES.length).refine(unique, "must not repeat a tool").default([]),
    knowledge_base_ids: z.array(KnowledgeBaseId).max(20).refine(unique, "must not repeat an id").default([]),
    safety: AgentSafetyPolicy.default({}).openapi({
      description: "Overrides of the workspace's safety policy, stage by stage (empty: the workspace policy applies)",
    }),
    max_steps: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(5)
      .openapi({ description: "Model calls per answer in the tool loop" }),
    allow_system_override: z.boolean().default(false).openapi({
      description:
        "Whether /v1 callers may add their own system (or developer) messages; they always follow the agent's system prompt. Off: such requests are refused (400)",
    }),
  })
  .strict()
  .openapi("AgentDefinition");

export type AgentDefinition = z.infer<typeof AgentDefinition>;
export type ModelSpec = z.infer<typeof ModelSpec>;

export const Visibility = z.enum(VISIBILITIES).openapi({
  description: "private: the owner and workspace admins; workspace: every member",
});

export const CreateAgentBody = AgentDefinition.extend({ visibility: Visibility.default("workspace") })
  .strict()
  .openapi("CreateAgent");

const definitionKeys = Object.keys(AgentDefinition.shape) as (keyof AgentDefinition)[];

export const UpdateAgentBody = z
  .object({
    name: displayName(100),
    description: z.string().max(2000),
    system_prompt: z.string().max(20_000),
    model: ModelSpec,
    fallback_models: z.array(ModelSpec).max(3),
    temperature: z.number().min(0).max(2),
    max_tokens: z.number().int().min(1).max(8192),
    tools: z.array(z.enum(TOOL_NAMES)).max(TOOL_NAMES.length).refine(unique, "must not repeat a tool"),
    knowledge_base_ids: z.array(KnowledgeBaseId).max(20).refine(unique, "must not repeat an id"),
    safety: AgentSafetyPolicy,
    max_steps: z.number().int().min(1).max(20),
    allow_system_override: z.boolean(),
    visibility: Visibility,
    expected_version: z
      .number()
      .int()
      .min(1)
      .openapi({ description: "Fail with 409 unless this is still the current version" }),
  })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== "expected_version"), "Nothing to update")
  .openapi("UpdateAgent");

export const changesDefinition = (body: UpdateAgentBody) => definitionKeys.some((k) => body[k] !== undefined);

export type CreateAgentBody = z.infer<typeof CreateAgentBody>;
export type UpdateAgentBody = z.infer<typeof UpdateAgentBody>;

export const Agent = z
  .object({
    id: z.string().openapi({ example: "agt_3kT9aZ" }),
    workspace_id: z.string(),
    owner_id: z.string(),
    visibility: Visibility,
    name: z.string(),
    description: z.string(),
    version: z.number().int(),
    definition: AgentDefinition,
    tokens_in: z.number().int(),
    tokens_out: z.number().int(),
    usage: UsageTotals.optional().openapi({ description: "GET /api/agents/:id only: all model calls, all time" }),
    can_edit: z.boolean().openapi({ description: "Whether the caller may change or delete it" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Agent");

export const AgentVersion = z
  .object({
    agent_id: z.string(),
    version: z.number().int(),
    definition: AgentDefinition,
    created_by: z.string(),
    created_at: z.string(),
    current: z.boolean(),
  })
  .openapi("AgentVersion");

export type Agent = z.infer<typeof Agent>;
export type AgentVersion = z.infer<typeof AgentVersion>;

export const AgentIdParam = idParams("agt_3kT9aZ");

export const VersionParam = AgentIdParam.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .openapi({ param: { name: "version", in: "path" }, example: 2 }),
});

// The types clients import from shared/api-types are exactly what these schemas accept and return.
type _Checks = [
  Expect<Same<AgentDefinition, api.AgentDefinition>>,
  // `safety` also accepts the pre-safety-service shape on input (see AgentSafetyPolicy), so its input type is open.
  Expect<Same<Omit<z.input<typeof CreateAgentBody>, "safety">, Omit<api.NewAgent, "safety">>>,
  Expect<Same<UpdateAgentBody, api.UpdateAgentBody>>,
  Expect<Same<Agent, api.Agent>>,
  Expect<Same<AgentVersion, api.AgentVersion>>,
];
