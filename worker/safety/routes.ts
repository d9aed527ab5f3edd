// /api/safety: the playground (check a text against the policy an agent or the workspace would
// apply) and the events the guard pipeline wrote. The playground writes no events: it is for
// trying texts out, and its texts are nobody's conversation (nor should a key fill the table).
// Events carry a hash and a redacted snippet, never the checked text.
import { eq } from "drizzle-orm";
import { agentForChatQuery, readAgentForChat } from "../agents/service";
import { newestFirst, toPage } from "../core/cursor";
import { safetyEvents } from "../core/db/schema";
import { matching, within } from "../core/filters";
import { PageQuery, type Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { checkText } from "./pipeline";
import { resolvePolicy, type SafetyPolicy } from "./policy";
import { CheckRequest, CheckResponse, type SafetyEvent, SafetyEventPage, SafetyEventQuery } from "./schemas";
import { loadWorkspacePolicy } from "./workspace-policy";

const tags = ["safety"];

type EventRow = typeof safetyEvents.$inferSelect;

const toEvent = (r: EventRow): SafetyEvent => ({
  id: r.id,
  agent_id: r.agentId,
  conversation_id: r.conversationId,
  run_id: r.runId,
  surface: r.surface,
  stage: r.stage,
  detector: r.detector,
  category: r.category,
  action: r.action,
  score: r.score,
  source: r.source,
  text_hash: r.textHash,
  snippet: r.snippet,
  request_id: r.requestId,
  created_at: new Date(r.createdAt).toISOString(),
});

export function registerSafety(app: Router) {
  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/safety/check",
      tags,
      summary: "Check a text with the workspace's safety policy, or an agent's (a playground: no event is written)",
      body: CheckRequest,
      ok: [CheckResponse, "The verdict and what was found"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { text, stage, agent_id } = c.req.valid("json");
      const db = c.var.services.db;
      // The agent is read with the caller's visibility: another tenant's or a private one is a 404.
      const [workspace, agentPolicy] = await Promise.all([
        loadWorkspacePolicy(db, p.workspaceId, c.var.config.DEFINITION_CACHE_TTL_SECONDS),
        agent_id
          ? agentForChatQuery(db, p, agent_id).then((rows): SafetyPolicy => readAgentForChat(rows).definition.safety)
          : undefined,
      ]);
      const verdict = await checkText(stage, text, resolvePolicy(workspace.policy, agentPolicy), { ai: c.env.AI });
      return c.json(
        {
          verdict: verdict.action,
          findings: verdict.findings.map(({ detector, category, score, start, end, action }) => ({
            detector,
            category,
            score,
            ...(start === undefined ? {} : { start }),
            ...(end === undefined ? {} : { end }),
            action,
          })),
          ...(verdict.action === "redact" ? { redacted_text: verdict.text } : {}),
          latency_ms: Math.round(verdict.latencyMs * 1000) / 1000,
        },
        200,
      );
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/safety/events",
      tags,
      summary: "Safety events of the current workspace, newest first (admins and read-only reviewers)",
      query: PageQuery.extend(SafetyEventQuery.shape),
      ok: [SafetyEventPage, "Safety events"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const f = c.req.valid("query");
      const e = safetyEvents;
      const rows = await newestFirst(
        c.var.services.db.select().from(e).$dynamic(),
        e,
        f,
        eq(e.workspaceId, p.workspaceId),
        ...matching([
          [e.agentId, f.agent_id],
          [e.conversationId, f.conversation_id],
          [e.runId, f.run_id],
          [e.stage, f.stage],
          [e.detector, f.detector],
          [e.action, f.action],
        ]),
        ...within(e.createdAt, f.since, f.until),
      );
      return c.json(toPage(rows, f.limit, toEvent), 200);
    },
  );
}
