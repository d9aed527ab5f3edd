// The shared route-test harness: typed requests through the Worker (SELF.fetch) and helpers
// that make users, sessions, tokens, API keys and workspaces with given roles, always through
// the public API as the bootstrap admin. Every test file has its own D1, so nothing leaks.
import { env, runInDurableObject, SELF } from "cloudflare:test";
import type { Page } from "@hive/shared/api-types/page";
import type { TokenResponse } from "../../../worker/auth/schemas";
import type { Scope, WorkspaceRole } from "../../../worker/core/principal";
import type { Invitation } from "../../../worker/invitations/schemas";
import type { CreatedApiKey } from "../../../worker/keys/schemas";
import type { User } from "../../../worker/users/schemas";
import type { Workspace } from "../../../worker/workspaces/schemas";

export const BASE = "http://localhost";

/**
 * Resets one Durable Object instance, as an eviction would: its in-memory state and work in
 * flight are gone, its storage stays. Only that object: files running alongside share the
 * runtime, so `abortAllDurableObjects()` would break their objects too.
 */
export const evict = (stub: DurableObjectStub): Promise<void> =>
  runInDurableObject(stub, (_instance, state) => state.abort("evicted for test")).catch(() => undefined);

/** An origin the Worker accepts for cookie-authenticated writes (CORS_ORIGINS in wrangler.toml). */
export const DASHBOARD_ORIGIN = "http://localhost:8787";
export const ADMIN = { email: env.ADMIN_EMAIL ?? "", password: env.ADMIN_PASSWORD ?? "" };
export const DEFAULT_PASSWORD = "a-long-test-password-42";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";

export interface ApiOptions {
  body?: unknown;
  /** A JWT or API key, sent as `Authorization: Bearer`. */
  token?: string;
  /** A `Cookie` header value, e.g. from `login()`. Writes get a same-origin Origin and JSON type unless `headers` override them. */
  cookie?: string;
  headers?: Record<string, string>;
}

export interface ApiResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** The error envelope, for asserting on failures. */
export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown>; timestamp: string; request_id: string };
}

export async function api<T = unknown>(method: Method, path: string, opts: ApiOptions = {}): Promise<ApiResult<T>> {
  const headers = new Headers();
  if (opts.body !== undefined) headers.set("Content-Type", "application/json");
  if (opts.token) headers.set("Authorization", `Bearer ${opts.token}`);
  if (opts.cookie) {
    headers.set("Cookie", opts.cookie);
    if (!["GET", "HEAD", "OPTIONS"].includes(method)) {
      headers.set("Origin", DASHBOARD_ORIGIN);
      headers.set("Content-Type", "application/json");
    }
  }
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers.set(k, v);
  const res = await SELF.fetch(`${BASE}${path}`, {
    method,
    headers,
    ...(opts.body === undefined ? {} : { body: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) }),
    redirect: "manual",
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get("Content-Type") ?? "").includes("json") && text) body = JSON.parse(text);
  return { status: res.status, body: body as T, headers: res.headers };
}

/** Only the status `api` answers with: for checks of who may do what. */
export async function statusOf(method: Method, path: string, opts: ApiOptions = {}): Promise<number> {
  return (await api(method, path, opts)).status;
}

