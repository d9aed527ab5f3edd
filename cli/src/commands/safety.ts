// `hive safety check|events|policy`: the safety service from the terminal. check runs the
// playground (nothing is stored); events lists what the guard pipeline found in this workspace;
// policy shows the workspace's default policy (what it stores and what that resolves to), and
// `policy set --file` / `policy reset` change it (workspace admins).
import { readFileSync } from "node:fs";
import {
  type HiveClient,
  SAFETY_ACTION_LABELS,
  SAFETY_DETECTOR_LABELS,
  SAFETY_STAGE_LABELS,
  type SafetyEvent,
  type SafetyPolicy,
  safetyDetectors,
  safetyStages,
  type WorkspaceSafetyPolicy,
} from "@hive/shared/api-client";
import { CliError, type Command, type CommandContext, EXIT, type Subcommand, subcommands } from "../command";
import { authedClient } from "../credentials";
import { stringOptions, textOption } from "../options";
import { printList } from "../output/list";
import { renderTable } from "../output/table";
import { shortTime } from "../output/time";
import { parseWhen } from "../when";
import { findAgent } from "./agents";
import { check } from "./safety-check";
import { oneOf } from "./safety-options";

function limitOf(value: unknown): number {
  if (value === undefined) return 50;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new CliError("--limit must be a whole number from 1 to 1000", EXIT.USAGE);
  return n;
}

/** An agent id as given, or the id of the agent with that name. */
async function agentId(client: HiveClient, ref: string | undefined): Promise<string | undefined> {
  if (!ref || ref.startsWith("agt_")) return ref;
  return (await findAgent(client, ref)).id;
}

async function events(ctx: CommandContext): Promise<number> {
  const client = authedClient(ctx);
  const v = ctx.values;
  const since = textOption(v.since);
  const until = textOption(v.until);
  const filters = {
    agent_id: await agentId(client, textOption(v.agent)),
    conversation_id: textOption(v.conversation),
    run_id: textOption(v.run),
    stage: oneOf("stage", v.stage),
    detector: oneOf("detector", v.detector),
    action: oneOf("action", v.action),
    since: since ? parseWhen("since", since, -1) : undefined,
    until: until ? parseWhen("until", until, -1) : undefined,
  };
  const want = limitOf(v.limit);
  const found: SafetyEvent[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.safety.events({ ...filters, limit: Math.min(100, want - found.length), cursor });
    found.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && found.length < want);
  const where = (e: SafetyEvent) => e.conversation_id ?? e.run_id ?? "-";
  printList(
    ctx,
    found,
    {
      empty: "No safety events match.",
      headers: ["TIME", "SURFACE", "STAGE", "FINDING", "ACTION", "SCORE", "AGENT", "WHERE", "SNIPPET"],
      row: (e) => [
        ...[shortTime(e.created_at), e.surface, e.stage, `${e.detector}/${e.category}`, e.action],
        ...[e.score.toFixed(2), e.agent_id ?? "-", where(e), e.snippet ?? ""],
      ],
    },
    { data: found, next_cursor: cursor },
  );
  if (ctx.out.json || found.length === 0) return EXIT.OK;
  if (cursor) ctx.out.error(`Showing the newest ${found.length}; raise --limit or narrow --since for more.`);
  return EXIT.OK;
}

/** The workspace named by --workspace (id or name, among mine), else the one the credential acts in. */
async function workspaceOf(ctx: CommandContext, client: HiveClient): Promise<{ id: string; name: string }> {
  const me = await client.auth.me();
  const ref = textOption(ctx.values.workspace);
  if (!ref) return me.workspace;
  const mine = me.memberships.map((m) => ({ id: m.workspace_id, name: m.name }));
  const exact = mine.filter((w) => w.id === ref || w.name === ref);
  const matches = exact.length ? exact : mine.filter((w) => w.name.toLowerCase() === ref.toLowerCase());
  // An id that is not among the memberships (an API key sees only its own) goes to the server, which judges it.
  if (matches.length === 0 && ref.startsWith("ws_")) return { id: ref, name: ref };
  if (matches.length === 0) throw new CliError(`no workspace named '${ref}' among yours`, EXIT.FAILED, "NOT_FOUND");
  if (matches.length > 1) throw new CliError(`${matches.length} workspaces are named '${ref}'; use an id`, EXIT.USAGE);
  return matches[0] as { id: string; name: string };
}

