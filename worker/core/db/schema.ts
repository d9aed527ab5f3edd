// D1 schema for every table in docs/architecture.md. The workspace is the tenant: every
// tenant-owned table carries `workspace_id` and every query filters by it.
// Times are Unix epoch milliseconds; ids are prefixed random strings (see core/ids.ts).
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () => integer("created_at").notNull().default(sql`(unixepoch() * 1000)`);
const updatedAt = () => integer("updated_at").notNull().default(sql`(unixepoch() * 1000)`);
const timestamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() });
/** The tenant column: the row goes when its workspace does. */
const workspaceRef = () =>
  text("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" });
/** A user column; "cascade" where the row means nothing without its user. */
const userRef = (name: string, onDelete?: "cascade") =>
  text(name)
    .notNull()
    .references(() => users.id, onDelete ? { onDelete } : {});

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    passwordHash: text("password_hash"),
    platformRole: text("platform_role", { enum: ["platform_admin", "member"] })
      .notNull()
      .default("member"),
    kind: text("kind", { enum: ["human", "service"] })
      .notNull()
      .default("human"),
    disabledAt: integer("disabled_at"),
    passwordChangedAt: integer("password_changed_at"),
    ...timestamps(),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email)],
);

export const workspaces = sqliteTable("workspaces", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  personal: integer("personal", { mode: "boolean" }).notNull().default(false),
  ownerId: userRef("owner_id"),
  ...timestamps(),
});

export const memberships = sqliteTable(
  "memberships",
  {
    workspaceId: workspaceRef(),
    userId: userRef("user_id", "cascade"),
    role: text("role", { enum: ["admin", "user", "read_only"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

/**
 * An admin's offer of a role in a workspace to an email address. Nobody becomes a member by
 * being invited: only the person signed in with that email accepts (or declines) it. The row
 * never says whether the email has an account, so inviting reveals nothing about who is
 * registered. At most one pending invitation per workspace and email.
 */
export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceRef(),
    email: text("email").notNull(),
    role: text("role", { enum: ["admin", "user", "read_only"] }).notNull(),
    invitedBy: userRef("invited_by"),
    /** "expired" is written when a new invitation replaces a lapsed one; until then a pending row past expires_at reads as expired. */
    status: text("status", { enum: ["pending", "accepted", "declined", "revoked", "expired"] })
      .notNull()
      .default("pending"),
    expiresAt: integer("expires_at").notNull(),
    /** Who accepted or declined it (the invitee) or revoked it (an admin), and when. */
    respondedBy: text("responded_by"),
    respondedAt: integer("responded_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("invitations_workspace_idx").on(t.workspaceId, t.createdAt),
    index("invitations_email_idx").on(t.email, t.createdAt),
    uniqueIndex("invitations_pending_unique").on(t.workspaceId, t.email).where(sql`${t.status} = 'pending'`),
  ],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    /** SHA-256 of the cookie value; the raw value is never stored. */
    tokenHash: text("token_hash").notNull(),
    userId: userRef("user_id", "cascade"),
    workspaceId: text("workspace_id").references(() => workspaces.id, { onDelete: "set null" }),
    ip: text("ip"),
    userAgent: text("user_agent"),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("sessions_token_hash_unique").on(t.tokenHash), index("sessions_user_idx").on(t.userId)],
);

export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    familyId: text("family_id").notNull(),
    userId: userRef("user_id", "cascade"),
    workspaceId: workspaceRef(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    revokedAt: integer("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("refresh_tokens_hash_unique").on(t.tokenHash), index("refresh_tokens_family_idx").on(t.familyId)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceRef(),
    /** The principal the key acts for: the creating user, or a service account user. */
    userId: userRef("user_id", "cascade"),
    createdBy: userRef("created_by"),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    expiresAt: integer("expires_at"),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("api_keys_hash_unique").on(t.keyHash), index("api_keys_workspace_idx").on(t.workspaceId)],
);

export const agents = sqliteTable(
  "agents",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceRef(),
    ownerId: userRef("owner_id"),
    /** "private" agents are visible to their owner and workspace admins; "workspace" to every member. */
    visibility: text("visibility", { enum: ["private", "workspace"] })
      .notNull()
      .default("workspace"),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    currentVersion: integer("current_version").notNull().default(1),
    tokensIn: integer("tokens_in").notNull().default(0),
    tokensOut: integer("tokens_out").notNull().default(0),
    deletedAt: integer("deleted_at"),
    ...timestamps(),
  },
  (t) => [index("agents_workspace_idx").on(t.workspaceId, t.createdAt)],
);

export const agentVersions = sqliteTable(
  "agent_versions",
  {
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    workspaceId: workspaceRef(),
    version: integer("version").notNull(),
    /** The full definition at this version: prompt, model, tools, knowledge bases, safety policy. */
    definition: text("definition", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.version] })],
);

