// Prefixed, URL-safe random identifiers (`usr_3kT9...`) and token helpers.
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomString(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  // 62 does not divide 256; the bias (<0.4%) is irrelevant for identifiers of this length.
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export type IdPrefix =
  | "usr"
  | "ws"
  | "ses"
  | "rt"
  | "key"
  | "agt"
  | "conv"
  | "msg"
  | "kb"
  | "doc"
  | "chk"
  | "run"
  | "step"
  | "sev"
  | "aud"
  | "req"
  | "fam"
  | "inv"
  | "use"
  | "eds"
  | "ecs"
  | "erun";

export const newId = (prefix: IdPrefix) => `${prefix}_${randomString(20)}`;

/** Lower-case hex SHA-256 of a string (as UTF-8) or of bytes. */
export async function sha256Hex(input: string | Uint8Array): Promise<string> {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
