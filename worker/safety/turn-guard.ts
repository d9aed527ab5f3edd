// The safety pipeline as one turn sees it, whatever the surface (chat, swarm, /v1, MCP): the
// user's message checked before the model reads it, every retrieved passage and tool result
// checked (the loop fences them as data), the answer guarded while it streams. Every acted
// finding is recorded off the hot path; redactions and blocks are noted for the client.
import type { Config } from "../core/config";
import { type Defer, type GuardScope, recordVerdict } from "./events";
import { type ActedFinding, checkText, type Verdict } from "./pipeline";
import type { EffectivePolicy } from "./policy";
import { type RedactionState, Redactions } from "./redactions";
import { SPOTLIGHT_NOTE } from "./spotlight";
import { StreamGuard } from "./stream-guard";
import type { SafetyStage } from "./types";

/** What a client is told when the guard changed something (the chat stream's `guard` event). */
export interface GuardNotice {
  stage: SafetyStage;
  action: "redact" | "block";
  findings: {
    detector: ActedFinding["detector"];
    category: string;
    score: number;
    action: "flag" | "redact" | "block";
  }[];
  /** Retrieved passages or tool results replaced by the quarantine notice. */
  quarantined?: number;
}

/** What replaces a retrieved passage or tool result the policy blocked. */
const QUARANTINE_NOTICE = "[quarantined: this passage looked like instructions to the assistant]";
/** What ends a stored answer whose output was blocked. */
export const BLOCKED_OUTPUT_NOTICE = "[answer stopped by the safety policy]";

export interface TurnGuardInit {
  env: Env;
  config: Config;
  policy: EffectivePolicy;
  scope: GuardScope;
  defer: Defer;
  /** The conversation's placeholders so far (kept by its host between turns; the guard adds to it). */
  redactions?: RedactionState;
  /** Called with the placeholders whenever a redaction may have added one. */
  persist?: (state: RedactionState) => void;
}

/** An untrusted text after screening: what the model may read, and whether it was quarantined. */
export interface Screened {
  text: string;
  quarantined: boolean;
}

/** Canaries computed in this isolate (the secret does not change while it lives). */
const canaries = new Map<string, string>();

/**
 * The agent's canary: an HMAC of its id under a server secret, so it is stable per agent, never
 * the same in two deployments, and cannot be guessed from the agent id.
 */
async function agentCanary(config: Config, agentId: string): Promise<string> {
  const known = canaries.get(agentId);
  if (known) return known;
  const secret = config.PASSWORD_PEPPER ?? config.JWT_KEYS ?? "liquid-hive-canary";
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`canary:${secret}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(agentId)));
  const canary = `hive-canary-${[...mac.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  if (canaries.size >= 10_000) canaries.clear();
  canaries.set(agentId, canary);
  return canary;
}

export class TurnGuard {
  readonly redactions: Redactions;
  /** Set once the user's latest message went through the input stage (the loop then skips it). */
  inputChecked = false;
  private notices: GuardNotice[] = [];

  private constructor(
    private readonly init: TurnGuardInit,
    readonly canary: string,
  ) {
    this.redactions = new Redactions(init.redactions ?? {});
  }

  static async create(init: TurnGuardInit): Promise<TurnGuard> {
    return new TurnGuard(init, await agentCanary(init.config, init.scope.agentId ?? init.scope.workspaceId));
  }

  /** Lines added to the system prompt: content in <untrusted> fences is data; the canary. */
  systemNote(): string {
    return `${SPOTLIGHT_NOTE}\n<!-- ${this.canary} -->`;
  }

  async check(stage: SafetyStage, text: string): Promise<Verdict> {
    const verdict = await this.verdict(stage, text);
    this.record(verdict, text);
    return verdict;
  }

  private verdict(stage: SafetyStage, text: string): Promise<Verdict> {
    return checkText(stage, text, this.init.policy, {
      redactions: this.redactions,
      canary: this.canary,
      ...(this.init.env.AI ? { ai: this.init.env.AI } : {}),
    });
  }

  /** Records the verdict's findings; a redaction or a block is also noted for the client. */
  record(verdict: Verdict, text: string, quarantined = false): void {
    recordVerdict(this.init.env, this.init.scope, verdict, text, this.init.defer);
    if (verdict.findings.some((f) => f.action === "redact")) this.init.persist?.(this.redactions.toJSON());
    if (verdict.action !== "redact" && verdict.action !== "block") return;
    const findings = verdict.findings.flatMap((f) =>
      f.action === "allow" ? [] : [{ detector: f.detector, category: f.category, score: f.score, action: f.action }],
    );
    const same = this.notices.find((n) => n.stage === verdict.stage);
    if (!same) {
      this.notices.push({
        stage: verdict.stage,
        action: verdict.action,
        findings,
        ...(quarantined ? { quarantined: 1 } : {}),
      });
      return;
    }
    if (verdict.action === "block") same.action = "block";
    same.findings.push(...findings);
    if (quarantined) same.quarantined = (same.quarantined ?? 0) + 1;
  }

  /** The notices since the last call, one per stage. */
  drain(): GuardNotice[] {
    const out = this.notices;
    this.notices = [];
    return out;
  }

  /** Checks an untrusted text: blocked becomes the quarantine notice, redacted is passed redacted. */
  async screen(stage: "retrieval" | "tool_output", text: string): Promise<Screened> {
    const verdict = await this.verdict(stage, text);
    const quarantined = verdict.action === "block";
    this.record(verdict, text, quarantined);
    return { text: quarantined ? QUARANTINE_NOTICE : verdict.text, quarantined };
  }

  stream(): StreamGuard {
    return new StreamGuard(this.init.policy, this.redactions, this.canary);
  }
}
