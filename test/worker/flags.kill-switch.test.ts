// The `inference` kill switch: off puts chat (and /v1) into degraded mode — the offline model
// answers, flagged degraded — instead of failing; back on, the agent's model answers again.
import { afterEach, describe, expect, it } from "vitest";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chat, createAgent, text } from "./helpers/chat";
import { adminToken, api, createUser, expectStatus, newUserAccess, token } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

afterEach(() => clearProviderOverrides());

describe("inference kill switch", () => {
  it("turns chat into a flagged degraded answer while off, and back when on", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("The scripted model answers.")) });
    const t = await newUserAccess();
    const agent = await createAgent(t);
    const admin = await adminToken();

    const normal = await chat(t, agent.id, "hello");
    expect(normal.status).toBe(200);
    expect(text(normal.events)).toContain("scripted model answers");
    expect(normal.events.at(-1)).toMatchObject({ type: "done", degraded: false });

    await expectStatus(200, "PUT", "/api/flags/inference", {
      token: admin,
      body: { enabled: false, kill_switch: true },
    });
    // Flags are cached per isolate for a few seconds.
    await new Promise((r) => setTimeout(r, 5_100));
    const killed = await chat(t, agent.id, "hello again");
    expect(killed.status).toBe(200);
    expect(killed.events.at(-1)).toMatchObject({ type: "done", degraded: true });
    expect(text(killed.events)).not.toContain("scripted model answers");
    expect(killed.events.some((e) => e.type === "error")).toBe(false);
    // It says the switch is why, not that no model is configured; and so does the usage event, as data.
    expect(text(killed.events)).toMatch(/^Model calls are switched off for this workspace right now/);
    expect(killed.events.find((e) => e.type === "usage")).toMatchObject({
      degraded: true,
      fallback: { reason: "inference_off" },
    });

    const raw = await api<{ choices: { message: { content: string } }[] }>("POST", "/v1/chat/completions", {
      token: t,
      body: { model: agent.id, messages: [{ role: "user", content: "hi" }] },
    });
    expect(raw.status).toBe(200);
    expect(raw.body.choices[0]?.message.content).not.toContain("scripted model answers");
    expect(raw.body.choices[0]?.message.content).toMatch(/^Model calls are switched off/);

    await expectStatus(204, "DELETE", "/api/flags/inference", { token: admin });
    await new Promise((r) => setTimeout(r, 5_100));
    const back = await chat(t, agent.id, "and now?");
    expect(text(back.events)).toContain("scripted model answers");
  }, 60_000);

  it("applies a switch targeted at one workspace to that workspace only, and the list says so", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("The scripted model answers.")) });
    const [a, b] = [await createUser(), await createUser()];
    const ta = (await token(a.email, a.password)).access_token;
    const { access_token: tb, workspace_id: wsB } = await token(b.email, b.password);
    const [agentA, agentB] = [await createAgent(ta), await createAgent(tb)];
    const admin = await adminToken();

    const targeted = async (enabled: boolean) => {
      await expectStatus(200, "PUT", "/api/flags/inference", {
        token: admin,
        body: { enabled, kill_switch: true, targeting: { workspaces: [wsB] } },
      });
      const list = await expectStatus<{ kill_switches: { key: string; on: boolean; off_for: unknown }[] }>(
        200,
        "GET",
        "/api/flags",
        { token: admin },
      );
      return list.kill_switches.find((k) => k.key === "inference");
    };
    expect(await targeted(false)).toMatchObject({
      on: false,
      off_for: { everyone: false, workspaces: [wsB], roles: null, rollout_percentage: 100 },
    });
    await new Promise((r) => setTimeout(r, 5_100));
    const inA = await chat(ta, agentA.id, "hello");
    expect(inA.events.at(-1)).toMatchObject({ type: "done", degraded: false });
    expect(text(inA.events)).toContain("scripted model answers");
    const inB = await chat(tb, agentB.id, "hello");
    expect(inB.events.at(-1)).toMatchObject({ type: "done", degraded: true });

    // Targeting with the switch on leaves the capability on for everyone, and the list says on.
    expect(await targeted(true)).toMatchObject({ on: true, off_for: null });
    await new Promise((r) => setTimeout(r, 5_100));
    for (const [t, agent] of [
      [ta, agentA],
      [tb, agentB],
    ] as const) {
      expect((await chat(t, agent.id, "again")).events.at(-1)).toMatchObject({ type: "done", degraded: false });
    }
    await expectStatus(204, "DELETE", "/api/flags/inference", { token: admin });
  }, 60_000);
});
