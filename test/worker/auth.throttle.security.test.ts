// Sign-in throttling (ASVS V6.3): slots are reserved before the password is checked, so
// concurrent guesses are counted exactly; the strict limit is per account and client address,
// so one address cannot lock an account's owner out elsewhere; a much higher per-account limit,
// in two steps, slows distributed guessing; every throttled attempt is audited.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AuditEntry, AuditPage } from "../../worker/audit/schemas";
import { SIGN_IN_LIMITS } from "../../worker/auth/throttle";
import { adminToken, api, createUser, type ErrorBody, expectStatus } from "./helpers/harness";

// Each wrong guess costs a PBKDF2 check (100,000 iterations); some tests make dozens on a shared machine.
vi.setConfig({ testTimeout: 30_000 });

const from = (ip: string) => ({ "CF-Connecting-IP": ip });
let addresses = 0;
/** A client address no other test uses. */
const freshIp = () => `198.51.100.${++addresses}`;

type Attempt = "login" | "token";
const attempt = (path: Attempt, email: string, password: string, ip: string) =>
  api<ErrorBody>("POST", `/api/auth/${path}`, { headers: from(ip), body: { email, password } });

async function failFrom(ip: string, email: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await attempt("token", email, `wrong-guess-${i}`, ip)).status);
  return statuses;
}

async function throttledRows(userId: string): Promise<AuditEntry[]> {
  const page = await expectStatus<AuditPage>(
    200,
    "GET",
    `/api/audit?all=true&outcome=denied&actor=${userId}&limit=100`,
    { token: await adminToken() },
  );
  return page.data.filter((r) => r.detail?.reason === "throttled");
}

function expectThrottled(res: { status: number; body: ErrorBody; headers: Headers }, maxSeconds: number) {
  expect(res.status).toBe(429);
  expect(res.body.error).toMatchObject({
    code: "RATE_LIMITED",
    message: "Too many failed sign-in attempts; try again later",
  });
  expect(res.body.error.request_id).toMatch(/^req_/);
  expect(res.body.error.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  const retryAfter = Number(res.headers.get("Retry-After"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  expect(res.body.error.details).toEqual({ retry_after_seconds: retryAfter });
  return retryAfter;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("concurrent guesses", () => {
  it("admits exactly the limit of 15 concurrent wrong passwords for one account; the rest get 429 before any password check", async () => {
    const u = await createUser();
    const ip = freshIp();
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) => attempt(i % 2 ? "login" : "token", u.email, `wrong-${i}`, ip)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(10).fill(429)]);
    for (const r of results.filter((x) => x.status === 429)) expectThrottled(r, 15 * 60);
    // Only the five admitted guesses were checked and recorded as failures.
    const failures = await expectStatus<AuditPage>(
      200,
      "GET",
      `/api/audit?all=true&outcome=failure&actor=${u.id}&limit=100`,
      { token: await adminToken() },
    );
    expect(failures.data).toHaveLength(5);
    expect(await throttledRows(u.id)).toHaveLength(10);
  });

  it("does not count successes: a right password gives its slot back", async () => {
    const u = await createUser();
    const ip = freshIp();
    for (let i = 0; i < SIGN_IN_LIMITS.accountBurst.limit + 5; i++)
      expect((await attempt("token", u.email, u.password, ip)).status).toBe(200);
    expect(await failFrom(ip, u.email, 5)).toEqual([401, 401, 401, 401, 401]);
    expectThrottled(await attempt("token", u.email, u.password, ip), 15 * 60);
  });
});

describe("one address cannot lock an account out", () => {
  it("throttles the address that guessed, audits it, and still signs the owner in from another address", async () => {
    const u = await createUser();
    const attacker = freshIp();
    const owner = freshIp();
    expect(await failFrom(attacker, u.email, 5)).toEqual([401, 401, 401, 401, 401]);
    for (const path of ["login", "token"] as const) {
      // Even the right password is refused from the throttled address, for at most the window.
      const retryAfter = expectThrottled(await attempt(path, u.email, u.password, attacker), 15 * 60);
      expect(retryAfter).toBeGreaterThan(14 * 60);
      expect((await attempt(path, u.email, u.password, owner)).status).toBe(200);
    }
    // The owner's success forgives only the owner's address.
    expectThrottled(await attempt("token", u.email, u.password, attacker), 15 * 60);
    const rows = await throttledRows(u.id);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.action).sort()).toEqual(["auth.login", "auth.token", "auth.token"]);
    for (const row of rows) {
      expect(row).toMatchObject({
        outcome: "denied",
        ip: attacker,
        actor_id: u.id,
        target_type: "user",
        target_id: u.id,
        workspace_id: null,
      });
      expect(row.detail).toMatchObject({ reason: "throttled", scope: "account_address" });
      expect(row.detail?.retry_after_seconds).toBeGreaterThan(0);
    }
  });

  it("counts an IPv6 /64 as one address (rotating inside it gains nothing) and an IPv4-mapped address as its IPv4 one", async () => {
    const u = await createUser();
    for (let i = 1; i <= SIGN_IN_LIMITS.accountAddress.limit; i++)
      expect((await attempt("token", u.email, `wrong-${i}`, `2001:db8:a:b::${i}`)).status).toBe(401);
    expectThrottled(await attempt("token", u.email, u.password, "2001:0db8:000a:000b:ffff:1:2:3"), 15 * 60);
    expect((await attempt("token", u.email, u.password, "2001:db8:a:c::1")).status).toBe(200);

    const v4 = freshIp();
    expect(await failFrom(v4, u.email, SIGN_IN_LIMITS.accountAddress.limit)).toEqual([401, 401, 401, 401, 401]);
    expect((await attempt("token", u.email, u.password, `::ffff:${v4}`)).status).toBe(429);
  });

  it("forgives an address's failures on an account once the right password comes from it", async () => {
    const u = await createUser();
    const ip = freshIp();
    expect(await failFrom(ip, u.email, 4)).toEqual([401, 401, 401, 401]);
    expect((await attempt("login", u.email, u.password, ip)).status).toBe(200);
    expect(await failFrom(ip, u.email, 5)).toEqual([401, 401, 401, 401, 401]);
    expect((await attempt("login", u.email, u.password, ip)).status).toBe(429);
  });

  it("blocks an address after 20 failures across accounts, not the accounts from elsewhere", async () => {
    const ip = freshIp();
    for (let i = 0; i < SIGN_IN_LIMITS.address.limit; i++)
      expect((await attempt("token", `nobody-${i}@example.test`, "guess", ip)).status).toBe(401);
    const u = await createUser();
    expectThrottled(await attempt("login", u.email, u.password, ip), 15 * 60);
    expect((await attempt("login", u.email, u.password, freshIp())).status).toBe(200);
    expect((await throttledRows(u.id))[0]?.detail).toMatchObject({ scope: "address" });
  });

  it("answers an unknown account exactly like a wrong password, throttled or not", async () => {
    const u = await createUser();
    const ip = freshIp();
    const unknown = await attempt("login", "ghost@example.test", "whatever-password", ip);
    const wrong = await attempt("login", u.email, "whatever-password", ip);
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    expect(unknown.body.error.details).toEqual(wrong.body.error.details);
    await failFrom(ip, "ghost@example.test", 4);
    await failFrom(ip, u.email, 4);
    const ghost = await attempt("login", "ghost@example.test", "whatever-password", ip);
    const real = await attempt("login", u.email, "whatever-password", ip);
    expect([ghost.status, real.status]).toEqual([429, 429]);
    expect(Object.keys(ghost.body.error.details)).toEqual(Object.keys(real.body.error.details));
  });
});

