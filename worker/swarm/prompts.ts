// The user message each step sends its agent. The agent's own system prompt stays as it was
// defined; the swarm only adds what the step is for and the line format it must answer in
// (parsed by choices.ts).
import type { Candidate } from "./strategies/types";

export interface Contribution {
  name: string;
  text: string;
}

const section = (title: string, body: string) => `${title}:\n${body.trim()}`;
const listed = (items: readonly Contribution[]) =>
  items.map((c, i) => `[${i + 1}] ${c.name}:\n${c.text.trim()}`).join("\n\n");
const options = (candidates: readonly Candidate[], describe: (c: Candidate) => string = (c) => c.name) =>
  candidates.map((c) => `${c.label}. ${c.id} — ${describe(c)}`).join("\n");

export const taskOnly = (task: string) => section("Task", task);

export function pipelineInput(task: string, previous: Contribution | null): string {
  if (!previous) return taskOnly(task);
  return [
    taskOnly(task),
    section(`Work so far (from ${previous.name})`, previous.text),
    "Continue the work: improve, extend or complete it.",
  ].join("\n\n");
}

export function aggregatorInput(task: string, answers: readonly Contribution[]): string {
  return [
    taskOnly(task),
    section(`${answers.length} independent answers`, listed(answers)),
    "Merge these answers into one best answer to the task.",
  ].join("\n\n");
}

export function routerInput(
  task: string,
  specialists: readonly Candidate[],
  describe: (c: Candidate) => string,
): string {
  return [
    taskOnly(task),
    section("Specialists", options(specialists, describe)),
    "Pick the one specialist best suited to this task. Answer with a single line:\nROUTE: <agent id>",
  ].join("\n\n");
}

export function specialistInput(task: string, others: readonly Candidate[], previous: Contribution | null): string {
  const parts = [taskOnly(task)];
  if (previous) parts.push(section(`Handed over by ${previous.name}`, previous.text || "(no note)"));
  if (others.length) {
    parts.push(
      section("Other specialists", options(others)),
      "Answer the task. Only if another specialist should take over, end with a line:\nHANDOFF: <agent id>",
    );
  }
  return parts.join("\n\n");
}

export function proposerInput(task: string, round: number, rounds: number, previous: readonly Contribution[]): string {
  if (round === 1 || previous.length === 0) return [taskOnly(task), "Propose your answer."].join("\n\n");
  return [
    taskOnly(task),
    section(`Proposals from round ${round - 1} of ${rounds}`, listed(previous)),
    "Consider the other proposals and give your improved proposal.",
  ].join("\n\n");
}

export function ballotInput(task: string, proposals: readonly Contribution[], keyword: "VOTE" | "WINNER"): string {
  const ask = keyword === "VOTE" ? "Vote for the best proposal." : "Decide which proposal is best.";
  return [
    taskOnly(task),
    section("Proposals", listed(proposals)),
    `${ask} Answer with a single line:\n${keyword}: <proposal number>`,
  ].join("\n\n");
}
