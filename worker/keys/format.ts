// API key format (after unkey): `lh_<8-char lookup prefix>_<40-char secret>`. The whole key
// is shown once; the database keeps its SHA-256 under a unique index plus the visible prefix
// so people can tell their keys apart. High-entropy keys need no slow hash.
import { randomString } from "../core/ids";

export const API_KEY_PREFIX = "lh_";

export const looksLikeApiKey = (credential: string) => credential.startsWith(API_KEY_PREFIX);

export function generateApiKey(): { key: string; prefix: string } {
  const prefix = `${API_KEY_PREFIX}${randomString(8)}`;
  return { key: `${prefix}_${randomString(40)}`, prefix };
}
