// The coordinator drives each agent's own Durable Object: a turn runs in the object named
// `swarm_<run>_<agent>`, with the agent's tools, and the object keeps the turn's messages.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import type { Snapshot } from "../../worker/conversations/agent-rpc";
import { setProviderOverrides } from "../../worker/core/providers/overrides";
import type { GenerateRequest, ModelEvent, ModelProvider } from "../../worker/core/providers/types";
import { expectStatus } from "./helpers/harness";
import { SwarmModel, useSwarmFixture } from "./swarm.helpers";

const swarm = useSwarmFixture(["a", "b"]);
const id = swarm.id;

const objectOf = (runId: string, agentId: string) => `swarm_${runId}_${agentId}`;

describe("agents in a swarm run", () => {
  it("run each turn in the agent's own Durable Object, which keeps its messages", async () => {
    setProviderOverrides({
      model: new SwarmModel({
        a: { reply: "draft-1" },
        b: { reply: (input) => `polished ${input.includes("draft-1")}` },
      }),
    });
    const run = await swarm.run({ strategy: "pipeline", task: "write it", agent_ids: swarm.ids("a", "b") });
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("polished true");
    const caller = { workspaceId: run.workspace_id, userId: swarm.user.id };
    for (const [tag, answer] of [
      ["a", "draft-1"],
      ["b", "polished true"],
    ] as const) {
      const name = objectOf(run.id, id(tag));
      const snap = (await env.CONVERSATION_AGENT.getByName(name).snapshot(caller, name, 0, 50)) as Snapshot;
      expect(snap.status).toBe("idle");
      expect(snap.messages.map((m) => [m.role, m.status])).toEqual([
        ["user", "complete"],
        ["assistant", "complete"],
      ]);
      expect(snap.messages[1]?.content).toBe(answer);
      expect(snap.messages[0]?.content).toBe(run.steps.find((s) => s.agent_id === id(tag))?.input);
    }
    // The object answers its run's creator only.
    const name = objectOf(run.id, id("a"));
    expect(
      await env.CONVERSATION_AGENT.getByName(name).snapshot(
        { workspaceId: run.workspace_id, userId: "usr_someone_else" },
        name,
        0,
        50,
      ),
    ).toMatchObject({ ok: false, code: "NOT_FOUND" });
    // Nothing of it shows up as a chat conversation.
    const conversations = await expectStatus<{ data: unknown[] }>(200, "GET", "/api/conversations", {
      token: swarm.access,
    });
    expect(conversations.data).toEqual([]);
  });

  it("lets an agent use its tools during its turn", async () => {
    const calc = await expectStatus<Agent>(201, "POST", "/api/agents", {
      token: swarm.access,
      body: { name: "Calc", system_prompt: "swarm-agent:calc", tools: ["calculator"] },
    });
    // Asks the calculator first, then answers with what it returned.
    const model: ModelProvider = {
      id: "scripted",
      degraded: false,
      async *stream(request: GenerateRequest): AsyncIterable<ModelEvent> {
        const result = request.messages.find((m) => m.role === "tool");
        if (!result) {
          yield {
            type: "tool_call",
            call: { id: "call_1", name: "calculator", arguments: JSON.stringify({ expression: "6 * 7" }) },
          };
          yield { type: "finish", reason: "tool_calls", usage: { inputTokens: 5, outputTokens: 3 } };
          return;
        }
        yield { type: "text", delta: `the answer is ${result.content}` };
        yield { type: "finish", reason: "stop", usage: { inputTokens: 8, outputTokens: 4 } };
      },
    };
    setProviderOverrides({ model });
    const run = await swarm.run({ strategy: "pipeline", task: "what is 6 times 7?", agent_ids: [calc.id] });
    expect(run.status).toBe("succeeded");
    expect(run.output).toMatch(/the answer is .*42/);
    // Both model calls of the turn are charged to its step.
    expect(run.steps[0]).toMatchObject({ tokens_in: 13, tokens_out: 7 });
    const name = objectOf(run.id, calc.id);
    const snap = (await env.CONVERSATION_AGENT.getByName(name).snapshot(
      { workspaceId: run.workspace_id, userId: swarm.user.id },
      name,
      0,
      50,
    )) as Snapshot;
    expect(snap.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(snap.messages[2]).toMatchObject({ tool_name: "calculator", status: "ok" });
  });
});
