// How commands reach the API as the signed-in user. Any command that needs auth calls
// `authedClient(ctx)`; it never handles tokens itself:
//
//   const client = authedClient(ctx);      // throws CliError "not logged in" when it cannot
//   const page = await client.keys.list();
//
// The credential, in order: $HIVE_API_KEY (scripts, CI), else the login saved by `hive login`
// for the command's --url (refreshed and re-saved on a 401).
import { HiveClient, type HiveClientOptions } from "@hive/shared/api-client";
import { credentialsPath, isExposed, readLogin } from "./auth/credentials-file";
import { refreshingFetch } from "./auth/refreshing-fetch";
import { CliError, type CommandContext } from "./command";

/** The API origin of the saved login: `hive` talks to it when neither --url nor $HIVE_URL is given. */
export function savedLoginUrl(env: NodeJS.ProcessEnv): string | null {
  return readLogin(env)?.url ?? null;
}

export function authedClient(
  ctx: Pick<CommandContext, "client" | "env" | "out">,
  waits: Pick<HiveClientOptions, "retry" | "onWait"> = {},
): HiveClient {
  const baseUrl = ctx.client.baseUrl;
  const apiKey = ctx.env.HIVE_API_KEY;
  if (apiKey) return new HiveClient({ baseUrl, token: apiKey, ...waits });
  const login = readLogin(ctx.env);
  if (!login) throw new CliError(`not logged in; run 'hive login --url ${baseUrl}' (or set HIVE_API_KEY)`);
  if (login.url !== baseUrl) {
    throw new CliError(
      `logged in to ${login.url}, not ${baseUrl}; run 'hive login --url ${baseUrl}' (or set HIVE_API_KEY)`,
    );
  }
  if (isExposed(ctx.env))
    ctx.out.error(`hive: warning: ${credentialsPath(ctx.env)} is readable by other users; run 'chmod 600' on it`);
  return new HiveClient({ baseUrl, fetch: refreshingFetch(ctx.env, login), ...waits });
}

/** The signed-in client when there is a credential for this URL, else null: for public routes
 * that tell a signed-in caller more (e.g. /ready's provider detail for platform admins). */
export function signedInClientIfAny(ctx: Pick<CommandContext, "client" | "env" | "out">): HiveClient | null {
  if (ctx.env.HIVE_API_KEY) return authedClient(ctx);
  return readLogin(ctx.env)?.url === ctx.client.baseUrl ? authedClient(ctx) : null;
}
