// Access tokens for API clients (OWASP ASVS V9): HS256 JWTs signed with jose. Verification pins
// the algorithm and requires exp/iat/sub/jti plus our issuer and audience. Keys come from the
// JWT_KEYS ring (`kid:secret,...`): the first signs, every listed kid verifies, so a new key
// can be introduced and an old one retired without signing anyone out.
import { errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { Config } from "../core/config";
import { ApiError } from "../core/errors";
import { randomString } from "../core/ids";
import { writeLog } from "../core/logger";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ALG = "HS256";
const MIN_SECRET_BYTES = 32;
/** What a kid may look like; anything else is taken for part of a secret (a missing `kid:`). */
const KID = /^[A-Za-z0-9._-]{1,64}$/;

export interface KeyRing {
  signing: { kid: string; secret: Uint8Array };
  byKid: ReadonlyMap<string, Uint8Array>;
}

const enc = new TextEncoder();
const rings = new WeakMap<Config, KeyRing>();

function misconfigured(problem: string): never {
  // The operator sees which entry is wrong, by position only: the text before a colon may be
  // part of a secret that lacks its `kid:`. The client sees a 503.
  writeLog("error", "invalid_configuration", { problems: [{ key: "JWT_KEYS", message: problem }] });
  throw new ApiError("UNAVAILABLE", "Service misconfigured", { details: { keys: ["JWT_KEYS"] } });
}

function parseRing(spec: string): KeyRing {
  const entries = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const at = entry.indexOf(":");
      const kid = entry.slice(0, Math.max(0, at));
      const secret = enc.encode(entry.slice(at + 1));
      if (!KID.test(kid) || secret.byteLength < MIN_SECRET_BYTES) {
        misconfigured(
          `entry ${i + 1} needs kid:secret (kid of letters, digits, ".", "_" or "-") with a secret of at least ${MIN_SECRET_BYTES} bytes`,
        );
      }
      return [kid, secret] as const;
    });
  const first = entries[0];
  if (!first) return misconfigured("no keys");
  return { signing: { kid: first[0], secret: first[1] }, byKid: new Map(entries) };
}

async function devRing(config: Config): Promise<KeyRing> {
  writeLog("warn", "jwt_dev_key", { message: "JWT_KEYS is not set; using a key derived for development only" });
  // Derived, not random, so tokens survive a `wrangler dev` restart.
  const digest = await crypto.subtle.digest(
    "SHA-256",
    enc.encode(`liquid-hive-dev-jwt:${config.PASSWORD_PEPPER ?? ""}`),
  );
  const secret = new Uint8Array(digest);
  return { signing: { kid: "dev", secret }, byKid: new Map([["dev", secret]]) };
}

export async function keyRing(config: Config): Promise<KeyRing> {
  let ring = rings.get(config);
  if (!ring) {
    ring = config.JWT_KEYS ? parseRing(config.JWT_KEYS) : await devRing(config);
    rings.set(config, ring);
  }
  return ring;
}

export interface AccessClaims {
  sub: string;
  wid: string;
  /** The refresh-token family the token came from: revoking the family revokes the token. */
  fam: string;
  jti: string;
  iat: number;
  exp: number;
}

export async function signAccessToken(
  config: Config,
  userId: string,
  workspaceId: string,
  familyId: string,
): Promise<{ token: string; claims: AccessClaims }> {
  const ring = await keyRing(config);
  const iat = Math.floor(Date.now() / 1000);
  const claims: AccessClaims = {
    sub: userId,
    wid: workspaceId,
    fam: familyId,
    jti: `jti_${randomString(20)}`,
    iat,
    exp: iat + ACCESS_TOKEN_TTL_SECONDS,
  };
  const token = await new SignJWT({ wid: claims.wid, fam: claims.fam })
    .setProtectedHeader({ alg: ALG, kid: ring.signing.kid, typ: "JWT" })
    .setSubject(claims.sub)
    .setJti(claims.jti)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(config.JWT_AUDIENCE)
    .sign(ring.signing.secret);
  return { token, claims };
}

export class InvalidTokenError extends Error {
  override name = "InvalidTokenError";
}

/** Verifies signature, algorithm, issuer, audience and lifetime; throws InvalidTokenError. */
export async function verifyAccessToken(config: Config, token: string): Promise<AccessClaims> {
  const ring = await keyRing(config);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      (header) => {
        const key = header.kid ? ring.byKid.get(header.kid) : undefined;
        if (!key) throw new InvalidTokenError("unknown kid");
        return key;
      },
      {
        algorithms: [ALG],
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        requiredClaims: ["exp", "iat", "sub", "jti", "iss", "aud"],
        clockTolerance: 5,
      },
    ));
  } catch (err) {
    if (err instanceof errors.JOSEError || err instanceof InvalidTokenError) throw new InvalidTokenError(err.message);
    throw err;
  }
  const { sub, jti, iat, exp } = payload;
  const { wid, fam } = payload;
  if (typeof wid !== "string" || typeof fam !== "string" || !sub || !jti || iat === undefined || exp === undefined)
    throw new InvalidTokenError("missing claims");
  return { sub, wid, fam, jti, iat, exp };
}
