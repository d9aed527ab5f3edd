// debate: every agent proposes; from round 2 on each sees the previous round's proposals and
// revises. A round needs `quorum` proposals (default a majority) or the run fails. The last
// round's proposals are then decided:
//   decision "vote":  every agent votes `VOTE: <proposal number>`; a vote naming no proposal is
//     an abstention (an invalid step). At least `quorum` valid votes are needed. Most votes
//     wins. Tie rule (`tie_break`): "first" (default) picks, among the tied proposals, the one
//     whose agent comes first in agent_ids; "judge" asks the judge to pick among the tied
//     ones; "fail" ends the run failed.
//   decision "judge": the judge answers `WINNER: <proposal number>`; no valid choice fails the run.
// The winning proposal is the run's output.
import type { DebateConfig } from "@hive/shared/swarm-protocol";
import type { z } from "zod";
import { ballotInput, type Contribution, proposerInput } from "../prompts";
import { contribution, failed, majority, nameOf, runSteps, stepFailed, succeeded } from "./common";
import type { Candidate, Plan, RunView, Settled, SettledStep, StrategyPlanner } from "./types";

type Run = RunView<z.output<typeof DebateConfig>>;

interface Finalist extends Candidate {
  text: string;
}

function judged(run: Run, settled: Settled, key: string, finalists: Finalist[], context: string): Plan {
  const judgeId = run.config.judge_id;
  if (!judgeId) return failed("INVALID_CHOICE", "no judge is configured");
  const step = settled.get(key);
  if (!step) {
    const input = ballotInput(
      run.config.task,
      finalists.map((f) => ({ name: f.name, text: f.text })),
      "WINNER",
    );
    return runSteps(
      [
        {
          key,
          role: "judge",
          agentId: judgeId,
          round: run.config.rounds,
          input,
          choice: { keyword: "WINNER", candidates: finalists, required: true },
        },
      ],
      context,
    );
  }
  if (step.status !== "succeeded") return stepFailed(run, step);
  const winner = finalists.find((f) => f.id === step.choice);
  if (!winner) return failed("INVALID_CHOICE", `the judge chose no proposal of the ${finalists.length} offered`);
  return succeeded(
    winner.text,
    `${context}; the judge ${nameOf(run, judgeId)} chose proposal ${winner.label} by ${winner.name}`,
  );
}

function voted(run: Run, settled: Settled, finalists: Finalist[], quorum: number): Plan {
  const { agent_ids: ids, task, rounds } = run.config;
  const ballots = ids.map((agentId, i) => ({
    key: `vote:${i}`,
    role: "voter" as const,
    agentId,
    round: rounds,
    input: ballotInput(
      task,
      finalists.map((f) => ({ name: f.name, text: f.text })),
      "VOTE",
    ),
    choice: { keyword: "VOTE" as const, candidates: finalists, required: true },
  }));
  const pending = ballots.filter((b) => !settled.has(b.key));
  if (pending.length) return runSteps(pending, `voting on ${finalists.length} proposals`);

  const votes = ballots
    .map((b) => settled.get(b.key))
    .filter((s): s is SettledStep => s?.status === "succeeded" && s.choice !== null);
  if (votes.length < quorum)
    return failed("QUORUM_NOT_REACHED", `${votes.length} valid votes of ${ids.length}; the quorum is ${quorum}`);
  const tally = new Map<string, number>();
  for (const v of votes) if (v.choice) tally.set(v.choice, (tally.get(v.choice) ?? 0) + 1);
  const top = Math.max(...finalists.map((f) => tally.get(f.id) ?? 0));
  const leaders = finalists.filter((f) => (tally.get(f.id) ?? 0) === top);
  const counted = `${top} of ${votes.length} votes`;
  const [first] = leaders;
  if (!first) return failed("VOTE_TIED", "no proposal received a vote");
  if (leaders.length === 1)
    return succeeded(first.text, `proposal ${first.label} by ${first.name} won with ${counted}`);

  const tied = `proposals ${leaders.map((l) => l.label).join(", ")} tied with ${counted} each`;
  if (run.config.tie_break === "fail") return failed("VOTE_TIED", `${tied} and tie_break is "fail"`);
  if (run.config.tie_break === "judge") {
    return judged(
      run,
      settled,
      "tiebreak",
      leaders.map((l, i) => ({ ...l, label: i + 1 })),
      tied,
    );
  }
  return succeeded(first.text, `${tied}; the tie goes to the first listed agent, ${first.name}`);
}

export const debate: StrategyPlanner<z.output<typeof DebateConfig>> = {
  minSteps: (config) =>
    config.rounds * config.agent_ids.length + (config.decision === "vote" ? config.agent_ids.length : 1),
  plan(run, settled) {
    const { agent_ids: ids, task, rounds } = run.config;
    const quorum = run.config.quorum ?? majority(ids.length);
    let previous: Contribution[] = [];
    let finalists: Finalist[] = [];
    for (let round = 1; round <= rounds; round++) {
      const specs = ids.map((agentId, i) => ({
        key: `r${round}:propose:${i}`,
        role: "proposer" as const,
        agentId,
        round,
        input: proposerInput(task, round, rounds, previous),
      }));
      const pending = specs.filter((s) => !settled.has(s.key));
      if (pending.length) return runSteps(pending, `round ${round} of ${rounds}`);
      const proposals = specs.map((s) => settled.get(s.key)).filter((s): s is SettledStep => s?.status === "succeeded");
      if (proposals.length < quorum)
        return failed(
          "QUORUM_NOT_REACHED",
          `round ${round}: ${proposals.length} of ${ids.length} agents proposed; the quorum is ${quorum}`,
        );
      previous = proposals.map((p) => contribution(run, p));
      finalists = proposals.map((p, i) => ({
        id: p.agentId,
        name: nameOf(run, p.agentId),
        label: i + 1,
        text: p.output ?? "",
      }));
    }
    return run.config.decision === "judge"
      ? judged(run, settled, "judge", finalists, `${finalists.length} proposals after ${rounds} round(s)`)
      : voted(run, settled, finalists, quorum);
  },
};
