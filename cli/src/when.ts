// Times people type on the command line: a duration from now (`30m`, `12h`, `30d`) or a date
// or ISO 8601 time. `--expires 30d` counts forward, `--since 1h` back.
import { CliError, EXIT } from "./command";

const DURATION = /^(\d+)([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `value` as an ISO timestamp; a duration is counted from `now` in `direction` (+1 ahead, -1 back). */
export function parseWhen(option: string, value: string, direction: 1 | -1, now = Date.now()): string {
  const m = DURATION.exec(value.trim());
  if (m) return new Date(now + direction * Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]).toISOString();
  const at = Date.parse(value);
  if (Number.isNaN(at))
    throw new CliError(`--${option}: '${value}' is neither a duration (30m, 12h, 30d) nor a date`, EXIT.USAGE);
  return new Date(at).toISOString();
}
