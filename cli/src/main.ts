// `hive`: parse global options, find the command in the registry, run it, map errors to exit codes.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { HiveApiError, HiveClient, HiveNetworkError } from "@hive/shared/api-client";
import { CliError, type Command, EXIT, type OptionSpec, type OptionValues } from "./command";
import { COMMANDS, findCommand } from "./commands";
import { savedLoginUrl } from "./credentials";
import { createOutput, type Output } from "./output/output";

const DEFAULT_URL = "http://localhost:8787";

const GLOBAL_OPTIONS = {
  url: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
  version: { type: "boolean", short: "v", default: false },
} as const satisfies OptionSpec;

function version(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return typeof pkg === "object" && pkg !== null && "version" in pkg ? String(pkg.version) : "unknown";
}

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: hive [--url <url>] [--json] <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Global options:",
    `  --url <url>    API origin (default: $HIVE_URL, else the one of 'hive login', else ${DEFAULT_URL})`,
    "  --json         Print one JSON document instead of text",
    "  -h, --help     Show help (hive <command> --help for a command)",
    "  -v, --version  Show the version",
  ].join("\n");
}

function commandHelp(cmd: Command): string {
  const options = Object.entries(cmd.options ?? {}).map(
    ([name, spec]) => `  --${name}${spec.type === "string" ? " <value>" : ""}`,
  );
  return [
    `Usage: hive [--url <url>] [--json] ${cmd.name}${cmd.usage ? ` ${cmd.usage}` : ""}`,
    "",
    cmd.summary,
    ...(options.length ? ["", "Options:", ...options] : []),
    ...(cmd.help ? ["", cmd.help] : []),
  ].join("\n");
}

function isUsageError(err: unknown): err is Error {
  return err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS");
}

/**
 * Reports a failure. People read one line on stderr (and a hint); with --json a script reads one
 * JSON object on stdout, `{"error":{"code","message","request_id"}}`; the exit code is the same.
 */
function fail(
  out: Output,
  exitCode: number,
  error: { code: string; message: string; requestId?: string | null },
  human: { hint?: string; showCode: boolean },
): number {
  if (out.json) {
    out.data({ error: { code: error.code, message: error.message, request_id: error.requestId ?? null } });
    return exitCode;
  }
  const prefix = human.showCode ? `${error.code}: ` : "";
  const request = error.requestId ? ` (request ${error.requestId})` : "";
  out.error(`hive: ${prefix}${error.message}${request}`);
  if (human.hint) out.error(human.hint);
  return exitCode;
}

function usageError(out: Output, message: string): number {
  return fail(out, EXIT.USAGE, { code: "USAGE", message }, { hint: "Run 'hive --help' for usage.", showCode: false });
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // First pass only finds the command name; the second, strict pass knows its options too.
  const first = parseArgs({ args: argv, options: GLOBAL_OPTIONS, allowPositionals: true, strict: false });
  const name = first.positionals[0];
  const out = createOutput({ json: first.values.json === true, env });

  if (first.values.version === true && !name) {
    out.line(version());
    return EXIT.OK;
  }
  if (!name) {
    if (first.values.help === true) {
      out.line(generalHelp());
      return EXIT.OK;
    }
    return usageError(out, "missing command");
  }
  const cmd = findCommand(name);
  if (!cmd) return usageError(out, `unknown command '${name}'`);

  let values: OptionValues;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...cmd.options },
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values;
    positionals = parsed.positionals.slice(1);
  } catch (err) {
    if (isUsageError(err)) return usageError(out, err.message);
    throw err;
  }
  if (values.help === true) {
    out.line(commandHelp(cmd));
    return EXIT.OK;
  }

  const url = typeof values.url === "string" ? values.url : env.HIVE_URL || savedLoginUrl(env) || DEFAULT_URL;
  if (!/^https?:\/\//.test(url)) return usageError(out, `--url must start with http:// or https:// (got '${url}')`);

  try {
    return await cmd.run({ client: new HiveClient({ baseUrl: url }), out, values, positionals, env });
  } catch (err) {
    if (err instanceof CliError)
      return fail(out, err.exitCode, { code: err.code, message: err.message }, { showCode: false });
    if (err instanceof HiveNetworkError)
      return fail(out, EXIT.UNREACHABLE, { code: "UNREACHABLE", message: err.message }, { showCode: false });
    if (err instanceof HiveApiError) {
      // A saved login that no longer works (expired refresh token, password changed, signed out elsewhere).
      const hint = err.code === "UNAUTHENTICATED" ? "Run 'hive login' to sign in again." : undefined;
      return fail(
        out,
        EXIT.FAILED,
        { code: err.code, message: err.message, requestId: err.requestId },
        { hint, showCode: true },
      );
    }
    throw err;
  }
}
