// The contract every `hive <command>` implements. A new command is one file under commands/
// plus one line in commands/index.ts.
import type { ParseArgsConfig } from "node:util";
import type { HiveClient } from "@hive/shared/api-client";
import type { Output } from "./output/output";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  client: HiveClient;
  out: Output;
  /** Command-specific option values (global ones are already applied to `client` and `out`). */
  values: OptionValues;
  positionals: string[];
  /** The environment `hive` was started with (config dir, HIVE_API_KEY). */
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  summary: string;
  /** Text after "hive <name>" in the usage line, e.g. "[--limit n]". */
  usage?: string;
  /** Extra help printed by `hive <name> --help`, e.g. exit codes. */
  help?: string;
  options?: OptionSpec;
  run(ctx: CommandContext): Promise<number>;
}

/** Exit codes shared by all commands. */
export const EXIT = {
  OK: 0,
  /** The API answered, but not with what was asked (not ready, an error envelope). */
  FAILED: 1,
  /** The API could not be reached. */
  UNREACHABLE: 2,
  /** Bad command line (BSD sysexits EX_USAGE). */
  USAGE: 64,
} as const;

/** A failure the command explains itself (not logged in, no terminal to prompt on): printed
 * as "hive: <message>" without a stack, exiting with `exitCode`. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILED,
    /** What `--json` reports as the error's code. */
    readonly code: string = exitCode === EXIT.USAGE ? "USAGE" : exitCode === 130 ? "CANCELLED" : "FAILED",
  ) {
    super(message);
  }
}

export type Subcommand = (ctx: CommandContext) => Promise<number>;

/** `run` of a command made of subcommands: the first positional picks one (`fallback` when none is given). */
export function subcommands(name: string, table: Readonly<Record<string, Subcommand>>, fallback?: string): Subcommand {
  return (ctx) => {
    const sub = ctx.positionals[0] ?? fallback;
    const handler = sub !== undefined && Object.hasOwn(table, sub) ? table[sub] : undefined;
    if (!handler) {
      throw new CliError(`unknown ${name} command '${sub ?? ""}' (${Object.keys(table).join(", ")})`, EXIT.USAGE);
    }
    return handler(ctx);
  };
}
