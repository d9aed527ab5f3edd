// `hive agents list|create|show`: the agents in the current workspace.
import {
  AGENT_TOOLS,
  type Agent,
  type HiveClient,
  MODEL_PROVIDERS,
  modelProviders,
  toolNames,
} from "@hive/shared/api-client";
import { type Command, type CommandContext, type Subcommand, subcommands } from "../command";
import { authedClient } from "../credentials";
import { byIdOrName, everyItem } from "../lookup";
import { argument, flagOptions, listOptions, stringOptions } from "../options";
import { printFacts, printList, printRecord } from "../output/list";
import { renderTable } from "../output/table";
import { shortTime } from "../output/time";
import { createBody } from "./agents-body";

const modelOf = (a: Agent) => `${a.definition.model.provider}:${a.definition.model.id}`;

export const findAgent = (client: HiveClient, ref: string): Promise<Agent> =>
  byIdOrName("agent", "agt_", client.agents, ref);

async function list(ctx: CommandContext): Promise<number> {
  const agents = await everyItem(authedClient(ctx).agents);
  return printList(ctx, agents, {
    empty: "No agents. Create one with: hive agents create --name <name>",
    headers: ["ID", "NAME", "MODEL", "TOOLS", "VERSION", "UPDATED"],
    row: (a) => [
      a.id,
      a.name,
      modelOf(a),
      a.definition.tools.join(",") || "-",
      `v${a.version}`,
      shortTime(a.updated_at),
    ],
  });
}

function describe(ctx: CommandContext, a: Agent): void {
  const d = a.definition;
  const facts: [string, string][] = [
    ["id", a.id],
    ["version", `v${a.version}${a.can_edit ? "" : " (read-only for you)"}`],
    [
      "model",
      `${modelOf(a)}${d.model.provider === "offline" ? ` ${ctx.out.style("yellow", "(degraded: extractive answers)")}` : ""}`,
    ],
    ["temperature", String(d.temperature)],
    ["max tokens", `${d.max_tokens} per call, ${d.max_steps} calls per answer`],
    ["tools", d.tools.join(", ") || "none"],
    ["knowledge", d.knowledge_base_ids.join(", ") || "none"],
    [
      "safety",
      `input ${d.safety.input?.enabled === false ? "off" : "on"}, output ${d.safety.output?.enabled === false ? "off" : "on"}`,
    ],
    [
      "/v1 system",
      d.allow_system_override
        ? "callers may add system messages (after this prompt)"
        : "callers' system messages refused",
    ],
    ["visibility", a.visibility],
    ["usage", `${a.tokens_in} tokens in, ${a.tokens_out} out`],
  ];
  ctx.out.line(ctx.out.style("bold", a.name) + (a.description ? ` — ${a.description}` : ""));
  printFacts(ctx.out, facts);
  if (d.system_prompt) {
    ctx.out.line();
    ctx.out.line("System prompt:");
    ctx.out.line(d.system_prompt.replace(/^/gm, "  "));
  }
}

async function create(ctx: CommandContext): Promise<number> {
  const client = authedClient(ctx);
  const agent = await client.agents.create(await createBody(client, ctx.values));
  return printRecord(ctx, agent, () => {
    ctx.out.line(`Created agent ${agent.name} (${agent.id}), version ${agent.version}, model ${modelOf(agent)}.`);
    ctx.out.line(`Talk to it with: hive chat ${agent.id}`);
  });
}

async function show(ctx: CommandContext): Promise<number> {
  const ref = argument(ctx, "agents show <id or name>");
  const client = authedClient(ctx);
  const agent = await findAgent(client, ref);
  const versions = await client.agents.versions(agent.id, { limit: 10 });
  return printRecord(ctx, { ...agent, versions: versions.data }, () => {
    describe(ctx, agent);
    ctx.out.line();
    ctx.out.line(
      renderTable(
        ["VERSION", "CREATED", "MODEL", ""],
        versions.data.map((v) => [
          `v${v.version}`,
          shortTime(v.created_at),
          `${v.definition.model.provider}:${v.definition.model.id}`,
          v.current ? "current" : "",
        ]),
      ),
    );
  });
}

const SUBCOMMANDS: Record<string, Subcommand> = { list, create, show };

export const agents: Command = {
  name: "agents",
  summary: "List, create and inspect agents",
  usage:
    "list | create --name <name> [--model <provider[:id]>] [--system-prompt <text>] [--file agent.json] ... | show <id or name>",
  options: {
    ...stringOptions("name", "description", "system-prompt", "model", "temperature", "max-tokens", "max-steps"),
    ...listOptions("tool", "kb"),
    ...flagOptions("private", "allow-system-override"),
    ...stringOptions("file"),
  },
  help: [
    "create: --file reads a JSON object with the API's fields (name, system_prompt, model, tools, ...);",
    "flags given as well override it. --tool and --kb repeat or take comma-separated lists; --kb takes ids or names.",
    "--allow-system-override lets /v1 callers add system messages after the agent's own prompt (refused otherwise).",
    "",
    "Models (--model provider or provider:id):",
    ...modelProviders().map(
      (p) => `  ${p.padEnd(18)}${MODEL_PROVIDERS[p].label}; default id ${MODEL_PROVIDERS[p].defaultModel}`,
    ),
    "",
    "Tools (--tool):",
    ...toolNames().map((t) => `  ${t.padEnd(18)}${AGENT_TOOLS[t].description}`),
  ].join("\n"),
  run: subcommands("agents", SUBCOMMANDS, "list"),
};
