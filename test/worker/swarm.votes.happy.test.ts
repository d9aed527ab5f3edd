// Votes in a debate: ties follow the documented rule (tie_break "first": the tied proposal
// whose agent is listed first; "judge": the judge picks among the tied; "fail": the run fails),
// and a vote that names no proposal is an abstention that does not count toward the quorum.

import type { StartRunBody } from "@hive/shared/swarm-protocol";
import { describe, expect, it } from "vitest";
import { setProviderOverrides } from "../../worker/core/providers/overrides";
import { type Behaviour, SwarmModel, useSwarmFixture } from "./swarm.helpers";

const swarm = useSwarmFixture(["a", "b", "c", "d", "judge"]);
const id = swarm.id;

/** Proposes `p<tag>`; when asked to vote, answers `vote`. */
const debater = (tag: string, vote: string): Behaviour => ({
  reply: (input) => (input.includes("Vote for the best") ? vote : `p${tag}`),
});

/** b and c get two votes each: a tie between proposals 2 and 3. */
const tiedVotes = () => ({
  a: debater("a", "VOTE: 2"),
  b: debater("b", "VOTE: 2"),
  c: debater("c", "VOTE: 3"),
  d: debater("d", "VOTE: 3"),
});

const debate = (extra: Partial<Extract<StartRunBody, { strategy: "debate" }>> = {}): StartRunBody => ({
  strategy: "debate",
  task: "pick",
  agent_ids: swarm.ids("a", "b", "c", "d"),
  ...extra,
});

describe("vote ties", () => {
  it("go to the tied proposal whose agent is listed first by default", async () => {
    setProviderOverrides({ model: new SwarmModel(tiedVotes()) });
    const run = await swarm.run(debate());
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("pb");
    expect(run.reason).toBe(
      "proposals 2, 3 tied with 2 of 4 votes each; the tie goes to the first listed agent, Agent b",
    );
  });

  it("fail the run when tie_break is fail", async () => {
    setProviderOverrides({ model: new SwarmModel(tiedVotes()) });
    const run = await swarm.run(debate({ tie_break: "fail" }));
    expect(run.status).toBe("failed");
    expect(run.reason).toBe('proposals 2, 3 tied with 2 of 4 votes each and tie_break is "fail"');
    expect(run.output).toBeNull();
  });

  it("go to the judge, who sees only the tied proposals, when tie_break is judge", async () => {
    const model = new SwarmModel({
      ...tiedVotes(),
      judge: { reply: (input) => (input.includes("pa") ? "WINNER: 1" : "WINNER: 2") },
    });
    setProviderOverrides({ model });
    const run = await swarm.run(debate({ tie_break: "judge", judge_id: id("judge") }));
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("pc");
    expect(run.steps.at(-1)).toMatchObject({ key: "tiebreak", role: "judge", choice: id("c") });
    const judgeInput = model.callsOf("judge")[0]?.input ?? "";
    expect(judgeInput).toContain("[1] Agent b:\npb");
    expect(judgeInput).toContain("[2] Agent c:\npc");
  });
});

describe("abstentions", () => {
  /** A debate among a, b and c, who answer the vote with `votes` in that order. */
  const debateVoting = (...[va, vb, vc]: [string, string, string]) => {
    setProviderOverrides({ model: new SwarmModel({ a: debater("a", va), b: debater("b", vb), c: debater("c", vc) }) });
    return swarm.run({ strategy: "debate", task: "pick", agent_ids: swarm.ids("a", "b", "c") });
  };

  it("are recorded as invalid votes and do not count toward the vote quorum", async () => {
    const run = await debateVoting("VOTE: 1", "I abstain", "VOTE: 7");
    expect(run.status).toBe("failed");
    expect(run.reason).toBe("1 valid votes of 3; the quorum is 2");
    expect(run.steps.filter((s) => s.role === "voter").map((s) => s.status)).toEqual([
      "succeeded",
      "invalid",
      "invalid",
    ]);
  });

  it("leave the win to the valid votes once the quorum is met", async () => {
    const run = await debateVoting("VOTE: 3", "hmm", "VOTE: 3");
    expect(run.status).toBe("succeeded");
    expect(run.output).toBe("pc");
    expect(run.reason).toBe("proposal 3 by Agent c won with 2 of 2 votes");
  });
});

describe("offline votes", () => {
  it("let a debate with only the offline model decide: each vote names a proposal (issue 15)", async () => {
    // No override: the agents answer with the built-in offline model, as on a fresh `wrangler dev`.
    const run = await swarm.run({ strategy: "debate", task: "pick", agent_ids: swarm.ids("a", "b", "c") });
    expect(run.status).toBe("succeeded");
    const votes = run.steps.filter((s) => s.role === "voter");
    expect(votes).toHaveLength(3);
    for (const v of votes) {
      expect(v.status).toBe("succeeded");
      expect(v.output).toMatch(/Choosing deterministically: .*\n\nVOTE: 1$/);
    }
    expect(run.reason).toBe("proposal 1 by Agent a won with 3 of 3 votes");
  });
});
