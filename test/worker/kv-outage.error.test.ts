// KV failures are cache misses, never errors: with every KV namespace failing, reads answer from
// D1, writes succeed, rate limits fall back to the configured defaults, and flags are read from
// their D1 record. The operator is told once per binding and operation, without keys or values.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { failingKv, fetchWith } from "./helpers/faulty-env";
import { adminToken, expectStatus, newUserAccess } from "./helpers/harness";

let access: string;
const outage = () => ({ CACHE: failingKv(), FLAGS: failingKv() });

beforeAll(async () => {
  access = await newUserAccess();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("KV outage", () => {
  it("serves cached routes from D1 and keeps writes working; warns once per binding and operation", async () => {
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const kv = outage();
    for (let i = 0; i < 3; i++) {
      const list = await fetchWith(kv, "GET", "/api/agents", { token: access });
      expect(list.status).toBe(200);
      expect(list.headers.get("X-Cache")).not.toBe("HIT");
    }
    const created = await fetchWith(kv, "POST", "/api/agents", { token: access, body: { name: "Made in an outage" } });
    expect(created.status).toBe(201);
    const after = await fetchWith(kv, "GET", "/api/agents", { token: access });
    expect((after.body as { data: Agent[] }).data.map((a) => a.name)).toContain("Made in an outage");
    expect(kv.CACHE.calls.length).toBeGreaterThan(0);

    const lines = warnings.mock.calls
      .map(([line]) => JSON.parse(String(line)) as Record<string, unknown>)
      .filter((l) => l.event === "kv_unavailable");
    const perOp = lines.map((l) => `${l.binding}:${l.op}`);
    expect(perOp).toContain("CACHE:get");
    expect(new Set(perOp).size).toBe(perOp.length);
    for (const l of lines)
      expect(Object.keys(l).sort()).toEqual([
        "binding",
        "error",
        "event",
        "fallback",
        "level",
        "op",
        "span_id",
        "time",
        "trace_id",
      ]);
  });

  it("saves and deletes flags in D1 and reads them from D1 while FLAGS fails", async () => {
    const admin = await adminToken();
    const kv = outage();
    const saved = await fetchWith(kv, "PUT", "/api/flags/outage-flag", {
      token: admin,
      body: { enabled: true, rollout_percentage: 100 },
    });
    expect(saved.status).toBe(200);
    const decision = await fetchWith(kv, "GET", "/api/flags/outage-flag/decision", { token: access });
    expect(decision.status).toBe(200);
    expect(decision.body).toMatchObject({ key: "outage-flag", enabled: true, reason: "rollout_included" });

    const removed = await fetchWith(kv, "DELETE", "/api/flags/outage-flag", { token: admin });
    expect(removed.status).toBeLessThan(300);
    await expectStatus(404, "GET", "/api/flags/outage-flag", { token: admin });
  });
});
