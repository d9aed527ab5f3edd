// The domain spans a trace shows: an agent turn run in the conversation's Durable Object with
// the offline model over a knowledge base (invoke_agent, chat with its provider attempt,
// retrieval with lexical/vector/fusion, the safety input stage), a tool call (execute_tool with
// its status and no arguments), a swarm step, a knowledge search, a safety check and the stream
// guard; and the trace ids the turn's messages and the step keep. Each runs under a trace segment
// made here with runSegment, the way the platform's middleware makes one.
import { env, runInDurableObject } from "cloudflare:test";
import { StartRunBody } from "@hive/shared/swarm-protocol";
import { getAgentByName } from "agents";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConversationAgent } from "../../durable-objects/agent-conversation";
import { MessageStore } from "../../durable-objects/agent-message-store";
import { SwarmStore } from "../../durable-objects/swarm-store";
import { AgentDefinition } from "../../worker/agents/schemas";
import type { ConversationDetail } from "../../worker/conversations/schemas";
import { getConfig } from "../../worker/core/config";
import { createDb } from "../../worker/core/db";
import { newId } from "../../worker/core/ids";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import type { ModelProvider } from "../../worker/core/providers/types";
import { currentTraceparent } from "../../worker/core/trace/traceparent";
import { runSegment, type SpanRecord } from "../../worker/core/trace/tracer";
import { complete, guardCompletion } from "../../worker/openai/complete";
import { ChatCompletionRequest } from "../../worker/openai/schemas";
import { checkText } from "../../worker/safety/pipeline";
import { resolvePolicy } from "../../worker/safety/policy";
import { Redactions } from "../../worker/safety/redactions";
import { StreamGuard } from "../../worker/safety/stream-guard";
import { stepFromRecord } from "../../worker/swarm/records";
import type { StepRecord } from "../../worker/swarm/run-state";
import { runStep, type StepHost } from "../../worker/swarm/step";
import { searchKnowledgeBases } from "../../worker/tools/knowledge-search";
import { UsageMeter } from "../../worker/usage/meter";
import { type AgentInput, chat, createAgent, toolCallScript } from "./helpers/chat";
import { expectStatus } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";
import { toolContext } from "./helpers/tool-context";
import { storedTrace } from "./helpers/traces";
import { type Caller, createKb, signedInUser, uploadIngested } from "./knowledge.helpers";

let caller: Caller;
let kbId: string;

beforeAll(async () => {
  caller = await signedInUser();
  kbId = (await createKb(caller)).id;
  await uploadIngested(
    caller,
    kbId,
    "wings.md",
    "Wing lift grows with the angle of attack until the wing stalls.\n\nA stall happens near fifteen degrees.",
  );
});

afterEach(() => clearProviderOverrides());

/** Runs `fn` as the root of a new trace segment and returns the spans it recorded. */
async function traced(fn: () => Promise<unknown>): Promise<SpanRecord[]> {
  const { segment, result } = runSegment("test", "server", undefined, undefined, async () => {
    await fn();
  });
  await result;
  return segment.spans;
}

/**
 * Runs `fn` as the root of a sampled trace and hands it the `traceparent` to pass into an Agent
 * object, which records its part of the trace in a segment of its own and stores it: returns the
 * spans of both, once the object's `waitFor` span is stored.
 */
async function tracedIntoObject(
  fn: (traceparent: string | undefined) => Promise<unknown>,
  waitFor: (name: string) => boolean,
): Promise<{ spans: SpanRecord[]; traceId: string }> {
  const { segment, result } = runSegment(
    "test",
    "server",
    undefined,
    undefined,
    async () => {
      await fn(currentTraceparent());
    },
    { sampleRate: 1 },
  );
  await result;
  const traceId = segment.context.traceId;
  const { spans } = await storedTrace(traceId, (stored) => stored.some((s) => waitFor(s.name)));
  const fromObject = spans.map(
    (s): SpanRecord => ({
      traceId: s.trace_id,
      spanId: s.span_id,
      parentSpanId: s.parent_span_id,
      name: s.name,
      kind: s.kind as SpanRecord["kind"],
      startMs: 0,
      durationMs: 0,
      status: s.status as SpanRecord["status"],
      ...(s.status_message ? { statusMessage: s.status_message } : {}),
      attributes: s.attributes,
      events: (s.events ?? []) as SpanRecord["events"],
    }),
  );
  return { spans: [...segment.spans, ...fromObject], traceId };
}

