// Every kind of caller the permission table must get right: the valid principals with their
// roles, and credentials that must be refused (disabled account, expired, wrong audience,
// tampered signature, alg "none", revoked key). Built through the public API.
import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import type { Scope } from "../../worker/core/principal";
import {
  adminToken,
  apiKey,
  createTeam,
  createUser,
  expectStatus,
  forgetAdminToken,
  type Team,
  token,
} from "./helpers/harness";

/** Credentials that are presented but must never be accepted, on any route. */
const REFUSED_NAMES = [
  "disabledUser",
  "expiredToken",
  "wrongAudience",
  "tamperedSignature",
  "algNone",
  "revokedKey",
] as const;

export const PRINCIPALS = [
  "anonymous",
  ...REFUSED_NAMES,
  "platformAdmin",
  "readOnly",
  "user",
  "keyWithoutScope",
  "keyWithScope",
  // Last, so a destructive sample (deleting the workspace) cannot starve later principals.
  "wsAdmin",
] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

export const REFUSED: ReadonlySet<PrincipalName> = new Set(REFUSED_NAMES);

/** The role each valid principal holds in the workspace its requests act in. */
export const ROLE_OF = {
  platformAdmin: "admin",
  wsAdmin: "admin",
  user: "user",
  readOnly: "read_only",
  keyWithScope: "service",
  keyWithoutScope: "service",
} as const;

export interface Fixture {
  team: Team;
  platform: { token: string; userId: string; workspaceId: string };
  refused: Record<
    "disabledUser" | "expiredToken" | "wrongAudience" | "tamperedSignature" | "algNone" | "revokedKey",
    string
  >;
  keys: Map<string, string>;
}

/** What a request needs to act as a principal: its bearer credential, workspace and user. */
export interface Caller {
  token?: string;
  workspaceId: string;
  userId: string;
}

const b64url = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function signingKey(): { kid: string; secret: Uint8Array } {
  const [first] = (env.JWT_KEYS ?? "").split(",");
  const at = (first ?? "").indexOf(":");
  return { kid: (first ?? "").slice(0, at), secret: new TextEncoder().encode((first ?? "").slice(at + 1)) };
}

/** A token signed with the real key, with claims chosen by the test. */
export async function forgeJwt(claims: {
  sub: string;
  wid: string;
  fam?: string;
  aud?: string;
  iss?: string;
  exp: number;
  iat: number;
}): Promise<string> {
  const { kid, secret } = signingKey();
  return new SignJWT({ wid: claims.wid, fam: claims.fam ?? "fam_forged" })
    .setProtectedHeader({ alg: "HS256", kid, typ: "JWT" })
    .setSubject(claims.sub)
    .setJti(`jti_${crypto.randomUUID()}`)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .setIssuer(claims.iss ?? "liquid-hive")
    .setAudience(claims.aud ?? "liquid-hive-api")
    .sign(secret);
}

export function algNoneJwt(sub: string, wid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: "none", typ: "JWT", kid: signingKey().kid }));
  const payload = b64url(
    JSON.stringify({
      sub,
      wid,
      fam: "fam_none",
      jti: "jti_none",
      iat: now,
      exp: now + 600,
      iss: "liquid-hive",
      aud: "liquid-hive-api",
    }),
  );
  return `${header}.${payload}.`;
}

export function tamper(jwt: string): string {
  const [h, p, sig = ""] = jwt.split(".");
  const i = Math.floor(sig.length / 2);
  const flipped = sig[i] === "A" ? "B" : "A";
  return `${h}.${p}.${sig.slice(0, i)}${flipped}${sig.slice(i + 1)}`;
}

export async function buildFixture(): Promise<Fixture> {
  const team = await createTeam("Permission matrix");
  const platformToken = await adminToken();
  const me = await expectStatus<{ user: { id: string }; workspace: { id: string } }>(200, "GET", "/api/auth/me", {
    token: platformToken,
  });

  const disabled = await createUser({ name: "Soon Disabled" });
  const disabledToken = (await token(disabled.email, disabled.password)).access_token;
  await expectStatus(200, "PATCH", `/api/users/${disabled.id}`, { token: platformToken, body: { disabled: true } });

  const revoked = await apiKey(team.admin.token, ["agents:read"], { serviceAccount: "revoked-bot" });
  await expectStatus(204, "DELETE", `/api/keys/${revoked.id}`, { token: team.admin.token });

  const now = Math.floor(Date.now() / 1000);
  const base = { sub: team.user.id, wid: team.workspaceId };
  return {
    team,
    platform: { token: platformToken, userId: me.user.id, workspaceId: me.workspace.id },
    keys: new Map(),
    refused: {
      disabledUser: disabledToken,
      expiredToken: await forgeJwt({ ...base, iat: now - 7200, exp: now - 3600 }),
      wrongAudience: await forgeJwt({ ...base, aud: "another-service", iat: now, exp: now + 600 }),
      tamperedSignature: tamper(team.user.token),
      algNone: algNoneJwt(team.user.id, team.workspaceId),
      revokedKey: revoked.key,
    },
  };
}

/** A service-account key in the team workspace with exactly `scopes` (made once per fixture). */
async function serviceKey(f: Fixture, scopes: Scope[]): Promise<string> {
  const id = scopes.join(",");
  let key = f.keys.get(id);
  if (!key) {
    key = (await apiKey(f.team.admin.token, scopes, { serviceAccount: `bot ${id}` })).key;
    f.keys.set(id, key);
  }
  return key;
}

/** A scope that is neither `scope` nor "admin" (which implies every scope). */
const otherScope = (scope: Scope | undefined): Scope => (scope === "chat" ? "swarm" : "chat");

export async function callerFor(f: Fixture, who: PrincipalName, routeScope: Scope | undefined): Promise<Caller> {
  const team = { workspaceId: f.team.workspaceId };
  switch (who) {
    case "anonymous":
      return { workspaceId: f.team.workspaceId, userId: "usr_anonymous" };
    case "platformAdmin":
      return { token: f.platform.token, workspaceId: f.platform.workspaceId, userId: f.platform.userId };
    case "wsAdmin":
      return { ...team, token: f.team.admin.token, userId: f.team.admin.id };
    case "user":
      return { ...team, token: f.team.user.token, userId: f.team.user.id };
    case "readOnly":
      return { ...team, token: f.team.readOnly.token, userId: f.team.readOnly.id };
    case "keyWithScope":
      return { ...team, token: await serviceKey(f, [routeScope ?? "agents:read"]), userId: "usr_service" };
    case "keyWithoutScope":
      return { ...team, token: await serviceKey(f, [otherScope(routeScope)]), userId: "usr_service" };
    default:
      return { ...team, token: f.refused[who], userId: "usr_refused" };
  }
}

/** New access tokens for the people in the fixture (after a sample signed them out). */
export async function reissueTokens(f: Fixture): Promise<void> {
  const t = f.team;
  forgetAdminToken();
  const [admin, user, readOnly, platform] = await Promise.all([
    token(t.admin.email, t.admin.password, t.workspaceId),
    token(t.user.email, t.user.password, t.workspaceId),
    token(t.readOnly.email, t.readOnly.password, t.workspaceId),
    adminToken(),
  ]);
  t.admin.token = admin.access_token;
  t.user.token = user.access_token;
  t.readOnly.token = readOnly.access_token;
  f.platform.token = platform;
}
