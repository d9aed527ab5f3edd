// `hive logout`: end the saved token family on the server, then forget it locally. The local
// copy is removed even when the server cannot be told, so a lost network never keeps it.
import { HiveApiError, HiveClient, HiveNetworkError } from "@hive/shared/api-client";
import { readLogin, removeLogin } from "../auth/credentials-file";
import { refreshingFetch } from "../auth/refreshing-fetch";
import { type Command, EXIT } from "../command";

export const logout: Command = {
  name: "logout",
  summary: "Sign out: revoke the saved tokens and delete them",
  async run(ctx) {
    const login = readLogin(ctx.env);
    if (!login) {
      if (ctx.out.json) ctx.out.data({ logged_out: false });
      else ctx.out.line("Not logged in.");
      return EXIT.OK;
    }
    let warning: string | null = null;
    try {
      // The saved login's own origin, whatever --url says: that is where its tokens live.
      await new HiveClient({ baseUrl: login.url, fetch: refreshingFetch(ctx.env, login) }).auth.logout();
    } catch (err) {
      if (!(err instanceof HiveApiError || err instanceof HiveNetworkError)) throw err;
      warning = `could not revoke the tokens on the server (${err.message}); they expire on their own`;
    }
    removeLogin(ctx.env);
    if (warning) ctx.out.error(`hive: warning: ${warning}`);
    if (ctx.out.json) ctx.out.data({ logged_out: true, url: login.url, revoked: warning === null });
    else ctx.out.line(`Logged out of ${login.url}.`);
    return EXIT.OK;
  },
};
