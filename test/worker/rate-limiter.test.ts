import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RateLimiter } from "../../durable-objects/rate-limiter";
import { evict } from "./helpers/harness";

describe("RateLimiter Durable Object", () => {
  it("admits exactly the limit out of 200 concurrent hits on one key", async () => {
    const stub = env.RATE_LIMITER.getByName("key:concurrent");
    const results = await Promise.all(
      Array.from({ length: 200 }, () => stub.hit({ bucket: "read", limit: 50, windowMs: 60_000 })),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(50);
    const denied = results.filter((r) => !r.allowed);
    expect(denied).toHaveLength(150);
    expect(denied.every((r) => r.remaining === 0 && r.resetMs > 0 && r.resetMs <= 61_000)).toBe(true); // window + one slot at most
  });

  it("keeps keys and buckets independent", async () => {
    const a = env.RATE_LIMITER.getByName("key:a");
    const b = env.RATE_LIMITER.getByName("key:b");
    for (let i = 0; i < 3; i++) await a.hit({ bucket: "write", limit: 3, windowMs: 60_000 });
    expect((await a.hit({ bucket: "write", limit: 3, windowMs: 60_000 })).allowed).toBe(false);
    expect((await a.hit({ bucket: "read", limit: 3, windowMs: 60_000 })).allowed).toBe(true);
    expect(await b.hit({ bucket: "write", limit: 3, windowMs: 60_000 })).toMatchObject({ allowed: true, remaining: 2 });
  });

  it("frees capacity as the window slides and survives a fresh stub", async () => {
    const stub = env.RATE_LIMITER.getByName("key:slide");
    expect((await stub.hit({ bucket: "r", limit: 2, windowMs: 150 })).allowed).toBe(true);
    expect((await stub.hit({ bucket: "r", limit: 2, windowMs: 150 })).allowed).toBe(true);
    expect((await env.RATE_LIMITER.getByName("key:slide").hit({ bucket: "r", limit: 2, windowMs: 150 })).allowed).toBe(
      false,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect((await stub.hit({ bucket: "r", limit: 2, windowMs: 150 })).allowed).toBe(true);
    const rows = await runInDurableObject(stub, (instance: RateLimiter, state) => {
      void instance;
      return [...state.storage.kv.list<number>({ prefix: "r/" })].reduce((n, [, used]) => n + used, 0);
    });
    expect(rows).toBe(1);
  });

  it("keeps its counts through an eviction (writes are unconfirmed, not skipped)", async () => {
    const stub = env.RATE_LIMITER.getByName("key:evicted");
    for (let i = 0; i < 3; i++)
      expect((await stub.hit({ bucket: "write", limit: 4, windowMs: 60_000 })).allowed).toBe(true);
    await stub.hit({ bucket: "chat_tokens", limit: 1000, windowMs: 60_000, cost: 700, mode: "record" });
    await evict(stub);
    const fresh = env.RATE_LIMITER.getByName("key:evicted");
    expect(await fresh.hit({ bucket: "write", limit: 4, windowMs: 60_000 })).toMatchObject({
      allowed: true,
      remaining: 0,
    });
    expect((await fresh.hit({ bucket: "write", limit: 4, windowMs: 60_000 })).allowed).toBe(false);
    expect(await fresh.hit({ bucket: "chat_tokens", limit: 1000, windowMs: 60_000, cost: 0 })).toMatchObject({
      remaining: 300,
    });
  });

  it("weights hits by cost for token budgets and records post-hoc usage", async () => {
    const stub = env.RATE_LIMITER.getByName("user:tokens");
    expect(await stub.hit({ bucket: "chat_tokens", limit: 1000, windowMs: 60_000, cost: 0 })).toMatchObject({
      allowed: true,
      remaining: 1000,
    });
    expect(
      await stub.hit({ bucket: "chat_tokens", limit: 1000, windowMs: 60_000, cost: 900, mode: "record" }),
    ).toMatchObject({ allowed: true, remaining: 100 });
    expect(await stub.hit({ bucket: "chat_tokens", limit: 1000, windowMs: 60_000, cost: 300 })).toMatchObject({
      allowed: false,
      remaining: 100,
    });
    expect(await stub.hit({ bucket: "chat_tokens", limit: 1000, windowMs: 60_000, cost: 100 })).toMatchObject({
      allowed: true,
      remaining: 0,
    });
  });

  it("reserves in every window or in none, exactly under concurrency, and gives holds back", async () => {
    const stub = env.RATE_LIMITER.getByName("signin:reserve");
    const wide = { bucket: "wide", limit: 10, windowMs: 60_000 };
    const windows = [{ bucket: "narrow", limit: 3, windowMs: 60_000 }, wide];
    const results = await Promise.all(Array.from({ length: 12 }, () => stub.reserve(windows)));
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
    const refused = results.filter((r) => !r.allowed);
    expect(refused.every((r) => r.refused.join() === "narrow" && r.retryAfterMs > 0 && r.retryAfterMs <= 60_000)).toBe(
      true,
    );
    // The refused nine took nothing from the wide window: seven more fit there.
    const wideOnly = await Promise.all(Array.from({ length: 8 }, () => stub.reserve([wide])));
    expect(wideOnly.filter((r) => r.allowed)).toHaveLength(7);
    // Giving one hold back makes room for exactly one more; forgetting a window empties it.
    const first = results.find((r) => r.allowed);
    await stub.release(["narrow", "wide"], first?.at ?? 0);
    expect((await stub.reserve(windows)).allowed).toBe(true);
    expect((await stub.reserve(windows)).allowed).toBe(false);
    await stub.release([], 0, ["narrow", "wide"]);
    expect((await stub.reserve(windows)).allowed).toBe(true);
  });

  it("charges several windows all or none (hitAll): concurrent batches are admitted exactly, a refused one takes nothing", async () => {
    const stub = env.RATE_LIMITER.getByName("ws:hit-all");
    const batch = (documents: number, bytes: number) =>
      stub.hitAll([
        { bucket: "ingest", limit: 10, windowMs: 60_000, cost: documents },
        { bucket: "ingest_bytes", limit: 1000, windowMs: 60_000, cost: bytes },
      ]);
    const results = await Promise.all(Array.from({ length: 8 }, () => batch(3, 100)));
    expect(results.filter(([d]) => d?.allowed)).toHaveLength(3);
    expect(results.every((r) => r.every((w) => w.allowed === r[0]?.allowed))).toBe(true);
    // The bytes window refuses a batch the documents window had room for: neither is charged.
    const [docs, bytes] = await batch(1, 800);
    expect(docs).toMatchObject({ allowed: false, remaining: 1 });
    expect(bytes).toMatchObject({ allowed: false, remaining: 700 });
    expect(bytes?.resetMs).toBeGreaterThan(0);
    expect(await batch(1, 700)).toMatchObject([
      { allowed: true, remaining: 0 },
      { allowed: true, remaining: 0 },
    ]);
  });

  it("sweeps windows whose holds have expired when its alarm rings", async () => {
    const stub = env.RATE_LIMITER.getByName("signin:sweep");
    await stub.reserve([{ bucket: "pair:203.0.113.1", limit: 5, windowMs: 100 }]);
    await stub.reserve([{ bucket: "pair:203.0.113.2", limit: 5, windowMs: 60_000 }]);
    await new Promise((r) => setTimeout(r, 150));
    const left = await runInDurableObject(stub, async (instance: RateLimiter, state) => {
      expect(await state.storage.getAlarm()).toBeGreaterThan(Date.now());
      await instance.alarm();
      return [...state.storage.kv.list({ prefix: "hold:" })].map(([key]) => key);
    });
    expect(left).toEqual(["hold:pair:203.0.113.2"]);
  });
});