export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceRef(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    agentVersion: integer("agent_version").notNull(),
    userId: userRef("user_id"),
    title: text("title").notNull().default(""),
    status: text("status", { enum: ["idle", "running", "awaiting_approval", "cancelled", "error", "blocked"] })
      .notNull()
      .default("idle"),
    ...timestamps(),
  },
  (t) => [index("conversations_workspace_idx").on(t.workspaceId, t.userId, t.updatedAt)],
);

export const messages = sqliteTable(
  "messages",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceRef(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    role: text("role", { enum: ["system", "user", "assistant", "tool"] }).notNull(),
    content: text("content").notNull(),
    toolCalls: text("tool_calls", { mode: "json" }).$type<unknown[]>(),
    citations: text("citations", { mode: "json" }).$type<unknown[]>(),
    tokensIn: integer("tokens_in").notNull().default(0),
    tokensOut: integer("tokens_out").notNull().default(0),
    latencyMs: integer("latency_ms"),
    model: text("model"),
    degraded: integer("degraded", { mode: "boolean" }).notNull().default(false),
    /** complete | streaming | cancelled | error | interrupted (assistant); ok | error | denied | cancelled (tool). */
    status: text("status").notNull().default("complete"),
    toolCallId: text("tool_call_id"),
    toolName: text("tool_name"),
    agentVersion: integer("agent_version"),
    /** The trace of the turn that wrote the message (the dashboard links to its waterfall). */
    traceId: text("trace_id"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("messages_conversation_seq").on(t.conversationId, t.seq)],
);

export const knowledgeBases = sqliteTable(
  "knowledge_bases",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceRef(),
    ownerId: userRef("owner_id"),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    embeddingModel: text("embedding_model").notNull(),
    chunkSize: integer("chunk_size").notNull().default(400),
    chunkOverlap: integer("chunk_overlap").notNull().default(60),
    /** Re-fetch its URL documents this often (the scheduled handler); null: only on request. */
    refetchIntervalHours: integer("refetch_interval_hours"),
    ...timestamps(),
  },
  (t) => [index("knowledge_bases_workspace_idx").on(t.workspaceId)],
);

export const documents = sqliteTable(
  "documents",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceRef(),
    knowledgeBaseId: text("knowledge_base_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    contentHash: text("content_hash").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    status: text("status", { enum: ["queued", "processing", "ready", "failed"] })
      .notNull()
      .default("queued"),
    progress: real("progress").notNull().default(0),
    error: text("error"),
    chunkCount: integer("chunk_count").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    /** Length of the extracted text, which citation offsets point into. */
    charCount: integer("char_count").notNull().default(0),
    /** Content hash + chunking settings + model the current chunks were built from; a redelivered message with the same one is a no-op. */
    indexedSignature: text("indexed_signature"),
    /** The page this document was fetched from; null for uploads. */
    sourceUrl: text("source_url"),
    /** Validators from the last fetch, sent back as If-None-Match / If-Modified-Since. */
    etag: text("etag"),
    lastModified: text("last_modified"),
    /** When the page was last fetched (changed or not). */
    checkedAt: integer("checked_at"),
    /** When this document was last uploaded again with the same name and content (nothing queued). */
    unchangedAt: integer("unchanged_at"),
    ...timestamps(),
  },
  (t) => [
    index("documents_kb_idx").on(t.knowledgeBaseId, t.createdAt),
    uniqueIndex("documents_kb_hash_unique").on(t.knowledgeBaseId, t.contentHash),
    index("documents_kb_name_idx").on(t.knowledgeBaseId, t.name),
    index("documents_source_checked_idx").on(t.knowledgeBaseId, t.checkedAt).where(sql`${t.sourceUrl} IS NOT NULL`),
  ],
);