function describePolicy(ctx: CommandContext, workspace: { id: string; name: string }, p: WorkspaceSafetyPolicy): void {
  const out = ctx.out;
  const stored = Object.keys(p.policy).length > 0;
  const since = stored ? `, updated ${shortTime(p.updated_at)}` : "";
  out.line(
    `${out.style("bold", workspace.name)} (${workspace.id}): ${stored ? "its own policy" : "the platform default"}` +
      since,
  );
  out.line();
  const rows = safetyStages().map((stage) => {
    const s = p.effective[stage];
    const cells = safetyDetectors().map((d) => {
      const rule = s.detectors[d];
      return rule.threshold === undefined ? rule.action : `${rule.action}@${rule.threshold}`;
    });
    return [stage, s.enabled ? "on" : out.style("yellow", "off"), ...cells];
  });
  out.line(renderTable(["STAGE", "CHECKED", ...safetyDetectors().map((d) => d.toUpperCase())], rows));
  if (stored) {
    out.line();
    out.line("Stored over the platform default:");
    out.line(JSON.stringify(p.policy, null, 2));
  }
}

function readPolicy(path: string | undefined): SafetyPolicy {
  if (!path)
    throw new CliError("usage: hive safety policy set --file policy.json [--workspace <id or name>]", EXIT.USAGE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new CliError(`--file ${path}: ${err instanceof Error ? err.message : String(err)}`, EXIT.USAGE);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`--file ${path}: expected a JSON object with stages (${safetyStages().join(", ")})`, EXIT.USAGE);
  }
  // The server validates the policy itself and answers with the fields it refuses.
  return parsed as SafetyPolicy;
}

async function policy(ctx: CommandContext): Promise<number> {
  const action = ctx.positionals[1] ?? "show";
  if (!["show", "set", "reset"].includes(action)) {
    throw new CliError(`unknown safety policy command '${action}' (show, set, reset)`, EXIT.USAGE);
  }
  const body = action === "set" ? readPolicy(textOption(ctx.values.file)) : undefined;
  const client = authedClient(ctx);
  const workspace = await workspaceOf(ctx, client);
  const result = body
    ? await client.safety.setPolicy(workspace.id, body)
    : action === "reset"
      ? await client.safety.resetPolicy(workspace.id)
      : await client.safety.policy(workspace.id);
  if (ctx.out.json) {
    ctx.out.data(result);
    return EXIT.OK;
  }
  if (action === "set")
    ctx.out.error(`Stored the safety policy of ${workspace.name}; agents' own policies still override it.`);
  if (action === "reset") ctx.out.error(`${workspace.name} is back on the platform's default safety policy.`);
  describePolicy(ctx, workspace, result);
  return EXIT.OK;
}

const SUBCOMMANDS: Record<string, Subcommand> = { check, events, policy };

const described = (title: string, table: Readonly<Record<string, string>>) => [
  title,
  ...Object.entries(table).map(([k, v]) => `  ${k.padEnd(13)}${v}`),
];

export const safety: Command = {
  name: "safety",
  summary: "Check texts against the safety policy, list safety events, show or set the workspace policy",
  usage:
    'check "text" [--stage <stage>] [--agent <id>] | ' +
    "events [--since 1h] [--agent <id or name>] [--stage <stage>] ... | " +
    "policy [show|set --file policy.json|reset] [--workspace <id or name>]",
  options: stringOptions(
    ...["stage", "agent", "since", "until", "detector", "action"],
    ...["conversation", "run", "limit", "workspace", "file"],
  ),
  help: [
    "check stores nothing (it is a playground); --agent checks with that agent's policy over the workspace's.",
    "events is for workspace admins, read-only reviewers and API keys with the safety scope; --since and --until",
    "take a duration back from now (30m, 1h, 7d) or a date; also --detector, --action, --conversation, --run,",
    "--limit (default 50). Events hold a hash and a redacted snippet, never the checked text.",
    "policy set and reset need the workspace's admin role.",
    "",
    ...described("Stages:", SAFETY_STAGE_LABELS),
    "",
    ...described("Detectors:", SAFETY_DETECTOR_LABELS),
    "",
    ...described("Actions:", SAFETY_ACTION_LABELS),
  ].join("\n"),
  run: subcommands("safety", SUBCOMMANDS),
};
