// The command registry: `hive <name>` looks its command up here.
import type { Command } from "../command";
import { status } from "./status";

export const COMMANDS: readonly Command[] = [status];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
