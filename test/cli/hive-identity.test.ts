// hive login / whoami / keys / logout against a fake of the Worker's auth and key routes:
// where credentials are kept and with which permissions, that tokens never reach the
// terminal (only a new API key, once), and that an expired access token is refreshed.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import { ACCOUNT, type FakeIdentityApi, startFakeIdentityApi } from "./helpers/fake-identity-api";
import { type HiveRun, runHive } from "./helpers/run-hive";
import { runHiveOnTty } from "./helpers/run-hive-tty";

interface Saved {
  url: string;
  email: string;
  access_token: string;
  refresh_token: string;
}

describe("hive login, whoami, keys, logout", () => {
  let api: FakeIdentityApi;
  let config: string;
  let env: Record<string, string>;
  const credentialsFile = () => join(config, "liquid-hive", "credentials.json");
  const saved = async () => JSON.parse(await readFile(credentialsFile(), "utf8")) as Saved;
  const hive = (args: string[], input?: string) => runHive(args, env, input);
  const login = () =>
    hive(["login", "--url", api.url, "--email", ACCOUNT.email, "--password-stdin"], `${ACCOUNT.password}\n`);

  /** No access or refresh token the fake ever issued appears in what hive printed. */
  function assertNoTokens(run: HiveRun, tokens: string[]) {
    for (const token of tokens) {
      assert.ok(!run.stdout.includes(token), "a token was printed to stdout");
      assert.ok(!run.stderr.includes(token), "a token was printed to stderr");
    }
    assert.doesNotMatch(run.stdout + run.stderr, /eyJ[\w-]{20,}|lhr_[\w-]{20,}/);
  }

  before(async () => {
    api = await startFakeIdentityApi();
  });
  after(() => api.close());
  beforeEach(async () => {
    config = await mkdtemp(join(tmpdir(), "hive-config-"));
    env = { XDG_CONFIG_HOME: config, HIVE_API_KEY: "" };
    api.lockoutSeconds = 0;
  });
  afterEach(() => rm(config, { recursive: true, force: true }));

  test("login saves the token pair for the URL in a 0600 file in a 0700 directory, printing no token", async () => {
    const run = await login();
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `^Logged in to ${api.url.replace(/\./g, "\\.")} as ada@example\\.com, in workspace Ada's workspace \\(admin\\)\\.$`,
        "m",
      ),
    );
    assert.equal((await stat(credentialsFile())).mode & 0o777, 0o600);
    assert.equal((await stat(join(config, "liquid-hive"))).mode & 0o777, 0o700);
    const creds = await saved();
    assert.equal(creds.url, api.url);
    assert.equal(creds.email, ACCOUNT.email);
    assert.match(creds.access_token, /^eyJ/);
    assert.match(creds.refresh_token, /^lhr_/);
    assertNoTokens(run, [creds.access_token, creds.refresh_token]);
    assert.ok(!run.stdout.includes(ACCOUNT.password) && !run.stderr.includes(ACCOUNT.password));
  });

  test("a wrong password exits 1 with the reason and saves nothing", async () => {
    const run = await hive(["login", "--url", api.url, "--email", ACCOUNT.email, "--password-stdin"], "not it\n");
    assert.equal(run.code, 1);
    assert.equal(run.stderr.trim(), "hive: invalid email or password");
    await assert.rejects(stat(credentialsFile()), { code: "ENOENT" });
  });

  test("a sign-in lockout says how long to wait (Retry-After)", async () => {
    api.lockoutSeconds = 840;
    const run = await login();
    assert.equal(run.code, 1);
    assert.equal(run.stderr.trim(), "hive: too many failed sign-in attempts; try again in 840 s");
  });

  test("without a terminal, login needs --email and --password-stdin", async () => {
    const noEmail = await hive(["login", "--url", api.url, "--password-stdin"], "x\n");
    assert.equal(noEmail.code, 64);
    assert.match(noEmail.stderr, /--email is required when stdin is not a terminal/);
    const noPassword = await hive(["login", "--url", api.url, "--email", ACCOUNT.email]);
    assert.equal(noPassword.code, 64);
    assert.match(noPassword.stderr, /no terminal to read the password from; pipe it with --password-stdin/);
  });

  test("on a terminal, login prompts for both and does not echo the password", async () => {
    const run = await runHiveOnTty(["login", "--url", api.url], env, [
      { prompt: /Email: /, type: `${ACCOUNT.email}\r` },
      { prompt: /Password: /, type: `${ACCOUNT.password}\r` },
    ]);
    assert.equal(run.code, 0, run.screen);
    assert.match(run.screen, /Email: ada@example\.com/, "the email is echoed as typed");
    assert.ok(!run.screen.includes(ACCOUNT.password), `the password was echoed:\n${run.screen}`);
    assert.match(run.screen, /Logged in to .* as ada@example\.com/);
    assert.equal((await saved()).email, ACCOUNT.email);
  });

  test("whoami uses the saved login and its URL", async () => {
    assert.equal((await login()).code, 0);
    const creds = await saved();
    const run = await hive(["whoami"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^ada@example\\.com \\(Ada\\) at ${api.url.replace(/\./g, "\\.")}$`, "m"));
    assert.match(run.stdout, /^workspace Ada's workspace \(ws_ada\), role admin, signed in with a token$/m);
    assert.match(run.stdout, /^\*\s+Ada's workspace\s+ws_ada\s+admin\s+personal$/m);
    assertNoTokens(run, [creds.access_token, creds.refresh_token]);
    assert.equal(api.requests.at(-1)?.authorization, `Bearer ${creds.access_token}`);
  });

  test("an expired access token is refreshed once and the rotated pair is saved", async () => {
    assert.equal((await login()).code, 0);
    const before = await saved();
    api.expireAccessTokens();
    const run = await hive(["whoami"]);
    assert.equal(run.code, 0, run.stderr);
    const after = await saved();
    assert.notEqual(after.access_token, before.access_token);
    assert.notEqual(after.refresh_token, before.refresh_token);
    assert.ok(api.isSpent(before.refresh_token), "the old refresh token was used");
    assert.equal((await stat(credentialsFile())).mode & 0o777, 0o600, "still 0600 after the rewrite");
    assertNoTokens(run, [before.access_token, after.access_token, after.refresh_token]);
    const routes = api.requests.slice(-3).map((r) => r.route);
    assert.deepEqual(routes, ["GET /api/auth/me", "POST /api/auth/refresh", "GET /api/auth/me"]);
    assert.equal((await hive(["whoami"])).code, 0, "the saved pair works for the next command");
  });

  test("a revoked login asks to log in again", async () => {
    assert.equal((await login()).code, 0);
    api.revokeAll();
    const run = await hive(["whoami"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^hive: UNAUTHENTICATED: /m);
    assert.match(run.stderr, /Run 'hive login' to sign in again\./);
  });

  test("without a login, commands that need one say how to get one", async () => {
    const run = await hive(["whoami", "--url", api.url]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.trim(), `hive: not logged in; run 'hive login --url ${api.url}' (or set HIVE_API_KEY)`);
  });

  test("keys create prints the key alone on stdout, once; list and revoke never show it", async () => {
    assert.equal((await login()).code, 0);
    const creds = await saved();
    const created = await hive([
      "keys",
      "create",
      "--name",
      "ci deploy",
      "--scope",
      "agents:read",
      "--scope",
      "chat",
      "--expires",
      "30d",
    ]);
    assert.equal(created.code, 0, created.stderr);
    const key = created.stdout.trim();
    assert.match(key, /^lh_[\w-]{8}_[\w-]{20,}$/);
    assert.equal(created.stdout, `${key}\n`, "nothing but the key on stdout");
    assert.match(
      created.stderr,
      /Created API key "ci deploy" \(key_\S+, lh_\S+\) with scopes agents:read, chat, expires \d{4}-\d\d-\d\d \d\d:\d\dZ\./,
    );
    assert.match(created.stderr, /shown only this once/);
    assertNoTokens(created, [creds.access_token, creds.refresh_token]);

    const id = api.keys[0]?.id ?? "";
    const listed = await hive(["keys", "list"]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID\s+NAME\s+PREFIX\s+SCOPES\s+CREATED\s+LAST USED\s+EXPIRES\s+STATUS$/m);
    assert.match(
      listed.stdout,
      new RegExp(
        `^${id}\\s+ci deploy\\s+${api.keys[0]?.prefix}\\s+agents:read,chat\\s+\\S+ \\S+\\s+never\\s+\\S+ \\S+\\s+active$`,
        "m",
      ),
    );
    assert.ok(!listed.stdout.includes(key), "the secret is never listed");
    assertNoTokens(listed, [creds.access_token, creds.refresh_token]);

    const revoked = await hive(["keys", "revoke", id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout.trim(), `Revoked ${id}; it stops working on the next request.`);
    assert.doesNotMatch((await hive(["keys", "list"])).stdout, new RegExp(id));
    assert.match((await hive(["keys", "list", "--all"])).stdout, new RegExp(`^${id}\\s.*\\srevoked$`, "m"));
  });

  test("keys create refuses unknown scopes and a missing name before calling the API", async () => {
    assert.equal((await login()).code, 0);
    const calls = api.requests.length;
    const badScope = await hive(["keys", "create", "--name", "x", "--scope", "everything"]);
    assert.equal(badScope.code, 64);
    assert.match(badScope.stderr, /unknown scope everything; known: agents:read, /);
    const noName = await hive(["keys", "create", "--scope", "chat"]);
    assert.equal(noName.code, 64);
    assert.match(noName.stderr, /--name is required/);
    assert.equal(api.requests.length, calls);
  });

  test("--json keys create carries the key; HIVE_API_KEY authenticates without a login", async () => {
    assert.equal((await login()).code, 0);
    const created = await hive(["--json", "keys", "create", "--name", "script", "--scope", "agents:read"]);
    assert.equal(created.code, 0, created.stderr);
    const body = JSON.parse(created.stdout) as { key: string; name: string };
    assert.equal(body.name, "script");
    await rm(credentialsFile());
    const run = await runHive(["whoami", "--url", api.url], { ...env, HIVE_API_KEY: body.key });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /role service, signed in with an API key/);
  });

  test("logout revokes the token family on the server and deletes the file", async () => {
    assert.equal((await login()).code, 0);
    const creds = await saved();
    const run = await hive(["logout"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), `Logged out of ${api.url}.`);
    assert.ok(api.familyRevoked(creds.access_token));
    await assert.rejects(stat(credentialsFile()), { code: "ENOENT" });
    assert.equal((await hive(["logout"])).stdout.trim(), "Not logged in.");
  });
});
