// Password storage (OWASP ASVS V6.2/V11.4): PBKDF2-SHA256 through WebCrypto at 100,000
// iterations (the Workers cap), a random 16-byte salt per user and a pepper kept outside the
// database (HMAC-SHA256 keyed by PASSWORD_PEPPER, applied before PBKDF2). The stored string
// names its own algorithm, version and cost, so parameters can change without a flag day.
import { fromBase64, randomBytes, timingSafeEqual, toBase64 } from "./encoding";

export const PBKDF2_ITERATIONS = 100_000;
const SCHEME = "pbkdf2-sha256";
const VERSION = "v1";
const SALT_BYTES = 16;
const HASH_BITS = 256;
/** Used only in development when no pepper is configured (config.ts requires one elsewhere). */
const DEV_PEPPER = "liquid-hive-development-pepper";

const enc = new TextEncoder();
const peppers = new Map<string, Promise<CryptoKey>>();

function pepperKey(pepper: string | undefined): Promise<CryptoKey> {
  const secret = pepper ?? DEV_PEPPER;
  let key = peppers.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    peppers.set(secret, key);
  }
  return key;
}

async function derive(
  password: string,
  salt: Uint8Array,
  iterations: number,
  pepper: string | undefined,
): Promise<Uint8Array> {
  const peppered = await crypto.subtle.sign("HMAC", await pepperKey(pepper), enc.encode(password.normalize("NFKC")));
  const base = await crypto.subtle.importKey("raw", peppered, "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, base, HASH_BITS);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, pepper: string | undefined): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, PBKDF2_ITERATIONS, pepper);
  return [SCHEME, VERSION, String(PBKDF2_ITERATIONS), toBase64(salt), toBase64(hash)].join("$");
}

interface Parsed {
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

function parse(stored: string): Parsed | null {
  const [scheme, version, iter, salt, hash, ...rest] = stored.split("$");
  if (scheme !== SCHEME || version !== VERSION || rest.length > 0 || !iter || !salt || !hash) return null;
  const iterations = Number(iter);
  // The Workers runtime refuses more than 100,000 iterations; fewer would be a downgrade.
  if (iterations !== PBKDF2_ITERATIONS) return null;
  const s = fromBase64(salt);
  const h = fromBase64(hash);
  return s && h && h.byteLength === HASH_BITS / 8 ? { iterations, salt: s, hash: h } : null;
}

export async function verifyPassword(password: string, stored: string, pepper: string | undefined): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed.iterations, pepper);
  return timingSafeEqual(candidate, parsed.hash);
}

let dummy: Promise<string> | undefined;

/**
 * Verifies against a throwaway hash when the account does not exist, so an unknown email
 * costs the same time as a wrong password (no user enumeration by timing).
 */
export async function verifyAgainstDummy(password: string, pepper: string | undefined): Promise<false> {
  dummy ??= hashPassword(toBase64(randomBytes(18)), pepper);
  await verifyPassword(password, await dummy, pepper);
  return false;
}