const named = (spans: readonly SpanRecord[], name: string) => spans.filter((s) => s.name === name);
const one = (spans: readonly SpanRecord[], name: string): SpanRecord => {
  const found = named(spans, name);
  expect(found, `${name} in ${spans.map((s) => s.name).join(", ")}`).toHaveLength(1);
  return found[0] as SpanRecord;
};
const childOf = (child: SpanRecord, parent: SpanRecord) => expect(child.parentSpanId).toBe(parent.spanId);

/** One chat turn inside the conversation's Agent object, under a segment, the answer read to its end. */
async function turnInObject(body: AgentInput & { name: string }, message: string, model?: ModelProvider) {
  const agentId = (await createAgent(caller.token, body)).id;
  const definition = AgentDefinition.parse(body);
  const conversationId = (await chat(caller.token, agentId, "hello")).conversationId;
  if (model) setProviderOverrides({ model });
  const stub = await getAgentByName(env.CONVERSATION_AGENT, conversationId);
  const { spans, traceId } = await runInDurableObject(stub, (instance: ConversationAgent) =>
    tracedIntoObject(
      async (traceparent) => {
        const r = await instance.chat({
          caller: { workspaceId: caller.workspaceId, userId: caller.userId },
          conversationId,
          agentId,
          agentVersion: 1,
          definition,
          requestId: "req_trace_test",
          message,
          ...(traceparent ? { traceparent } : {}),
        });
        if (!r.ok) throw new Error(r.message);
        await new Response(r.stream).text();
      },
      (name) => name === `invoke_agent ${body.name}`,
    ),
  );
  return { spans, agentId, conversationId, traceId };
}

