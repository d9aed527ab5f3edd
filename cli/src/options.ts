// A command's options and arguments, declared and read one way by every command. Numeric flags:
// only plain decimal numbers count: `Number()` alone would take "" as 0, "0x10" as 16 and "1e3" as
// 1000. A bad value is a usage error (exit 64) that names the flag, what it needs and what it got;
// the API still checks its own ranges.
import { CliError, type CommandContext, EXIT, type OptionSpec, type OptionValues } from "./command";

export interface Bounds {
  min?: number;
  max?: number;
}

const WHOLE = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function range({ min, max }: Bounds): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  return max !== undefined ? ` of at most ${max}` : "";
}

function parse(values: OptionValues, name: string, whole: boolean, bounds: Bounds): number | undefined {
  const raw = values[name];
  if (typeof raw !== "string") return undefined;
  const text = raw.trim();
  const n = Number(text);
  const valid =
    (whole ? WHOLE.test(text) && Number.isSafeInteger(n) : DECIMAL.test(text) && Number.isFinite(n)) &&
    n >= (bounds.min ?? -Infinity) &&
    n <= (bounds.max ?? Infinity);
  if (!valid) {
    const what = whole ? "a whole number" : "a number";
    throw new CliError(`--${name} must be ${what}${range(bounds)} (got '${raw}')`, EXIT.USAGE);
  }
  return n;
}

/** `--name <whole number>`, or undefined when the flag was not given. */
export const integerOption = (values: OptionValues, name: string, bounds: Bounds = {}) =>
  parse(values, name, true, bounds);

/** `--name <number>` (decimals allowed), or undefined when the flag was not given. */
export const numberOption = (values: OptionValues, name: string, bounds: Bounds = {}) =>
  parse(values, name, false, bounds);

/** A string option's trimmed value; undefined when absent or blank. */
export const textOption = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() ? v.trim() : undefined;

/** The word after the subcommand's own, e.g. the id in `hive traces show <id>`; when it is missing, a
 * usage error showing `usage` (the command line after "hive"). */
export function argument(ctx: Pick<CommandContext, "positionals">, usage: string): string {
  const value = ctx.positionals[1];
  if (!value) throw new CliError(`usage: hive ${usage}`, EXIT.USAGE);
  return value;
}

/** Options that each take one string, e.g. `stringOptions("agent", "since")`. */
export const stringOptions = (...names: string[]): OptionSpec =>
  Object.fromEntries(names.map((name) => [name, { type: "string" as const }]));

/** Options that may be given more than once, each time with one string, e.g. `listOptions("tag")`. */
export const listOptions = (...names: string[]): OptionSpec =>
  Object.fromEntries(names.map((name) => [name, { type: "string" as const, multiple: true }]));

/** On/off flags, off unless given, e.g. `flagOptions("watch")`. */
export const flagOptions = (...names: string[]): OptionSpec =>
  Object.fromEntries(names.map((name) => [name, { type: "boolean" as const, default: false }]));
