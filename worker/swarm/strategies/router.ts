// router: the router agent picks one specialist (`ROUTE: <agent id>`, or its number or name).
// An answer that names no specialist is an invalid (error) step; then `fallback` decides:
// "first" hands the task to the first specialist in agent_ids, "fail" ends the run.
// A specialist may pass the task on by ending its answer with `HANDOFF: <agent id>` (another
// specialist of this run); the next one gets the task and the note. A handoff to anyone else
// is an invalid step and fails the run; more than `max_handoffs` handoffs fail it too. The
// first answer without a handoff is the run's output.
import type { RouterConfig } from "@hive/shared/swarm-protocol";
import type { z } from "zod";
import { withoutChoiceLines } from "../choices";
import { type Contribution, routerInput, specialistInput } from "../prompts";
import { candidates, failed, nameOf, runSteps, stepFailed, succeeded } from "./common";
import type { StrategyPlanner } from "./types";

export const router: StrategyPlanner<z.output<typeof RouterConfig>> = {
  minSteps: () => 2,
  plan(run, settled) {
    const { agent_ids: ids, task, max_handoffs: maxHandoffs } = run.config;
    const specialists = candidates(run, ids);
    const route = settled.get("route");
    if (!route) {
      const describe = (c: { id: string; name: string }) =>
        [c.name, run.agents.get(c.id)?.description].filter(Boolean).join(": ");
      const input = routerInput(task, specialists, describe);
      return runSteps([
        {
          key: "route",
          role: "router",
          agentId: run.config.router_id,
          round: 0,
          input,
          choice: { keyword: "ROUTE", candidates: specialists, required: true },
        },
      ]);
    }
    if (route.status === "failed" || route.status === "cancelled") return stepFailed(run, route);
    let current = route.choice;
    let note = `routed to ${current ? nameOf(run, current) : "?"}`;
    if (route.status === "invalid" || !current) {
      if (run.config.fallback === "fail")
        return failed(
          "INVALID_CHOICE",
          `the router made no valid choice (${route.error ?? "none"}) and fallback is "fail"`,
        );
      current = ids[0] ?? route.agentId;
      note = `the router made no valid choice; falling back to the first specialist, ${nameOf(run, current)}`;
    }

    let previous: Contribution | null = null;
    for (let hop = 0; ; hop++) {
      const key = `hop:${hop}`;
      const step = settled.get(key);
      if (!step) {
        const others = specialists.filter((c) => c.id !== current).map((c, i) => ({ ...c, label: i + 1 }));
        const input = specialistInput(task, others, previous);
        return runSteps(
          [
            {
              key,
              role: "specialist",
              agentId: current,
              round: hop,
              input,
              ...(others.length
                ? { choice: { keyword: "HANDOFF" as const, candidates: others, required: false } }
                : {}),
            },
          ],
          hop === 0 ? note : `handed off to ${nameOf(run, current)}`,
        );
      }
      if (step.status === "invalid")
        return failed(
          "INVALID_HANDOFF",
          `${nameOf(run, step.agentId)} handed off to no specialist of this run: ${step.error ?? ""}`,
        );
      if (step.status !== "succeeded") return stepFailed(run, step);
      if (!step.choice)
        return succeeded(
          step.output,
          `${hop === 0 ? "answered" : `answered after ${hop} handoff(s)`} by ${nameOf(run, step.agentId)}`,
        );
      if (hop >= maxHandoffs) {
        return failed(
          "BUDGET_EXCEEDED",
          `the handoff limit of ${maxHandoffs} was reached (${nameOf(run, step.agentId)} handed off to ${nameOf(run, step.choice)})`,
        );
      }
      previous = { name: nameOf(run, step.agentId), text: withoutChoiceLines(step.output ?? "", "HANDOFF") };
      current = step.choice;
    }
  },
};
