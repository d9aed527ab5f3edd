// Numeric flags, parsed one way by every command. Only plain decimal numbers count: `Number()`
// alone would take "" as 0, "0x10" as 16 and "1e3" as 1000. A bad value is a usage error (exit 64)
// that names the flag, what it needs and what it got; the API still checks its own ranges.
import { CliError, EXIT, type OptionValues } from "./command";

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
