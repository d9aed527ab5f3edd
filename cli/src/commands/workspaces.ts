// `hive workspaces list|invite|sent|revoke|invitations|accept|decline`: the workspaces you are
// in and how people join them. An admin invites an email into the current workspace; the
// person signed in with that email sees the invitation and accepts or declines it. Nobody is
// added without accepting.
import type { InvitationStatus, Workspace, WorkspaceRole } from "@hive/shared/api-client";
import { CliError, type Command, type CommandContext, EXIT, type Subcommand, subcommands } from "../command";
import { authedClient } from "../credentials";
import { allPages, everyItem } from "../lookup";
import { argument, stringOptions } from "../options";
import { printList } from "../output/list";
import { renderTable } from "../output/table";
import { shortTime } from "../output/time";

const ROLES: readonly WorkspaceRole[] = ["admin", "user", "read_only"];
const STATUSES: readonly InvitationStatus[] = ["pending", "accepted", "declined", "revoked", "expired"];

function oneOf<T extends string>(
  option: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T | undefined,
): T | undefined {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError(`--${option} must be one of ${allowed.join(", ")}`, EXIT.USAGE);
}

/** The workspace the signed-in credential acts in, as `whoami` shows it. */
async function currentWorkspace(ctx: CommandContext): Promise<{ id: string; name: string }> {
  return (await authedClient(ctx).auth.me()).workspace;
}

const workspaceRow = (w: Workspace) => [w.id, w.name, w.role ?? "-", w.personal ? "personal" : ""];

async function list(ctx: CommandContext): Promise<number> {
  const client = authedClient(ctx);
  const workspaces = await everyItem(client.workspaces);
  if (ctx.out.json) ctx.out.data({ data: workspaces });
  else ctx.out.line(renderTable(["ID", "NAME", "ROLE", ""], workspaces.map(workspaceRow)));
  return EXIT.OK;
}

async function invite(ctx: CommandContext): Promise<number> {
  const email = argument(ctx, "workspaces invite <email> [--role user|read_only|admin]");
  const role = oneOf("role", ctx.values.role, ROLES, "user") ?? "user";
  const workspace = await currentWorkspace(ctx);
  const sent = await authedClient(ctx).invitations.invite(workspace.id, { email, role });
  if (ctx.out.json) ctx.out.data(sent);
  else
    ctx.out.line(
      `Invited ${sent.email} to ${workspace.name} as ${sent.role} (${sent.id}); it can be accepted until ${shortTime(sent.expires_at)}.`,
    );
  return EXIT.OK;
}

async function sent(ctx: CommandContext): Promise<number> {
  const status = oneOf("status", ctx.values.status, STATUSES, undefined);
  const workspace = await currentWorkspace(ctx);
  const client = authedClient(ctx);
  const rows = await allPages((cursor) =>
    client.invitations.list(workspace.id, { limit: 100, cursor, ...(status ? { status } : {}) }),
  );
  return printList(ctx, rows, {
    empty: `No ${status ? `${status} ` : ""}invitations from ${workspace.name}.`,
    headers: ["ID", "EMAIL", "ROLE", "STATUS", "SENT", "EXPIRES"],
    row: (i) => [i.id, i.email, i.role, i.status, shortTime(i.created_at), shortTime(i.expires_at)],
  });
}

async function revoke(ctx: CommandContext): Promise<number> {
  const id = argument(ctx, "workspaces revoke <invitation-id>");
  const workspace = await currentWorkspace(ctx);
  await authedClient(ctx).invitations.revoke(workspace.id, id);
  if (ctx.out.json) ctx.out.data({ id, revoked: true });
  else ctx.out.line(`Revoked ${id}; it can no longer be accepted.`);
  return EXIT.OK;
}

async function invitations(ctx: CommandContext): Promise<number> {
  const client = authedClient(ctx);
  const mine = await allPages((cursor) => client.invitations.mine({ limit: 100, cursor }));
  printList(ctx, mine, {
    empty: "No pending invitations.",
    headers: ["ID", "WORKSPACE", "ROLE", "INVITED BY", "EXPIRES"],
    row: (i) => [i.id, i.workspace.name, i.role, i.invited_by.email, shortTime(i.expires_at)],
  });
  if (!ctx.out.json && mine.length > 0) {
    ctx.out.error("Answer with: hive workspaces accept <id>  or  hive workspaces decline <id>");
  }
  return EXIT.OK;
}

async function accept(ctx: CommandContext): Promise<number> {
  const answered = await authedClient(ctx).invitations.accept(argument(ctx, "workspaces accept <invitation-id>"));
  if (ctx.out.json) ctx.out.data(answered);
  else ctx.out.line(`Joined ${answered.workspace.name} (${answered.workspace.id}) as ${answered.role}.`);
  return EXIT.OK;
}

async function decline(ctx: CommandContext): Promise<number> {
  const answered = await authedClient(ctx).invitations.decline(argument(ctx, "workspaces decline <invitation-id>"));
  if (ctx.out.json) ctx.out.data(answered);
  else ctx.out.line(`Declined the invitation to ${answered.workspace.name}.`);
  return EXIT.OK;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  list,
  invite,
  sent,
  revoke,
  invitations,
  accept,
  decline,
};

export const workspaces: Command = {
  name: "workspaces",
  summary: "Your workspaces, and inviting people to them",
  usage:
    "list | invite <email> [--role <role>] | sent [--status <status>] | revoke <id> | invitations | accept <id> | decline <id>",
  options: stringOptions("role", "status"),
  help: [
    "invite, sent and revoke act in the current workspace (see 'hive whoami') and need its admin role.",
    "invitations lists the ones sent to your account's email; accept or decline them by id.",
    `Roles: ${ROLES.join(", ")}. Statuses: ${STATUSES.join(", ")}.`,
  ].join("\n"),
  run: subcommands("workspaces", SUBCOMMANDS, "list"),
};
