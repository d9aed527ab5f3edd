// Browsers cannot set headers on a WebSocket, so a socket may be opened with a short-lived
// signed token in the query string: an HS256 JWT from the API's key ring, valid 60 seconds,
// with an audience per kind of socket (so an access token never opens one, nor a conversation's
// token a run), bound to one target (a conversation or a run), one user and one workspace, and
// naming the credential it was minted from, so that the socket ends when that credential does
// (socket-guard.ts). The Worker verifies it before routing; the conversation Agent again.
import { jwtVerify, SignJWT } from "jose";
import type { Config } from "../core/config";
import { randomString } from "../core/ids";
import { keyRing } from "./jwt";
import { SocketPrincipal } from "./live-principal";

export const SOCKET_TOKEN_TTL_SECONDS = 60;

const KINDS = {
  conversation: { audience: ":agent-socket", claim: "cid", jti: "sck_" },
  run: { audience: ":swarm-socket", claim: "rid", jti: "rsk_" },
} as const;
export type SocketKind = keyof typeof KINDS;

export interface SocketClaims {
  principal: SocketPrincipal;
  /** The conversation or run id the token opens. */
  target: string;
  expiresAt: number;
}

export async function signSocketToken(
  config: Config,
  kind: SocketKind,
  principal: SocketPrincipal,
  target: string,
): Promise<{ token: string; expiresAt: number }> {
  const { audience, claim, jti } = KINDS[kind];
  const ring = await keyRing(config);
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + SOCKET_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({
    wid: principal.workspaceId,
    [claim]: target,
    via: principal.via,
    crd: principal.credentialId,
  })
    .setProtectedHeader({ alg: "HS256", kid: ring.signing.kid, typ: "JWT" })
    .setSubject(principal.userId)
    .setJti(`${jti}${randomString(16)}`)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(`${config.JWT_AUDIENCE}${audience}`)
    .sign(ring.signing.secret);
  return { token, expiresAt: exp * 1000 };
}

/** The claims if the token is valid for `target`, else null (never throws). */
export async function verifySocketToken(
  config: Config,
  kind: SocketKind,
  token: string | null,
  target: string,
): Promise<SocketClaims | null> {
  if (!token || token.length > 2048) return null;
  const { audience, claim } = KINDS[kind];
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
        audience: `${config.JWT_AUDIENCE}${audience}`,
        requiredClaims: ["exp", "iat", "sub", "jti"],
        maxTokenAge: SOCKET_TOKEN_TTL_SECONDS + 5,
      },
    );
    if (payload[claim] !== target || payload.exp === undefined) return null;
    const principal = SocketPrincipal.safeParse({
      userId: payload.sub,
      workspaceId: payload.wid,
      via: payload.via,
      credentialId: payload.crd,
    });
    return principal.success ? { principal: principal.data, target, expiresAt: payload.exp * 1000 } : null;
  } catch {
    return null;
  }
}
