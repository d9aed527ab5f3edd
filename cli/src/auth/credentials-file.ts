// The saved `hive login`: one API origin and its token pair, in the user's config directory
// ($XDG_CONFIG_HOME/liquid-hive/credentials.json, else ~/.config/liquid-hive/credentials.json).
// The directory is 0700 and the file 0600, like ~/.ssh: the refresh token is a 30-day credential.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export interface SavedLogin {
  url: string;
  email: string;
  workspace_id: string;
  access_token: string;
  /** ISO 8601; the access token is refreshed on a 401 whatever this says. */
  access_expires_at: string;
  refresh_token: string;
  refresh_expires_at: string;
}

const FIELDS = [
  "url",
  "email",
  "workspace_id",
  "access_token",
  "access_expires_at",
  "refresh_token",
  "refresh_expires_at",
] as const;

export function credentialsPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "liquid-hive", "credentials.json");
}

function isSavedLogin(value: unknown): value is SavedLogin {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return FIELDS.every((f) => typeof record[f] === "string");
}

/** The saved login, or null when there is none (or the file is not one we wrote). */
export function readLogin(env: NodeJS.ProcessEnv): SavedLogin | null {
  let text: string;
  try {
    text = readFileSync(credentialsPath(env), "utf8");
  } catch (err) {
    if (err instanceof Error && "code" in err && err.code === "ENOENT") return null;
    throw err;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isSavedLogin(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Whether group or others can read the file (someone loosened it after we wrote it). */
export function isExposed(env: NodeJS.ProcessEnv): boolean {
  try {
    return (statSync(credentialsPath(env)).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

/** Writes atomically (temp file + rename), so a crash never leaves half a token pair. */
export function writeLogin(env: NodeJS.ProcessEnv, login: SavedLogin): string {
  const path = credentialsPath(env);
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing directory's mode alone; this one holds secrets only.
  chmodSync(dir, 0o700);
  const temp = `${path}.${process.pid}.tmp`;
  const picked = Object.fromEntries(FIELDS.map((f) => [f, login[f]]));
  writeFileSync(temp, `${JSON.stringify(picked, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
  return path;
}

export function removeLogin(env: NodeJS.ProcessEnv): boolean {
  const path = credentialsPath(env);
  try {
    statSync(path);
  } catch {
    return false;
  }
  rmSync(path, { force: true });
  return true;
}

/** The login to save from a token answer, e.g. after `hive login` or a refresh. */
export function loginFromTokens(
  url: string,
  email: string,
  tokens: {
    access_token: string;
    expires_in: number;
    refresh_token: string;
    refresh_expires_in: number;
    workspace_id: string;
  },
  now = Date.now(),
): SavedLogin {
  return {
    url,
    email,
    workspace_id: tokens.workspace_id,
    access_token: tokens.access_token,
    access_expires_at: new Date(now + tokens.expires_in * 1000).toISOString(),
    refresh_token: tokens.refresh_token,
    refresh_expires_at: new Date(now + tokens.refresh_expires_in * 1000).toISOString(),
  };
}