describe("spans of a chat turn", () => {
  it("an offline answer over a knowledge base: invoke_agent > chat > attempt and retrieval, the input safety stage", async () => {
    const body = { name: "Wing tutor", knowledge_base_ids: [kbId] };
    const { spans, agentId, conversationId, traceId } = await turnInObject(body, "When does a wing stall?");

    const turn = one(spans, "invoke_agent Wing tutor");
    expect(turn.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.id": agentId,
      "gen_ai.agent.name": "Wing tutor",
      "gen_ai.agent.version": "1",
      "gen_ai.conversation.id": conversationId,
      "liquid_hive.outcome": "stop",
      "liquid_hive.degraded": true,
    });
    const call = one(spans, "chat offline");
    childOf(call, turn);
    expect(call.kind).toBe("client");
    expect(call.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "offline",
      "gen_ai.request.model": "offline",
      "gen_ai.response.model": "offline",
      "gen_ai.response.finish_reasons": "stop",
      "liquid_hive.degraded": true,
      "liquid_hive.fallback.reason": "no_model",
    });
    expect(call.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    expect(call.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    expect(call.attributes["gen_ai.server.time_to_first_token"]).toBeGreaterThanOrEqual(0);
    expect(call.events.map((e) => e.name)).toContain("gen_ai.first_token");
    const attempt = one(spans, "chat.attempt offline:offline");
    childOf(attempt, call);
    expect(attempt.attributes["liquid_hive.attempt.ending"]).toBe("finished");

    const retrieval = one(spans, "retrieval");
    expect(retrieval.attributes["liquid_hive.retrieval.returned"]).toBeGreaterThan(0);
    for (const name of ["lexical", "vector", "fusion"]) childOf(one(spans, name), retrieval);
    expect(one(spans, "lexical").attributes["liquid_hive.retrieval.candidates"]).toBeGreaterThan(0);
    expect(one(spans, "retrieval.screen").attributes["liquid_hive.retrieval.quarantined"]).toBe(0);

    const input = one(spans, "safety input");
    childOf(input, turn);
    expect(input.attributes).toMatchObject({
      "liquid_hive.safety.stage": "input",
      "liquid_hive.safety.verdict": "allow",
    });

    // The turn's messages link to its trace, in the object and in the D1 mirror; the first turn's (untraced) do not.
    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${conversationId}`, {
      token: caller.token,
    });
    // The first exchange came over HTTP: its own trace, not this one.
    const first = detail.messages.data[0]?.trace_id;
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(first).not.toBe(traceId);
    expect(detail.messages.data.map((m) => [m.role, m.trace_id])).toEqual([
      ["user", first],
      ["assistant", first],
      ["user", traceId],
      ["assistant", traceId],
    ]);
    const mirrored = await env.DB.prepare("SELECT trace_id FROM messages WHERE conversation_id = ? ORDER BY seq")
      .bind(conversationId)
      .all<{ trace_id: string | null }>();
    expect(mirrored.results.map((r) => r.trace_id)).toEqual([first, first, traceId, traceId]);

    // Nothing said in the turn is on a span.
    const everything = JSON.stringify(spans);
    expect(everything).not.toContain("When does a wing stall");
    expect(everything).not.toContain("fifteen degrees");
  });

  it("a tool call: execute_tool with its name, call id and status, never its arguments or result", async () => {
    const script = new ScriptedModel((req) =>
      req.messages.at(-1)?.role === "tool"
        ? textScript("done")
        : toolCallScript("calculator", { expression: "1234 * 5678" }, "call_calc"),
    );
    const { spans } = await turnInObject({ name: "Counter", tools: ["calculator"] }, "multiply please", script);
    const tool = one(spans, "execute_tool calculator");
    expect(tool.attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "calculator",
      "gen_ai.tool.call.id": "call_calc",
      "liquid_hive.tool.status": "ok",
    });
    childOf(tool, one(spans, "invoke_agent Counter"));
    expect(spans.filter((s) => s.name.startsWith("chat ") && s.parentSpanId === tool.parentSpanId)).toHaveLength(2);
    const everything = JSON.stringify(spans);
    expect(everything).not.toContain("1234");
    expect(everything).not.toContain("7006652");
  });
});

describe("spans of a /v1 completion", () => {
  it("an agent target: invoke_agent around the loop, the input safety stage before it", async () => {
    const agent = await createAgent(caller.token, { name: "Compat" });
    const definition = AgentDefinition.parse({ name: "Compat" });
    const target = { kind: "agent", id: agent.id, version: 1, definition } as const;
    const request = ChatCompletionRequest.parse({ model: agent.id, messages: [{ role: "user", content: "hi there" }] });
    const config = getConfig(env);
    const pending: Promise<unknown>[] = [];
    const spans = await traced(async () => {
      const guarded = await guardCompletion(
        env,
        config,
        caller.workspaceId,
        target,
        request,
        (p) => pending.push(p),
        "req_v1",
      );
      const r = await complete(
        env,
        config,
        caller.workspaceId,
        target,
        request,
        new AbortController().signal,
        () => {},
        guarded,
        new UsageMeter(createDb(env.DB), {
          workspaceId: caller.workspaceId,
          userId: null,
          agentId: agent.id,
          agentVersion: 1,
          surface: "v1",
        }),
      );
      expect(r.finish).toBe("stop");
    });
    await Promise.all(pending);
    const turn = one(spans, "invoke_agent Compat");
    expect(turn.attributes).toMatchObject({ "gen_ai.agent.id": agent.id, "liquid_hive.outcome": "stop" });
    expect(turn.attributes["gen_ai.conversation.id"]).toBeUndefined();
    childOf(one(spans, "chat offline"), turn);
    expect(one(spans, "safety input").parentSpanId).toBe(turn.parentSpanId);
  });
});

describe("spans of the fallback chain and of approvals", () => {
  it("a failed primary: its attempt span records the error, the offline model's finishes, the chat span says why", async () => {
    const failing = new ScriptedModel(() => {
      throw new Error("primary is down");
    });
    const { spans } = await turnInObject({ name: "Fallible" }, "anyone there?", failing);
    const call = one(spans, "chat offline");
    expect(call.attributes).toMatchObject({
      "gen_ai.provider.name": "scripted",
      "gen_ai.response.model": "offline",
      "liquid_hive.degraded": true,
      "liquid_hive.fallback.reason": "model_failed",
      "liquid_hive.fallback.model": "scripted:offline",
    });
    const failed = named(spans, "chat.attempt scripted:offline");
    expect(failed.length).toBeGreaterThan(0);
    for (const attempt of failed) {
      childOf(attempt, call);
      expect(attempt).toMatchObject({ status: "error", attributes: { "liquid_hive.attempt.ending": "error" } });
      expect(attempt.statusMessage).toContain("primary is down");
    }
    expect(one(spans, "chat.attempt offline:offline").attributes["liquid_hive.attempt.ending"]).toBe("finished");
  });

  it("a side-effecting tool call waits for approval: its execute_tool span says so", async () => {
    const script = new ScriptedModel(toolCallScript("http_get", { url: "https://docs.example.com/x" }, "call_get"));
    const { spans } = await turnInObject({ name: "Fetcher", tools: ["http_get"] }, "fetch it", script);
    expect(one(spans, "execute_tool http_get").attributes).toMatchObject({
      "gen_ai.tool.call.id": "call_get",
      "liquid_hive.tool.status": "awaiting_approval",
    });
    expect(one(spans, "invoke_agent Fetcher").attributes["liquid_hive.outcome"]).toBe("awaiting_approval");
    expect(JSON.stringify(spans)).not.toContain("docs.example.com");
  });
});

describe("trace links in an object's own store", () => {
  it("an object whose message table predates trace links gets the column; old rows read null, new ones the trace", async () => {
    const stub = env.SWARM_COORDINATOR.get(env.SWARM_COORDINATOR.newUniqueId());
    const out = await runInDurableObject(stub, async (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec(`CREATE TABLE lh_messages (
        id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, role TEXT NOT NULL, content TEXT NOT NULL,
        status TEXT NOT NULL, tool_calls TEXT, tool_call_id TEXT, tool_name TEXT, citations TEXT,
        tokens_in INTEGER NOT NULL DEFAULT 0, tokens_out INTEGER NOT NULL DEFAULT 0, latency_ms INTEGER,
        model TEXT, degraded INTEGER NOT NULL DEFAULT 0, agent_version INTEGER, created_at INTEGER NOT NULL)`);
      sql.exec(
        "INSERT INTO lh_messages (id, seq, role, content, status, created_at) VALUES ('msg_old', 1, 'user', 'hi', 'complete', 1)",
      );
      const store = new MessageStore(sql);
      const { segment, result } = runSegment("test", "server", undefined, undefined, async () =>
        store.append({ id: "msg_new", role: "assistant", content: "hello", status: "complete" }),
      );
      await result;
      return { old: store.get("msg_old"), fresh: store.get("msg_new"), traceId: segment.context.traceId };
    });
    expect(out.old).toMatchObject({ content: "hi", trace_id: null });
    expect(out.fresh).toMatchObject({ content: "hello", trace_id: out.traceId });
  });
});

describe("spans of a swarm step", () => {
  it("an agent's swarm turn in its object: invoke_agent with the turn's outcome, the chat call beneath", async () => {
    const agent = await createAgent(caller.token, { name: "Swarmer" });
    const conversationId = `swarm_run_trace1_${agent.id}`;
    const stub = await getAgentByName(env.CONVERSATION_AGENT, conversationId);
    const { spans } = await runInDurableObject(stub, (instance: ConversationAgent) =>
      tracedIntoObject(
        async (traceparent) => {
          const reply = await instance.swarmTurn({
            caller: { workspaceId: caller.workspaceId, userId: caller.userId },
            conversationId,
            agentId: agent.id,
            agentVersion: 1,
            definition: AgentDefinition.parse({ name: "Swarmer" }),
            requestId: "req_trace_swarm",
            input: "Say something about bees",
            maxTokens: 200,
            ...(traceparent ? { traceparent } : {}),
          });
          expect(reply.ok).toBe(true);
        },
        (name) => name === "invoke_agent Swarmer",
      ),
    );
    const turn = one(spans, "invoke_agent Swarmer");
    expect(turn.attributes).toMatchObject({
      "gen_ai.agent.id": agent.id,
      "gen_ai.conversation.id": conversationId,
      "liquid_hive.outcome": "stop",
    });
    childOf(one(spans, "chat offline"), turn);
    expect(JSON.stringify(spans)).not.toContain("bees");
  });

  it("swarm.step with its role and outcome; the step records the trace of its first attempt", async () => {
    const stub = env.SWARM_COORDINATOR.get(env.SWARM_COORDINATOR.newUniqueId());
    const config = StartRunBody.parse({ strategy: "pipeline", task: "t", agent_ids: ["agt_a"] });
    const spec = { key: "stage:0", role: "worker", agentId: "agt_a", round: 0, input: "summarise" } as const;
    const out = await runInDurableObject(stub, async (_instance, state) => {
      const store = new SwarmStore(state.storage.sql);
      const host: StepHost = {
        store,
        runner: {
          run: async () => ({
            output: "a summary",
            usage: { inputTokens: 7, outputTokens: 4 },
            model: "offline:offline",
            degraded: true,
          }),
        },
        config,
        emit: (body) => ({ v: 1, run_id: "run_t", seq: 0, ts: "", ...body }) as never,
        mirrorStep: () => undefined,
        addUsage: () => undefined,
        addSpent: () => undefined,
      };
      const { segment, result } = runSegment("test", "server", undefined, undefined, () =>
        runStep(host, spec, 100, new AbortController().signal),
      );
      await result;
      return { spans: segment.spans, traceId: segment.context.traceId, step: store.step(spec.key) };
    });
    const step = one(out.spans, "swarm.step worker");
    expect(step.attributes).toMatchObject({
      "liquid_hive.swarm.step.key": "stage:0",
      "liquid_hive.swarm.step.status": "succeeded",
      "liquid_hive.swarm.step.attempts": 1,
      "gen_ai.usage.input_tokens": 7,
      "gen_ai.usage.output_tokens": 4,
      "gen_ai.agent.id": "agt_a",
    });
    expect(JSON.stringify(out.spans)).not.toContain("a summary");
    expect(out.step?.traceId).toBe(out.traceId);
    expect(stepFromRecord(out.step as StepRecord).trace_id).toBe(out.traceId);
  });
});

describe("spans outside a turn", () => {
  it("a knowledge search: retrieval with lexical, vector and fusion children and their counts", async () => {
    const spans = await traced(() =>
      searchKnowledgeBases({
        ...toolContext(),
        workspaceId: caller.workspaceId,
        knowledgeBaseIds: [kbId],
        query: "wing stall angle",
        topK: 3,
      }),
    );
    const retrieval = one(spans, "retrieval");
    expect(retrieval.attributes).toMatchObject({
      "liquid_hive.retrieval.mode": "hybrid",
      "liquid_hive.retrieval.top_k": 3,
      "liquid_hive.retrieval.knowledge_bases": 1,
    });
    expect(retrieval.attributes["liquid_hive.retrieval.returned"]).toBeGreaterThan(0);
    const fusion = one(spans, "fusion");
    childOf(fusion, retrieval);
    expect(fusion.attributes["liquid_hive.retrieval.rrf_k"]).toBeGreaterThan(0);
    expect(fusion.attributes["liquid_hive.retrieval.returned"]).toBeGreaterThan(0);
  });

  it("a safety check: stage, detector count, verdict and findings per detector, no text; a block marks the trace", async () => {
    const policy = resolvePolicy();
    policy.output.detectors.secrets = { action: "block" };
    const secret = "AKIAIOSFODNN7EXAMPLE";
    const { segment, result } = runSegment("test", "server", undefined, undefined, () =>
      checkText("output", `the key is ${secret} and mail bob@example.com`, policy),
    );
    const verdict = await result;
    const span = one(segment.spans, "safety output");
    expect(span.attributes["liquid_hive.safety.detectors"]).toBeGreaterThan(0);
    expect(verdict.action).toBe("block");
    expect(span.attributes["liquid_hive.safety.verdict"]).toBe("block");
    expect(span.attributes["liquid_hive.safety.findings"]).toBe(verdict.findings.length);
    expect(span.attributes["liquid_hive.safety.findings.secrets"]).toBeGreaterThan(0);
    expect(JSON.stringify(segment.spans)).not.toContain(secret);
    expect(JSON.stringify(segment.spans)).not.toContain("bob@example.com");
    expect(segment.marks.blocked).toBe(true);
  });

  it("the stream guard: a span for each verdict it acts on while the answer streams", async () => {
    const policy = resolvePolicy();
    const { segment, result } = runSegment("test", "server", undefined, undefined, async () => {
      const guard = new StreamGuard(policy, new Redactions());
      guard.push("Write to alice@example.com about ");
      guard.push("the plan.");
      return guard.end();
    });
    await result;
    const streamed = named(segment.spans, "safety output");
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed[0]?.attributes).toMatchObject({ "liquid_hive.safety.streamed": true });
    expect(streamed[0]?.attributes["liquid_hive.safety.findings.pii"]).toBeGreaterThan(0);
    expect(JSON.stringify(segment.spans)).not.toContain("alice@example.com");
  });

  it("without a segment nothing is recorded and the features run as before", async () => {
    const verdict = await checkText("input", "hello there", resolvePolicy());
    expect(verdict.action).toBe("allow");
    expect(newId("msg")).toMatch(/^msg_/);
  });
});
