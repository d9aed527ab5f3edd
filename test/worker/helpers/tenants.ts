// The cast of the conversation isolation tests, set up one way: a team whose admin made an agent
// every member may use, and a signed-in caller from another tenant.
import type { Agent } from "../../../worker/agents/schemas";
import { createAgent } from "./chat";
import { createTeam, newUserAccess, type Team } from "./harness";

export interface SharedAgentTenants {
  team: Team;
  /** The admin's agent with workspace visibility. */
  agent: Agent;
  /** An access token of a user in no workspace of the team. */
  outsider: string;
}

export async function teamSharingAnAgent(): Promise<SharedAgentTenants> {
  const team = await createTeam();
  const agent = await createAgent(team.admin.token, { name: "Shared", visibility: "workspace" });
  return { team, agent, outsider: await newUserAccess() };
}