/** A document's extracted text, in parts: D1 caps a row at 2 MB and uploads may be larger. */
export const documentTexts = sqliteTable(
  "document_texts",
  {
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    part: integer("part").notNull(),
    workspaceId: text("workspace_id").notNull(),
    content: text("content").notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.part] })],
);

export const chunks = sqliteTable(
  "chunks",
  {
    /** Integer rowid so the FTS5 external-content table can reference it. */
    rowid: integer("rowid").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    workspaceId: text("workspace_id").notNull(),
    knowledgeBaseId: text("knowledge_base_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    content: text("content").notNull(),
    startOffset: integer("start_offset").notNull(),
    endOffset: integer("end_offset").notNull(),
    tokenCount: integer("token_count").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("chunks_document_idx").on(t.documentId, t.seq), index("chunks_kb_idx").on(t.knowledgeBaseId)],
);

export const swarmRuns = sqliteTable(
  "swarm_runs",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceRef(),
    createdBy: text("created_by").notNull(),
    strategy: text("strategy").notNull(),
    task: text("task").notNull(),
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: ["pending", "running", "succeeded", "failed", "cancelled", "timed_out"] }).notNull(),
    reason: text("reason"),
    output: text("output"),
    tokensUsed: integer("tokens_used").notNull().default(0),
    stepsUsed: integer("steps_used").notNull().default(0),
    startedAt: integer("started_at"),
    endedAt: integer("ended_at"),
    deadlineAt: integer("deadline_at"),
    createdAt: createdAt(),
  },
  (t) => [index("swarm_runs_workspace_idx").on(t.workspaceId, t.createdAt)],
);

export const swarmSteps = sqliteTable(
  "swarm_steps",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    runId: text("run_id")
      .notNull()
      .references(() => swarmRuns.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    agentId: text("agent_id"),
    /** The step's role (worker, aggregator, router, specialist, proposer, voter, judge). */
    kind: text("kind").notNull(),
    /** Its place in the strategy's plan, e.g. "map:2", "r1:propose:0". */
    key: text("key"),
    round: integer("round").notNull().default(0),
    status: text("status").notNull(),
    input: text("input"),
    output: text("output"),
    /** The agent chosen: a vote, the router's pick, the judge's winner, a handoff target. */
    vote: text("vote"),
    tokensIn: integer("tokens_in").notNull().default(0),
    tokensOut: integer("tokens_out").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    model: text("model"),
    degraded: integer("degraded", { mode: "boolean" }).notNull().default(false),
    latencyMs: integer("latency_ms"),
    startedAt: integer("started_at"),
    endedAt: integer("ended_at"),
    error: text("error"),
    traceId: text("trace_id"),
  },
  (t) => [uniqueIndex("swarm_steps_run_seq").on(t.runId, t.seq)],
);

/**
 * One row per finding that a policy acted on (flag, redact or block). Never the checked text:
 * its SHA-256 and a snippet around the finding with personal data and secrets redacted.
 */
export const safetyEvents = sqliteTable(
  "safety_events",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    agentId: text("agent_id"),
    conversationId: text("conversation_id"),
    runId: text("run_id"),
    /** chat | swarm | v1 | mcp | check (the playground) */
    surface: text("surface").notNull(),
    stage: text("stage", { enum: ["input", "retrieval", "tool_output", "output"] }).notNull(),
    detector: text("detector").notNull(),
    category: text("category").notNull(),
    action: text("action", { enum: ["allow", "flag", "redact", "block"] }).notNull(),
    score: real("score").notNull(),
    source: text("source").notNull(),
    textHash: text("text_hash").notNull(),
    snippet: text("snippet"),
    requestId: text("request_id"),
    createdAt: createdAt(),
  },
  (t) => [
    index("safety_events_workspace_idx").on(t.workspaceId, t.createdAt),
    index("safety_events_conversation_idx").on(t.conversationId),
    index("safety_events_run_idx").on(t.runId),
  ],
);

