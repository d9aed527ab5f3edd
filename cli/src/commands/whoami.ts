// `hive whoami`: the signed-in account, its current workspace and role, and its memberships.
import { type Command, EXIT } from "../command";
import { authedClient } from "../credentials";
import { renderTable } from "../output/table";

export const whoami: Command = {
  name: "whoami",
  summary: "Show the signed-in account, workspace and role",
  async run(ctx) {
    const me = await authedClient(ctx).auth.me();
    if (ctx.out.json) {
      ctx.out.data(me);
      return EXIT.OK;
    }
    const { out } = ctx;
    const admin = me.user.platform_role === "platform_admin" ? `, ${out.style("bold", "platform admin")}` : "";
    out.line(`${me.user.email} (${me.user.name}${admin}) at ${ctx.client.baseUrl}`);
    out.line(
      `workspace ${me.workspace.name} (${me.workspace.id}), role ${me.role}, signed in with ${me.via === "api_key" ? "an API key" : "a token"}`,
    );
    if (me.scopes.length > 0) out.line(`scopes ${me.scopes.join(", ")}`);
    const rows = me.memberships.map((m) => [
      m.workspace_id === me.workspace.id ? "*" : "",
      m.name,
      m.workspace_id,
      m.role,
      m.personal ? "personal" : "",
    ]);
    out.line();
    out.line(renderTable(["", "WORKSPACE", "ID", "ROLE", ""], rows));
    return EXIT.OK;
  },
};
