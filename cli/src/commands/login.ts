// `hive login`: exchange email and password for a token pair (POST /api/auth/token) and save
// it for later commands. The tokens are never printed.
import { HiveApiError, HiveClient } from "@hive/shared/api-client";
import { loginFromTokens, type SavedLogin, writeLogin } from "../auth/credentials-file";
import { promptHidden, promptLine, readStdin, stdinIsTerminal } from "../auth/prompt";
import { CliError, type Command, EXIT } from "../command";
import { flagOptions, stringOptions } from "../options";

async function readEmail(given: string | boolean | (string | boolean)[] | undefined): Promise<string> {
  if (typeof given === "string" && given.trim()) return given.trim();
  if (!stdinIsTerminal()) throw new CliError("--email is required when stdin is not a terminal", EXIT.USAGE);
  const email = await promptLine("Email: ");
  if (!email) throw new CliError("an email address is required", EXIT.USAGE);
  return email;
}

async function readPassword(fromStdin: boolean): Promise<string> {
  const password = fromStdin ? await readStdin() : await promptHidden("Password: ");
  if (!password) throw new CliError("a password is required", EXIT.USAGE);
  return password;
}

/** Sign-in failures in words; other API errors go to main's generic report. */
function signInFailure(err: HiveApiError): CliError | null {
  if (err.status === 401) return new CliError("invalid email or password");
  if (err.status === 429) {
    const wait =
      err.retryAfterSeconds ??
      (typeof err.details.retry_after_seconds === "number" ? err.details.retry_after_seconds : null);
    return new CliError(`too many failed sign-in attempts; try again ${wait ? `in ${wait} s` : "later"}`);
  }
  return null;
}

export const login: Command = {
  name: "login",
  summary: "Sign in and save an access token for later commands",
  usage: "[--email <email>] [--password-stdin] [--workspace <id>]",
  options: { ...stringOptions("email"), ...flagOptions("password-stdin"), ...stringOptions("workspace") },
  help: [
    "Prompts for the email (unless --email) and the password (not echoed), or reads the",
    "password from stdin with --password-stdin, e.g. `pass show hive | hive login --email a@b.c --password-stdin`.",
    "Saves the token pair to $XDG_CONFIG_HOME/liquid-hive/credentials.json (or ~/.config/...),",
    "readable by you only; later commands use it and refresh it when it expires.",
  ].join("\n"),
  async run(ctx) {
    const email = await readEmail(ctx.values.email);
    const password = await readPassword(ctx.values["password-stdin"] === true);
    const workspace = typeof ctx.values.workspace === "string" ? ctx.values.workspace : undefined;
    let saved: SavedLogin;
    try {
      const tokens = await ctx.client.auth.token({
        email,
        password,
        ...(workspace ? { workspace_id: workspace } : {}),
      });
      saved = loginFromTokens(ctx.client.baseUrl, email, tokens);
    } catch (err) {
      const failure = err instanceof HiveApiError ? signInFailure(err) : null;
      throw failure ?? err;
    }
    const me = await new HiveClient({ baseUrl: ctx.client.baseUrl, token: saved.access_token }).auth.me();
    const path = writeLogin(ctx.env, { ...saved, email: me.user.email });
    if (ctx.out.json) {
      ctx.out.data({
        url: saved.url,
        email: me.user.email,
        workspace_id: me.workspace.id,
        role: me.role,
        credentials_file: path,
      });
    } else {
      ctx.out.line(`Logged in to ${saved.url} as ${me.user.email}, in workspace ${me.workspace.name} (${me.role}).`);
      ctx.out.line(`Credentials saved to ${path}`);
    }
    return EXIT.OK;
  },
};