/** A workspace's default safety policy (agents override it); absent means the platform default. */
export const workspaceSafetyPolicies = sqliteTable("workspace_safety_policies", {
  workspaceId: text("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  policy: text("policy", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  updatedBy: text("updated_by").notNull(),
  updatedAt: updatedAt(),
});

/** Durable record of flag definitions (KV holds the hot copy read on every request). */
export const featureFlags = sqliteTable("feature_flags", {
  key: text("key").primaryKey(),
  definition: text("definition", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  updatedBy: text("updated_by").notNull(),
  ...timestamps(),
});

/** Append-only: no route updates or deletes these rows. */
export const auditLogs = sqliteTable(
  "audit_logs",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id"),
    actorId: text("actor_id"),
    actorKind: text("actor_kind").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    outcome: text("outcome", { enum: ["success", "failure", "denied"] }).notNull(),
    ip: text("ip"),
    requestId: text("request_id"),
    traceId: text("trace_id"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_logs_workspace_idx").on(t.workspaceId, t.createdAt),
    index("audit_logs_action_idx").on(t.action, t.createdAt),
    index("audit_logs_actor_idx").on(t.actorId, t.createdAt),
  ],
);

/** One row per failed sign-in, per bucket ("acct:<email>", "ip:<addr>"): exact throttling counts. */
export const authFailures = sqliteTable(
  "auth_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    bucket: text("bucket").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("auth_failures_bucket_idx").on(t.bucket, t.createdAt)],
);

/** The first answer to a creating POST per credential and Idempotency-Key, replayed for 24 h (core/idempotency.ts). */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    /** "<workspace>:user:<id>" or "<workspace>:key:<id>": one client's keys never meet another's. */
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    route: text("route").notNull(),
    /** SHA-256 of the route and the exact request body. */
    fingerprint: text("fingerprint").notNull(),
    /** Null while the first request is still running. */
    status: integer("status"),
    contentType: text("content_type"),
    body: text("body"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);

// ---------------------------------------------------------------- observability (issue 20)

/**
 * One row per kept trace (worker/core/trace decides what is kept: every error, blocked, degraded
 * and slow trace, and a configurable share of the rest). A Durable Object or queue consumer that
 * continues a trace adds its spans and ORs its flags into the same row.
 */
export const traces = sqliteTable(
  "traces",
  {
    traceId: text("trace_id").primaryKey(),
    /** Null for requests outside any workspace (health, sign-in); only platform admins see those. */
    workspaceId: text("workspace_id"),
    userId: text("user_id"),
    /** The root span's name, e.g. "POST /api/agents/:id/chat" or "queue liquid-hive-ingest". */
    name: text("name").notNull(),
    method: text("method"),
    route: text("route"),
    status: integer("status"),
    durationMs: real("duration_ms").notNull(),
    error: integer("error", { mode: "boolean" }).notNull().default(false),
    blocked: integer("blocked", { mode: "boolean" }).notNull().default(false),
    degraded: integer("degraded", { mode: "boolean" }).notNull().default(false),
    agentId: text("agent_id"),
    conversationId: text("conversation_id"),
    runId: text("run_id"),
    spanCount: integer("span_count").notNull().default(0),
    /** error | blocked | degraded | slow | sampled */
    keptBecause: text("kept_because").notNull(),
    startedAt: integer("started_at").notNull(),
  },
  (t) => [
    index("traces_workspace_idx").on(t.workspaceId, t.startedAt),
    index("traces_conversation_idx").on(t.conversationId),
    index("traces_run_idx").on(t.runId),
    index("traces_started_idx").on(t.startedAt),
  ],
);

/** The spans of a kept trace. Attributes never hold prompts, answers or SQL values (content capture aside). */
export const traceSpans = sqliteTable(
  "trace_spans",
  {
    traceId: text("trace_id").notNull(),
    spanId: text("span_id").notNull(),
    parentSpanId: text("parent_span_id"),
    name: text("name").notNull(),
    /** OpenTelemetry span kind: internal | server | client | producer | consumer */
    kind: text("kind").notNull().default("internal"),
    /** Epoch milliseconds with sub-millisecond precision. */
    startMs: real("start_ms").notNull(),
    durationMs: real("duration_ms").notNull(),
    status: text("status", { enum: ["unset", "ok", "error"] })
      .notNull()
      .default("unset"),
    statusMessage: text("status_message"),
    attributes: text("attributes", { mode: "json" }).$type<Record<string, string | number | boolean>>().notNull(),
    /** Span events (an exception, first token), each { name, time_ms, attributes }. */
    events: text("events", { mode: "json" }).$type<unknown[]>(),
  },
  (t) => [primaryKey({ columns: [t.traceId, t.spanId] })],
);

/**
 * The price of a model, set by platform admins (worker/usage). USD per million tokens; for Workers
 * AI, where neurons are the billed unit, neurons per million tokens as well.
 */
export const modelPrices = sqliteTable(
  "model_prices",
  {
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    inputUsdPerMtok: real("input_usd_per_mtok").notNull(),
    outputUsdPerMtok: real("output_usd_per_mtok").notNull(),
    inputNeuronsPerMtok: real("input_neurons_per_mtok"),
    outputNeuronsPerMtok: real("output_neurons_per_mtok"),
    updatedBy: text("updated_by").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.model] })],
);

