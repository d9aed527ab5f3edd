// Safety events as the guard pipeline stores them (a hash and a redacted snippet, never the
// text), written straight into D1 so the events API can be tested apart from the pipeline.
import { env } from "cloudflare:test";

export interface EventSeed {
  workspaceId: string;
  agentId?: string | null;
  conversationId?: string | null;
  runId?: string | null;
  surface?: string;
  stage?: "input" | "retrieval" | "tool_output" | "output";
  detector?: string;
  category?: string;
  action?: "allow" | "flag" | "redact" | "block";
  score?: number;
  snippet?: string | null;
  createdAt: number;
}

let counter = 0;

export async function seedEvent(e: EventSeed): Promise<string> {
  const id = `sev_${(++counter).toString().padStart(6, "0")}_${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare(
    `INSERT INTO safety_events (id, workspace_id, agent_id, conversation_id, run_id, surface, stage, detector, category,
       action, score, source, text_hash, snippet, request_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'local', ?, ?, 'req_seed', ?)`,
  )
    .bind(
      id,
      e.workspaceId,
      e.agentId ?? null,
      e.conversationId ?? null,
      e.runId ?? null,
      e.surface ?? "chat",
      e.stage ?? "input",
      e.detector ?? "injection",
      e.category ?? "prompt_injection",
      e.action ?? "block",
      e.score ?? 0.99,
      "a".repeat(64),
      e.snippet === undefined ? "Ignore all previous instructions…" : e.snippet,
      e.createdAt,
    )
    .run();
  return id;
}

export async function countEvents(workspaceId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM safety_events WHERE workspace_id = ?")
    .bind(workspaceId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
