// Browsers cannot set headers on a WebSocket, so a run's event socket may be opened with a
// short-lived signed token in the query string — the mechanism the conversation socket uses
// (HS256 from the API's JWT key ring, 60 seconds), with an audience of its own so that neither
// an access token nor a conversation's socket token opens a run, and bound to one run and
// workspace.
import { jwtVerify, SignJWT } from "jose";
import { keyRing } from "../auth/jwt";
import type { Config } from "../core/config";
import { randomString } from "../core/ids";

export const RUN_SOCKET_TOKEN_TTL_SECONDS = 60;
const audience = (config: Config) => `${config.JWT_AUDIENCE}:swarm-socket`;

export interface RunSocketClaims {
  userId: string;
  workspaceId: string;
  runId: string;
}

export async function signRunSocketToken(config: Config, claims: RunSocketClaims): Promise<{ token: string; expiresAt: number }> {
  const ring = await keyRing(config);
  const iat = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ wid: claims.workspaceId, rid: claims.runId })
    .setProtectedHeader({ alg: "HS256", kid: ring.signing.kid, typ: "JWT" })
    .setSubject(claims.userId)
    .setJti(`rsk_${randomString(16)}`)
    .setIssuedAt(iat)
    .setExpirationTime(iat + RUN_SOCKET_TOKEN_TTL_SECONDS)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(audience(config))
    .sign(ring.signing.secret);
  return { token, expiresAt: (iat + RUN_SOCKET_TOKEN_TTL_SECONDS) * 1000 };
}

/** The claims if `token` is valid for `runId`; null otherwise (never throws). */
export async function verifyRunSocketToken(config: Config, token: string, runId: string): Promise<RunSocketClaims | null> {
  if (token.length > 2048) return null;
  try {
    const ring = await keyRing(config);
    const { payload } = await jwtVerify(token, (header) => {
      const key = header.kid ? ring.byKid.get(header.kid) : undefined;
      if (!key) throw new Error("unknown kid");
      return key;
    }, { algorithms: ["HS256"], issuer: config.JWT_ISSUER, audience: audience(config), requiredClaims: ["exp", "iat", "sub", "jti"], maxTokenAge: RUN_SOCKET_TOKEN_TTL_SECONDS + 5 });
    const { sub, wid, rid } = payload as { sub?: string; wid?: unknown; rid?: unknown };
    return sub && typeof wid === "string" && rid === runId ? { userId: sub, workspaceId: wid, runId } : null;
  } catch {
    return null;
  }
}
