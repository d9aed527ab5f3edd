// `hive eval <subcommand>`: evaluation of agents over datasets of cases. The runs half (run, runs,
// show, compare) lives in eval-runs.ts; each half adds its subcommands, options and help here.
import { type Command, subcommands } from "../command";
import { EVAL_RUN_COMMANDS, EVAL_RUN_HELP, EVAL_RUN_OPTIONS, EVAL_RUN_USAGE } from "./eval-runs";

export const evalCommand: Command = {
  name: "eval",
  summary: "Evaluate agents over datasets: start runs, follow them, compare two runs (a CI gate)",
  usage: EVAL_RUN_USAGE,
  options: { ...EVAL_RUN_OPTIONS },
  help: EVAL_RUN_HELP,
  run: subcommands("eval", { ...EVAL_RUN_COMMANDS }, "runs"),
};