describe("distributed guessing", () => {
  it("allows more than the per-address limit across addresses, then makes every address wait: up to a minute, then up to an hour", async () => {
    const u = await createUser();
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(start);
    const perAddress = SIGN_IN_LIMITS.accountAddress.limit;
    const burst = SIGN_IN_LIMITS.accountBurst.limit;
    // A burst of failures from four addresses, each within its own limit: all checked (401).
    for (let a = 0; a < burst / perAddress; a++)
      expect(await failFrom(freshIp(), u.email, perAddress)).toEqual(Array<number>(perAddress).fill(401));
    // Now any address waits for the burst window, even with the right password.
    const short = expectThrottled(await attempt("login", u.email, u.password, freshIp()), 60);
    // Keep guessing from new addresses, a burst a minute, up to the hourly ceiling.
    let failures = burst;
    for (let minute = 1; failures < SIGN_IN_LIMITS.account.limit; minute++) {
      vi.setSystemTime(start + minute * 61_000);
      for (let a = 0; a < burst / perAddress; a++)
        expect(await failFrom(freshIp(), u.email, perAddress)).toEqual(Array<number>(perAddress).fill(401));
      failures += burst;
    }
    vi.setSystemTime(Date.now() + 61_000);
    const long = expectThrottled(await attempt("token", u.email, u.password, freshIp()), 60 * 60);
    expect(long).toBeGreaterThan(50 * 60);
    expect(long).toBeGreaterThan(short);
    vi.useRealTimers();
    const scopes = (await throttledRows(u.id)).map((r) => r.detail?.scope);
    expect(scopes).toEqual(["account", "account"]);
  }, 60_000);
});
