// Browsers cannot set headers on a WebSocket, so the conversation socket is opened with a
// short-lived signed token in the query string: an HS256 JWT from the API's key ring, with
// its own audience (so an access token is never accepted here, nor this one as an access
// token), bound to one conversation and one user, valid for 60 seconds. Verified by the
// Worker before routing and again by the Agent Durable Object before it accepts the socket.
import { jwtVerify, SignJWT } from "jose";
import { keyRing } from "../auth/jwt";
import type { Config } from "../core/config";
import { randomString } from "../core/ids";

export const SOCKET_TOKEN_TTL_SECONDS = 60;
const AUDIENCE_SUFFIX = ":agent-socket";

export interface SocketClaims {
  userId: string;
  workspaceId: string;
  conversationId: string;
  expiresAt: number;
}

export async function signSocketToken(config: Config, claims: Omit<SocketClaims, "expiresAt">): Promise<{ token: string; expiresAt: number }> {
  const ring = await keyRing(config);
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + SOCKET_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ wid: claims.workspaceId, cid: claims.conversationId })
    .setProtectedHeader({ alg: "HS256", kid: ring.signing.kid, typ: "JWT" })
    .setSubject(claims.userId)
    .setJti(`sck_${randomString(16)}`)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(`${config.JWT_AUDIENCE}${AUDIENCE_SUFFIX}`)
    .sign(ring.signing.secret);
  return { token, expiresAt: exp * 1000 };
}

/** The claims if the token is valid for `conversationId`, else null (never throws). */
export async function verifySocketToken(config: Config, token: string | null, conversationId: string): Promise<SocketClaims | null> {
  if (!token || token.length > 2048) return null;
  try {
    const ring = await keyRing(config);
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const key = header.kid ? ring.byKid.get(header.kid) : undefined;
        if (!key) throw new Error("unknown kid");
        return key;
      },
      {
        algorithms: ["HS256"],
        issuer: config.JWT_ISSUER,
        audience: `${config.JWT_AUDIENCE}${AUDIENCE_SUFFIX}`,
        requiredClaims: ["exp", "iat", "sub", "jti"],
        maxTokenAge: SOCKET_TOKEN_TTL_SECONDS + 5,
      },
    );
    const { sub, wid, cid, exp } = payload as { sub?: string; wid?: unknown; cid?: unknown; exp?: number };
    if (!sub || typeof wid !== "string" || cid !== conversationId || exp === undefined) return null;
    return { userId: sub, workspaceId: wid, conversationId: cid, expiresAt: exp * 1000 };
  } catch {
    return null;
  }
}
