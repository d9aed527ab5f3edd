// Safety policies: for each stage, whether it is checked and what each detector's finding
// leads to. The platform default below is overridden by a workspace's policy, which an
// agent's own policy overrides in turn, stage by stage and detector by detector.
import { z } from "@hono/zod-openapi";
import {
  DETECTORS,
  type DetectorId,
  SAFETY_ACTIONS,
  SAFETY_STAGES,
  type SafetyAction,
  type SafetyStage,
} from "./types";

export const SafetyRule = z
  .object({
    action: z.enum(SAFETY_ACTIONS),
    threshold: z.number().min(0).max(1).optional().openapi({
      description: "Findings scoring below this are ignored (default: the detector's calibrated threshold)",
    }),
    categories: z
      .record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), z.enum(SAFETY_ACTIONS))
      .optional()
      .openapi({
        description: 'Actions for single categories of the findings, over `action` (e.g. pii: { "email": "flag" })',
      }),
  })
  .strict()
  .openapi("SafetyRule");

const detectorRules = Object.fromEntries(DETECTORS.map((d) => [d, SafetyRule.optional()])) as Record<
  DetectorId,
  z.ZodOptional<typeof SafetyRule>
>;

export const SafetyStagePolicy = z
  .object({
    enabled: z.boolean().optional(),
    detectors: z.object(detectorRules).strict().optional(),
  })
  .strict()
  .openapi("SafetyStagePolicy");

/** A policy as stored (workspace) or carried by an agent version: every part optional, merged over what is below. */
export const SafetyPolicy = z
  .object(
    Object.fromEntries(SAFETY_STAGES.map((s) => [s, SafetyStagePolicy.optional()])) as Record<
      SafetyStage,
      z.ZodOptional<typeof SafetyStagePolicy>
    >,
  )
  .strict()
  .openapi("SafetyPolicy");

export type SafetyRule = z.infer<typeof SafetyRule>;
export type SafetyStagePolicy = z.infer<typeof SafetyStagePolicy>;
export type SafetyPolicy = z.infer<typeof SafetyPolicy>;

/** The shape agents had before the safety service: two switches and one action. */
interface LegacyPolicy {
  input_guard?: boolean;
  output_guard?: boolean;
  action?: string;
}

const isLegacy = (v: unknown): v is LegacyPolicy =>
  typeof v === "object" && v !== null && ("input_guard" in v || "output_guard" in v || "action" in v);

/**
 * Reads the pre-safety-service shape: its switches become the input and output stages' `enabled`;
 * its `action` is dropped (it never did anything, and "block" applied to every finding would
 * refuse any answer that mentions an email address).
 */
export function fromLegacy(v: LegacyPolicy): SafetyPolicy {
  const out: SafetyPolicy = {};
  if (v.input_guard === false) out.input = { enabled: false };
  if (v.output_guard === false) out.output = { enabled: false };
  return out;
}

/** An agent's `safety` field: the policy shape, or the legacy one translated. */
export const AgentSafetyPolicy = z.preprocess((v) => (isLegacy(v) ? fromLegacy(v) : v), SafetyPolicy);

/** A stage's rules with every detector decided. */
export interface EffectiveStage {
  enabled: boolean;
  detectors: Record<
    DetectorId,
    { action: SafetyAction; threshold?: number; categories?: Record<string, SafetyAction> }
  >;
}
export type EffectivePolicy = Record<SafetyStage, EffectiveStage>;

const rules = (r: Partial<Record<DetectorId, SafetyAction>>): EffectiveStage["detectors"] =>
  Object.fromEntries(DETECTORS.map((d) => [d, { action: r[d] ?? "allow" }])) as EffectiveStage["detectors"];

/**
 * The platform default. Injections are blocked wherever untrusted text enters (a blocked chunk or
 * tool result is quarantined: replaced by a notice); secrets are redacted everywhere; personal
 * data is flagged coming in and redacted going out, except email addresses in answers, which are
 * flagged: answers quote contact addresses from the knowledge base, and an address is one word
 * that could start with any word, so redacting them means holding every word of every answer
 * until the next one arrives (see stream-guard.ts); a canary leak blocks the answer; the
 * moderation detector only flags (its offline lexicon is weak).
 */
export const DEFAULT_POLICY: EffectivePolicy = {
  input: {
    enabled: true,
    detectors: rules({ injection: "block", pii: "flag", secrets: "redact", moderation: "flag" }),
  },
  retrieval: { enabled: true, detectors: rules({ injection: "block", secrets: "redact", moderation: "flag" }) },
  tool_output: { enabled: true, detectors: rules({ injection: "block", secrets: "redact", moderation: "flag" }) },
  output: {
    enabled: true,
    detectors: {
      ...rules({ secrets: "redact", canary: "block", moderation: "flag" }),
      pii: { action: "redact", categories: { email: "flag" } },
    },
  },
};

/** What a rule does with one finding: its category's action when it names one, else the rule's. */
export const actionFor = (rule: EffectiveStage["detectors"][DetectorId], category: string): SafetyAction =>
  rule.categories?.[category] ?? rule.action;

/** Lays each policy over the one before it (platform default, workspace, agent), stage by stage, detector by detector. */
export function resolvePolicy(...layers: (SafetyPolicy | null | undefined)[]): EffectivePolicy {
  const out = structuredClone(DEFAULT_POLICY);
  for (const layer of layers) {
    if (!layer) continue;
    for (const stage of SAFETY_STAGES) {
      const s = layer[stage];
      if (!s) continue;
      if (s.enabled !== undefined) out[stage].enabled = s.enabled;
      for (const d of DETECTORS) {
        const rule = s.detectors?.[d];
        if (rule) out[stage].detectors[d] = { ...rule };
      }
    }
  }
  return out;
}

/** The detectors a stage runs: those with any action other than `allow`. */
export const activeDetectors = (stage: EffectiveStage): DetectorId[] =>
  stage.enabled
    ? DETECTORS.filter((d) => {
        const { action, categories } = stage.detectors[d];
        return action !== "allow" || Object.values(categories ?? {}).some((a) => a !== "allow");
      })
    : [];
