// The command registry: `hive <name>` looks its command up here.
import type { Command } from "../command";
import { agents } from "./agents";
import { chat } from "./chat";
import { evalCommand } from "./eval";
import { kb } from "./kb";
import { keys } from "./keys";
import { login } from "./login";
import { logout } from "./logout";
import { safety } from "./safety";
import { status } from "./status";
import { swarm } from "./swarm";
import { traces } from "./traces";
import { usage } from "./usage";
import { whoami } from "./whoami";
import { workspaces } from "./workspaces";

export const COMMANDS: readonly Command[] = [
  status,
  login,
  logout,
  whoami,
  workspaces,
  keys,
  agents,
  chat,
  kb,
  swarm,
  safety,
  evalCommand,
  usage,
  traces,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
