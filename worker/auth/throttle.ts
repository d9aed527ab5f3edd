// Sign-in throttling (OWASP ASVS V6.3). Every attempt reserves a slot in exact sliding windows
// before its password is checked and gives it back when the password was right, so concurrent
// guesses cannot outrun the count. Windows:
// - per account and client address (IPv4, or IPv6 /64), strict: one address cannot keep
//   guessing one account;
// - per client address, across accounts: one address cannot spray a password over many;
// - per account, across addresses, much higher and in two steps (a short burst window, then an
//   hourly ceiling), so distributed guessing meets ever longer waits, while a single address,
//   throttled, does not lock the account's owner out elsewhere.
// The windows live in RateLimiter Durable Objects, one per account and one per address.
import type { WindowLimit } from "../ratelimit/reservations";

const MINUTE = 60_000;

export const SIGN_IN_LIMITS = {
  accountAddress: { limit: 5, windowMs: 15 * MINUTE },
  address: { limit: 20, windowMs: 15 * MINUTE },
  accountBurst: { limit: 20, windowMs: MINUTE },
  account: { limit: 100, windowMs: 60 * MINUTE },
} as const;

/** Which limit refused an attempt; recorded in the audit log, never told to the client. */
export type ThrottleScope = "account_address" | "address" | "account";

export interface SignInAttempt {
  /** The password was right: give the slots back and forgive this address's failures on this account. */
  succeeded(): Promise<void>;
  /** The attempt ended without a verdict (e.g. a storage error): give the slots back. */
  abandoned(): Promise<void>;
}

export type Reserved =
  | { allowed: true; attempt: SignInAttempt }
  | { allowed: false; scope: ThrottleScope; retryAfterSeconds: number };

const PAIR = "pair:";
const ACCOUNT_BURST = "account:burst";
const ACCOUNT = "account:hourly";
const ADDRESS = "failures";

/**
 * The unit an address is throttled as: an IPv4 address, or an IPv6 /64, the block one
 * subscriber usually holds and can rotate through freely (counting single IPv6 addresses would
 * give one guesser 2^64 fresh limits).
 */
function addressKey(ip: string | null): string {
  if (!ip) return "unknown";
  const v4 = ip.match(/^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i);
  if (v4) return v4[1] ?? ip;
  const [head = "", tail] = ip.toLowerCase().split("::");
  const front = head ? head.split(":") : [];
  const back = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? front
      : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill("0"), ...back];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** A failed attempt keeps its slots: they are the record of the failure. */
export async function reserveSignIn(env: Env, email: string, ip: string | null): Promise<Reserved> {
  const address = addressKey(ip);
  const pair = `${PAIR}${address}`;
  const accountWindows: WindowLimit[] = [
    { bucket: pair, ...SIGN_IN_LIMITS.accountAddress },
    { bucket: ACCOUNT_BURST, ...SIGN_IN_LIMITS.accountBurst },
    { bucket: ACCOUNT, ...SIGN_IN_LIMITS.account },
  ];
  const addressWindows: WindowLimit[] = [{ bucket: ADDRESS, ...SIGN_IN_LIMITS.address }];
  const accountStub = env.RATE_LIMITER.getByName(`signin:account:${email}`);
  const addressStub = env.RATE_LIMITER.getByName(`signin:address:${address}`);
  // Both objects at once; a hold taken in one while the other refused is given back at once,
  // so a window may briefly count an attempt that was refused elsewhere, never the reverse.
  const [byAccount, byAddress] = await Promise.all([
    accountStub.reserve(accountWindows),
    addressStub.reserve(addressWindows),
  ]);
  const release = (forgetPair: boolean) =>
    Promise.all([
      byAccount.allowed
        ? accountStub.release(
            accountWindows.map((w) => w.bucket),
            byAccount.at,
            forgetPair ? [pair] : [],
          )
        : null,
      byAddress.allowed ? addressStub.release([ADDRESS], byAddress.at) : null,
    ]).then(() => undefined);
  if (byAccount.allowed && byAddress.allowed)
    return { allowed: true, attempt: { succeeded: () => release(true), abandoned: () => release(false) } };
  await release(false);
  const scope: ThrottleScope = byAccount.refused.includes(pair)
    ? "account_address"
    : !byAddress.allowed
      ? "address"
      : "account";
  const retryAfterMs = Math.max(byAccount.retryAfterMs, byAddress.retryAfterMs);
  return { allowed: false, scope, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}