/** One row per model call, whatever the surface: what it cost and whom it is charged to. */
export const usageEvents = sqliteTable(
  "usage_events",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    userId: text("user_id"),
    agentId: text("agent_id"),
    agentVersion: integer("agent_version"),
    conversationId: text("conversation_id"),
    runId: text("run_id"),
    evalRunId: text("eval_run_id"),
    /** chat | swarm | v1 | mcp | eval */
    surface: text("surface").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    costUsd: real("cost_usd").notNull().default(0),
    neurons: real("neurons"),
    latencyMs: integer("latency_ms"),
    ttftMs: integer("ttft_ms"),
    /** stop | length | tool_calls | cancelled | error | blocked */
    outcome: text("outcome"),
    degraded: integer("degraded", { mode: "boolean" }).notNull().default(false),
    traceId: text("trace_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("usage_events_workspace_idx").on(t.workspaceId, t.createdAt),
    index("usage_events_agent_idx").on(t.agentId, t.createdAt),
    index("usage_events_conversation_idx").on(t.conversationId),
    index("usage_events_run_idx").on(t.runId),
    index("usage_events_eval_run_idx").on(t.evalRunId),
  ],
);

/** A workspace's monthly spending limit: a warning at `warn_ratio` of it, a hard stop at it. */
export const workspaceBudgets = sqliteTable("workspace_budgets", {
  workspaceId: text("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  monthlyUsd: real("monthly_usd").notNull(),
  warnRatio: real("warn_ratio").notNull().default(0.8),
  /** "YYYY-MM" of the last month a warning was raised, so it is raised once a month. */
  warnedMonth: text("warned_month"),
  updatedBy: text("updated_by").notNull(),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------- evaluation (issue 21)

/** A named, versioned set of cases. Every edit of its cases makes a new version; runs pin one. */
export const evalDatasets = sqliteTable(
  "eval_datasets",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceRef(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by").notNull(),
    deletedAt: integer("deleted_at"),
    ...timestamps(),
  },
  (t) => [
    index("eval_datasets_workspace_idx").on(t.workspaceId, t.createdAt),
    uniqueIndex("eval_datasets_live_name").on(t.workspaceId, t.name).where(sql`${t.deletedAt} IS NULL`),
  ],
);

/** One row per dataset version (migration 0011): its primary key makes a concurrent change a 409. */
export const evalDatasetVersions = sqliteTable(
  "eval_dataset_versions",
  {
    datasetId: text("dataset_id")
      .notNull()
      .references(() => evalDatasets.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    workspaceId: text("workspace_id").notNull(),
    /** What made the version: create | add | edit | delete | import | from_conversation. */
    change: text("change").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.version] })],
);

/**
 * A case belongs to the dataset versions [added_in, removed_in): editing a case removes the old
 * row at the new version and adds the edited copy, so every past version can still be read.
 */
export const evalCases = sqliteTable(
  "eval_cases",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    datasetId: text("dataset_id")
      .notNull()
      .references(() => evalDatasets.id, { onDelete: "cascade" }),
    /** A stable key across versions (the edited copy keeps it). */
    caseKey: text("case_key").notNull(),
    addedIn: integer("added_in").notNull(),
    removedIn: integer("removed_in"),
    position: integer("position").notNull(),
    /** The case itself as the API shows it (input, expected, must_include, …; shared/api-types/evals.ts). */
    body: text("body", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("eval_cases_dataset_idx").on(t.datasetId, t.addedIn),
    index("eval_cases_key_idx").on(t.datasetId, t.caseKey),
  ],
);

/** One evaluation of an agent (pinned version) or a swarm configuration over one dataset version. */
export const evalRuns = sqliteTable(
  "eval_runs",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceRef(),
    datasetId: text("dataset_id").notNull(),
    datasetVersion: integer("dataset_version").notNull(),
    /** { kind: "agent", agent_id, agent_version } | { kind: "swarm", config } */
    target: text("target", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** The scorers and their thresholds, as requested (defaults filled in). */
    scorers: text("scorers", { mode: "json" }).$type<unknown[]>().notNull(),
    concurrency: integer("concurrency").notNull().default(2),
    budgetTokens: integer("budget_tokens"),
    budgetMs: integer("budget_ms"),
    status: text("status", {
      enum: ["pending", "running", "succeeded", "failed", "cancelled", "budget_exceeded"],
    }).notNull(),
    reason: text("reason"),
    casesTotal: integer("cases_total").notNull().default(0),
    casesDone: integer("cases_done").notNull().default(0),
    tokensUsed: integer("tokens_used").notNull().default(0),
    costUsd: real("cost_usd").notNull().default(0),
    /** Per scorer { mean, pass_rate, n } and per tag; filled as cases finish. */
    summary: text("summary", { mode: "json" }).$type<Record<string, unknown>>(),
    label: text("label"),
    createdBy: text("created_by").notNull(),
    startedAt: integer("started_at"),
    endedAt: integer("ended_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("eval_runs_workspace_idx").on(t.workspaceId, t.createdAt),
    index("eval_runs_dataset_idx").on(t.datasetId, t.createdAt),
  ],
);

/** One case's outcome in one run: the answer, its scores, and links to its conversation and trace. */
export const evalResults = sqliteTable(
  "eval_results",
  {
    runId: text("run_id")
      .notNull()
      .references(() => evalRuns.id, { onDelete: "cascade" }),
    caseId: text("case_id").notNull(),
    workspaceId: text("workspace_id").notNull(),
    position: integer("position").notNull(),
    status: text("status", { enum: ["pending", "running", "done", "error", "skipped"] }).notNull(),
    output: text("output"),
    /** What the turn retrieved and cited, and the tool calls it made (for the scorers and the UI). */
    observed: text("observed", { mode: "json" }).$type<Record<string, unknown>>(),
    /** [{ scorer, score, pass, threshold, detail? }] */
    scores: text("scores", { mode: "json" }).$type<unknown[]>(),
    conversationId: text("conversation_id"),
    swarmRunId: text("swarm_run_id"),
    traceId: text("trace_id"),
    tokensIn: integer("tokens_in").notNull().default(0),
    tokensOut: integer("tokens_out").notNull().default(0),
    costUsd: real("cost_usd").notNull().default(0),
    latencyMs: integer("latency_ms"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    startedAt: integer("started_at"),
    endedAt: integer("ended_at"),
  },
  (t) => [primaryKey({ columns: [t.runId, t.caseId] }), index("eval_results_run_idx").on(t.runId, t.position)],
);
