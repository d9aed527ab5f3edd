// Shared by the Monitoring API tests: reading the figures, and usage rows as the per-call usage
// hook writes them (one usage_events row per model call).

import { env } from "cloudflare:test";
import type { MonitoringResponse } from "@hive/shared/api-types/monitoring";
import { expectStatus } from "./helpers/harness";

export function monitoring(token: string, query = "window=1h"): Promise<MonitoringResponse> {
  return expectStatus<MonitoringResponse>(200, "GET", `/api/monitoring?${query}`, { token });
}

let seq = 0;

export async function usageRow(row: {
  workspaceId: string;
  agentId: string | null;
  provider?: string;
  model?: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs?: number;
  outcome?: string;
  at?: number;
}): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO usage_events (id, workspace_id, agent_id, surface, provider, model, input_tokens, output_tokens, cost_usd, latency_ms, outcome, created_at) VALUES (?, ?, ?, 'chat', ?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(
      `use_test_${++seq}_${Date.now()}`,
      row.workspaceId,
      row.agentId,
      row.provider ?? "openai",
      row.model ?? "gpt-test",
      row.inputTokens,
      row.outputTokens,
      row.costUsd,
      row.latencyMs ?? 100,
      row.outcome ?? "stop",
      row.at ?? Date.now(),
    )
    .run();
}
