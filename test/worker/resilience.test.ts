import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  CircuitBreaker,
  CircuitOpenError,
  type Clock,
  firstSuccessful,
  isRetryable,
  retry,
  TimeoutError,
  UpstreamError,
  withTimeout,
} from "../../worker/core/resilience";

function fakeClock(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps, advance: (ms: number) => void (now += ms) };
}

const fail = (status: number) => () => Promise.reject(new UpstreamError("p", status, `status ${status}`));

describe("circuit breaker", () => {
  it("opens after the threshold, half-opens after the cool-down, closes on success", async () => {
    const { clock, advance } = fakeClock();
    const b = new CircuitBreaker("model", { failureThreshold: 3, cooldownMs: 10_000, clock });
    for (let i = 0; i < 2; i++) await expect(b.run(fail(503))).rejects.toThrow(UpstreamError);
    expect(b.current).toBe("closed");
    await expect(b.run(fail(503))).rejects.toThrow(UpstreamError);
    expect(b.current).toBe("open");

    let called = false;
    await expect(b.run(async () => (called = true))).rejects.toBeInstanceOf(CircuitOpenError);
    expect(called).toBe(false);
    expect(b.snapshot().retry_after_ms).toBe(10_000);

    advance(9_999);
    expect(b.current).toBe("open");
    advance(1);
    expect(b.current).toBe("half_open");
    await expect(b.run(async () => "ok")).resolves.toBe("ok");
    expect(b.current).toBe("closed");
    expect(b.snapshot()).toMatchObject({ state: "closed", failures: 0, opened_at: null });
  });

  it("re-opens when the half-open probe fails, and lets only one probe through", async () => {
    const { clock, advance } = fakeClock();
    const b = new CircuitBreaker("model", { failureThreshold: 1, cooldownMs: 1000, clock });
    await expect(b.run(fail(500))).rejects.toThrow();
    advance(1000);
    let release: () => void = () => {};
    const probe = b.run(() => new Promise<string>((r) => (release = () => r("late"))));
    await expect(b.run(async () => "second")).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    await expect(probe).resolves.toBe("late");
    expect(b.current).toBe("closed");

    await expect(b.run(fail(500))).rejects.toThrow();
    advance(1000);
    await expect(b.run(fail(500))).rejects.toThrow();
    expect(b.current).toBe("open");
  });

  it("does not count failures that say nothing about the provider's health", async () => {
    const b = new CircuitBreaker("model", { failureThreshold: 1, countsAsFailure: isRetryable });
    await expect(b.run(fail(400))).rejects.toThrow();
    expect(b.current).toBe("closed");
  });
});

describe("retry", () => {
  it("stops at the attempt cap with full-jitter exponential backoff", async () => {
    const { clock, sleeps } = fakeClock();
    let calls = 0;
    await expect(
      retry(
        () => {
          calls++;
          return fail(503)();
        },
        { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250, clock, random: () => 0.999 },
      ),
    ).rejects.toThrow(UpstreamError);
    expect(calls).toBe(4);
    // caps: min(250, 100*2^n) → 100, 200, 250; full jitter scales by random()
    expect(sleeps).toEqual([99, 199, 249]);
  });

  it("never retries non-retryable errors", async () => {
    const { clock, sleeps } = fakeClock();
    let calls = 0;
    for (const status of [400, 401, 403, 404, 422]) {
      const counted = () => {
        calls++;
        return fail(status)();
      };
      await expect(retry(counted, { maxAttempts: 5, clock })).rejects.toThrow();
    }
    expect(calls).toBe(5);
    expect(sleeps).toEqual([]);
  });

  it("retries 429, 5xx, timeouts and network errors, and returns the first success", async () => {
    const { clock } = fakeClock();
    const errors = [new UpstreamError("p", 429, "slow down"), new TimeoutError("p", 10), new TypeError("fetch failed")];
    let calls = 0;
    const value = await retry(
      async () => {
        const e = errors[calls++];
        if (e) throw e;
        return "done";
      },
      { maxAttempts: 5, clock },
    );
    expect(value).toBe("done");
    expect(calls).toBe(4);
  });

  it("jitter stays within [0, cap)", () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const d = backoffDelay(attempt, 100, 2000, Math.random);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(2000, 100 * 2 ** attempt));
    }
  });
});

describe("timeouts and fallback", () => {
  it("aborts a call that outlives its timeout", async () => {
    let aborted = false;
    await expect(
      withTimeout(
        (signal) =>
          new Promise((_, reject) =>
            signal.addEventListener("abort", () => {
              aborted = true;
              reject(signal.reason);
            }),
          ),
        20,
        "slow",
      ),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(aborted).toBe(true);
  });

  it("walks the chain to the first provider that answers and reports the failures", async () => {
    const result = await firstSuccessful([
      { name: "workers-ai", run: () => Promise.reject(new Error("down")) },
      { name: "openai-compatible", run: () => Promise.reject(new CircuitOpenError("openai-compatible", 5)) },
      { name: "offline", run: async () => "extractive" },
    ]);
    expect(result).toEqual({
      value: "extractive",
      provider: "offline",
      failures: [
        { provider: "workers-ai", error: "down" },
        { provider: "openai-compatible", error: "openai-compatible is unavailable (circuit open)" },
      ],
    });
    await expect(firstSuccessful([{ name: "a", run: () => Promise.reject(new Error("last")) }])).rejects.toThrow(
      "last",
    );
  });
});