/** Like `api` but fails the test with the response body unless the status is `expected`. */
export async function expectStatus<T>(
  expected: number,
  method: Method,
  path: string,
  opts: ApiOptions = {},
): Promise<T> {
  const res = await api<T>(method, path, opts);
  if (res.status !== expected)
    throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Walks a list route `limit` items at a time, following its cursors; every page's items, in order. */
export async function pagesOf<T>(path: string, limit: number, opts: ApiOptions = {}): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | null = null;
  do {
    const next = `${path}${path.includes("?") ? "&" : "?"}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
    const page: Page<T> = await expectStatus<Page<T>>(200, "GET", next, opts);
    pages.push(page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return pages;
}

export async function token(email: string, password: string, workspaceId?: string): Promise<TokenResponse> {
  return expectStatus<TokenResponse>(200, "POST", "/api/auth/token", {
    body: { email, password, ...(workspaceId ? { workspace_id: workspaceId } : {}) },
  });
}

let adminAccess: Promise<string> | undefined;

/** An access token for the bootstrap platform admin (cached per test file; valid 15 minutes). */
export function adminToken(): Promise<string> {
  adminAccess ??= token(ADMIN.email, ADMIN.password).then((t) => t.access_token);
  return adminAccess;
}

/** Drops the cached admin token, e.g. after a test signed the admin out or changed its password. */
export function forgetAdminToken(): void {
  adminAccess = undefined;
}

/** Signs in like the dashboard; returns the `Cookie` header value to send back. */
export async function login(email: string, password: string): Promise<string> {
  const res = await api("POST", "/api/auth/login", { body: { email, password } });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return sessionCookieFrom(res.headers);
}

/** Every Set-Cookie header of a response (workerd's Headers keeps them apart through getAll). */
export const setCookies = (headers: Headers): string[] => headers.getAll("Set-Cookie");

export function sessionCookieFrom(headers: Headers): string {
  const set = setCookies(headers).find((c) => c.startsWith("__Host-lh_session="));
  if (!set) throw new Error("no session cookie was set");
  return set.split(";")[0] ?? "";
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  /** The personal workspace created with the account. */
  personalWorkspaceId: string;
  /** An access token in the personal workspace, from creating the account (valid 15 minutes). */
  accessToken?: string;
}

let counter = 0;
export const uniqueEmail = (label = "user") => `${label}-${Date.now().toString(36)}-${++counter}@example.test`;

/** Creates a user (platform admin route, so it works in admin_only sign-up mode). */
export async function createUser(
  opts: { email?: string; password?: string; name?: string; platformAdmin?: boolean } = {},
): Promise<TestUser> {
  const email = opts.email ?? uniqueEmail();
  const password = opts.password ?? DEFAULT_PASSWORD;
  const user = await expectStatus<User>(201, "POST", "/api/users", {
    token: await adminToken(),
    body: {
      email,
      password,
      ...(opts.name ? { name: opts.name } : {}),
      platform_role: opts.platformAdmin ? "platform_admin" : "member",
    },
  });
  const { workspace_id, access_token } = await token(email, password);
  return { id: user.id, email: user.email, password, personalWorkspaceId: workspace_id, accessToken: access_token };
}

/** A new user's access token from signing in afresh: for tests that only need "someone else". */
export async function newUserAccess(): Promise<string> {
  const user = await createUser();
  return (await token(user.email, user.password)).access_token;
}

/** A key with `scopes` made by the holder of `accessToken` in its current workspace; `key` is the secret. */
export async function apiKey(
  accessToken: string,
  scopes: readonly Scope[],
  opts: { name?: string; serviceAccount?: string; workspaceId?: string; expiresAt?: string } = {},
): Promise<CreatedApiKey> {
  return expectStatus<CreatedApiKey>(201, "POST", "/api/keys", {
    token: accessToken,
    headers: opts.workspaceId ? { "X-Workspace-Id": opts.workspaceId } : {},
    body: {
      name: opts.name ?? `test key ${++counter}`,
      scopes,
      ...(opts.serviceAccount ? { service_account: { name: opts.serviceAccount } } : {}),
      ...(opts.expiresAt ? { expires_at: opts.expiresAt } : {}),
    },
  });
}

export async function createWorkspace(accessToken: string, name = `Team ${++counter}`): Promise<Workspace> {
  return expectStatus<Workspace>(201, "POST", "/api/workspaces", { token: accessToken, body: { name } });
}

/** Brings `person` into a workspace the only way there is: an admin invites their email, they accept it. */
export async function addMember(
  adminAccessToken: string,
  workspaceId: string,
  person: { email: string; password: string; accessToken?: string },
  role: WorkspaceRole,
): Promise<void> {
  const invitation = await expectStatus<Invitation>(201, "POST", `/api/workspaces/${workspaceId}/invitations`, {
    token: adminAccessToken,
    body: { email: person.email, role },
  });
  const own = person.accessToken ?? (await token(person.email, person.password)).access_token;
  await expectStatus(200, "POST", `/api/invitations/${invitation.id}/accept`, { token: own });
}

export interface Member extends TestUser {
  /** An access token whose workspace is the team workspace. */
  token: string;
}

export interface Team {
  workspaceId: string;
  admin: Member;
  user: Member;
  readOnly: Member;
}

/** A fresh non-personal workspace with one admin, one user and one read-only member. */
export async function createTeam(name?: string): Promise<Team> {
  const [admin, user, readOnly] = await Promise.all([
    createUser({ name: "Team Admin" }),
    createUser({ name: "Team User" }),
    createUser({ name: "Team Reader" }),
  ]);
  const ws = await createWorkspace((await token(admin.email, admin.password)).access_token, name);
  const adminToken = (await token(admin.email, admin.password, ws.id)).access_token;
  await addMember(adminToken, ws.id, user, "user");
  await addMember(adminToken, ws.id, readOnly, "read_only");
  const member = async (u: TestUser): Promise<Member> => ({
    ...u,
    token: (await token(u.email, u.password, ws.id)).access_token,
  });
  return {
    workspaceId: ws.id,
    admin: { ...admin, token: adminToken },
    user: await member(user),
    readOnly: await member(readOnly),
  };
}
