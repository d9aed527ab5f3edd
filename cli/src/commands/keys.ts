// `hive keys list|create|revoke`: API keys in the current workspace. `create` prints the secret
// once, alone on stdout (so `hive keys create ... > key.txt` keeps just the key); everything
// else about it goes to stderr.
import {
  API_KEY_SCOPES,
  type ApiKey,
  type ApiKeyScope,
  type HiveClient,
  keyStatus,
  scopeNames,
} from "@hive/shared/api-client";
import { CliError, type Command, type CommandContext, EXIT, type Subcommand, subcommands } from "../command";
import { authedClient } from "../credentials";
import { argument, flagOptions, listOptions, stringOptions } from "../options";
import { printList } from "../output/list";
import { shortTime } from "../output/time";
import { parseWhen } from "../when";

function parseScopes(values: unknown): ApiKeyScope[] {
  const raw = (Array.isArray(values) ? values : [])
    .flatMap((v) => String(v).split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  if (raw.length === 0) throw new CliError(`give at least one --scope (${scopeNames().join(", ")})`, EXIT.USAGE);
  const unknown = raw.filter((s) => !(s in API_KEY_SCOPES));
  if (unknown.length > 0)
    throw new CliError(`unknown scope ${unknown.join(", ")}; known: ${scopeNames().join(", ")}`, EXIT.USAGE);
  return [...new Set(raw as ApiKeyScope[])];
}

async function allKeys(client: HiveClient, includeRevoked: boolean): Promise<ApiKey[]> {
  const keys: ApiKey[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.keys.list({ limit: 100, cursor, includeRevoked });
    keys.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return keys;
}

async function list(ctx: CommandContext): Promise<number> {
  const keys = await allKeys(authedClient(ctx), ctx.values.all === true);
  return printList(ctx, keys, {
    empty: "No API keys. Create one with: hive keys create --name <name> --scope <scope>",
    headers: ["ID", "NAME", "PREFIX", "SCOPES", "CREATED", "LAST USED", "EXPIRES", "STATUS"],
    row: (k) => [
      ...[k.id, k.name, k.prefix, k.scopes.join(","), shortTime(k.created_at)],
      ...[shortTime(k.last_used_at, "never"), shortTime(k.expires_at, "never"), keyStatus(k)],
    ],
  });
}

async function create(ctx: CommandContext): Promise<number> {
  const name = typeof ctx.values.name === "string" ? ctx.values.name.trim() : "";
  if (!name) throw new CliError("--name is required", EXIT.USAGE);
  const scopes = parseScopes(ctx.values.scope);
  const expires = typeof ctx.values.expires === "string" ? parseWhen("expires", ctx.values.expires, 1) : undefined;
  const created = await authedClient(ctx).keys.create({ name, scopes, ...(expires ? { expires_at: expires } : {}) });
  if (ctx.out.json) {
    ctx.out.data(created);
    return EXIT.OK;
  }
  ctx.out.error(
    `Created API key "${created.name}" (${created.id}, ${created.prefix}) with scopes ${created.scopes.join(", ")}, expires ${shortTime(created.expires_at, "never")}.`,
  );
  ctx.out.error(
    `Copy it now: it is shown only this once and cannot be recovered. Revoke it with 'hive keys revoke ${created.id}'.`,
  );
  ctx.out.line(created.key);
  return EXIT.OK;
}

async function revoke(ctx: CommandContext): Promise<number> {
  const id = argument(ctx, "keys revoke <id>");
  await authedClient(ctx).keys.revoke(id);
  if (ctx.out.json) ctx.out.data({ id, revoked: true });
  else ctx.out.line(`Revoked ${id}; it stops working on the next request.`);
  return EXIT.OK;
}

const SUBCOMMANDS: Record<string, Subcommand> = { list, create, revoke };

export const keys: Command = {
  name: "keys",
  summary: "List, create and revoke API keys in the current workspace",
  usage: "list [--all] | create --name <name> --scope <scope>... [--expires <30d|date>] | revoke <id>",
  options: {
    ...flagOptions("all"),
    ...stringOptions("name"),
    ...listOptions("scope"),
    ...stringOptions("expires"),
  },
  help: [
    "Scopes:",
    ...scopeNames().map((s) => `  ${s.padEnd(16)}${API_KEY_SCOPES[s]}`),
    "",
    "list --all includes revoked keys.",
  ].join("\n"),
  run: subcommands("keys", SUBCOMMANDS, "list"),
};
