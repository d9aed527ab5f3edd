import { describe, expect, it } from "vitest";
import { adminToken, api, apiKey, type ErrorBody, expectStatus, newUserAccess } from "./helpers/harness";

interface Decision {
  key: string;
  enabled: boolean;
  variant: string | null;
  reason: string;
}

/** Creates or replaces a flag as the platform admin holding `admin`. */
const saveFlag = (admin: string, key: string, body: Record<string, unknown>) =>
  expectStatus(200, "PUT", `/api/flags/${key}`, { token: admin, body });

describe("flags API", () => {
  it("lets a platform admin create, read, update and delete a flag, auditing each change", async () => {
    const admin = await adminToken();
    const def = {
      description: "new search",
      enabled: true,
      rollout_percentage: 50,
      variants: [
        { name: "a", weight: 1 },
        { name: "b", weight: 1 },
      ],
    };
    const created = await expectStatus<{ key: string; definition: { rollout_percentage: number } }>(
      200,
      "PUT",
      "/api/flags/new-search",
      { token: admin, body: def },
    );
    expect(created.definition.rollout_percentage).toBe(50);
    await saveFlag(admin, "new-search", { ...def, rollout_percentage: 100 });
    const got = await expectStatus<{ definition: { rollout_percentage: number }; exposures: unknown[] }>(
      200,
      "GET",
      "/api/flags/new-search",
      { token: admin },
    );
    expect(got.definition.rollout_percentage).toBe(100);
    const list = await expectStatus<{ data: { key: string }[]; kill_switches: { key: string; on: boolean }[] }>(
      200,
      "GET",
      "/api/flags",
      { token: admin },
    );
    expect(list.data.map((f) => f.key)).toContain("new-search");
    expect(list.kill_switches.map((k) => k.key).sort()).toEqual(["inference", "ingestion"]);

    const audit = await expectStatus<{ data: { action: string; target_id: string }[] }>(
      200,
      "GET",
      "/api/audit?all=true&target=new-search",
      { token: admin },
    );
    expect(audit.data.map((a) => a.action).sort()).toEqual(["flag.created", "flag.updated"]);

    await expectStatus(204, "DELETE", "/api/flags/new-search", { token: admin });
    expect((await api("GET", "/api/flags/new-search", { token: admin })).status).toBe(404);
  });

  it("counts A/B exposures and gives each user a stable variant", async () => {
    const admin = await adminToken();
    const saveAb = (description?: string) =>
      saveFlag(admin, "ab-test", {
        enabled: true,
        ...(description ? { description } : {}),
        variants: [
          { name: "control", weight: 1 },
          { name: "treatment", weight: 1 },
        ],
      });
    const exposures = async () =>
      (
        await expectStatus<{ exposures: { variant: string; count: number }[] }>(200, "GET", "/api/flags/ab-test", {
          token: admin,
        })
      ).exposures;
    await saveAb();
    const t = await newUserAccess();
    const first = await expectStatus<Decision>(200, "GET", "/api/flags/ab-test/decision", { token: t });
    for (let i = 0; i < 3; i++)
      expect((await expectStatus<Decision>(200, "GET", "/api/flags/ab-test/decision", { token: t })).variant).toBe(
        first.variant,
      );
    // Four calls by one person are one exposure; a new version of the flag counts them again.
    expect(await exposures()).toEqual([{ variant: first.variant, count: 1 }]);
    await saveAb("v2");
    await new Promise((r) => setTimeout(r, 5_100)); // flags are cached per isolate for a few seconds
    for (let i = 0; i < 3; i++) await expectStatus<Decision>(200, "GET", "/api/flags/ab-test/decision", { token: t });
    expect(await exposures()).toEqual([{ variant: first.variant, count: 2 }]);
  }, 20_000);

  it("buckets a rollout by person: a user's token and every one of their API keys get the same decision", async () => {
    const admin = await adminToken();
    await saveFlag(admin, "half-rollout", { enabled: true, rollout_percentage: 50 });
    for (let person = 0; person < 6; person++) {
      const t = await newUserAccess();
      const mine = await expectStatus<Decision>(200, "GET", "/api/flags/half-rollout/decision", { token: t });
      for (let k = 0; k < 5; k++) {
        const key = await apiKey(t, ["agents:read"]);
        expect(
          (await expectStatus<Decision>(200, "GET", "/api/flags/half-rollout/decision", { token: key.key })).enabled,
        ).toBe(mine.enabled);
      }
    }
  }, 30_000);

  it("rejects bad definitions and keys with the envelope, keeping the stored flag", async () => {
    const admin = await adminToken();
    await saveFlag(admin, "keep-me", { enabled: true, rollout_percentage: 20 });
    const bad = await api<ErrorBody>("PUT", "/api/flags/keep-me", {
      token: admin,
      body: { enabled: "yes", rollout_percentage: 300 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_ERROR");
    expect((await api<ErrorBody>("PUT", "/api/flags/Bad Key!", { token: admin, body: { enabled: true } })).status).toBe(
      400,
    );
    const kept = await expectStatus<{ definition: { rollout_percentage: number } }>(200, "GET", "/api/flags/keep-me", {
      token: admin,
    });
    expect(kept.definition.rollout_percentage).toBe(20);
  });

  it("keeps flag management to platform admins", async () => {
    const t = await newUserAccess();
    expect((await api("PUT", "/api/flags/sneaky", { token: t, body: { enabled: true } })).status).toBe(403);
    const key = await apiKey(t, ["admin"]);
    expect((await api("GET", "/api/flags", { token: key.key })).status).toBe(403);
  });
});

describe("admin configuration view", () => {
  it("shows each effective value with its source and never a secret", async () => {
    const res = await expectStatus<{
      environment: string;
      entries: { key: string; value: unknown; source: string; secret: boolean }[];
    }>(200, "GET", "/api/admin/config", { token: await adminToken() });
    expect(res.environment).toBe("test");
    const byKey = Object.fromEntries(res.entries.map((e) => [e.key, e]));
    expect(byKey.JWT_KEYS).toMatchObject({ value: "[redacted]", secret: true });
    expect(byKey.SIGNUP_MODE).toMatchObject({ source: "default" });
    expect(JSON.stringify(res)).not.toContain("test-jwt-secret");
    expect(JSON.stringify(res)).not.toContain("test-pepper");
  });
});

describe("metrics", () => {
  it("serves request counters and latency histograms in Prometheus text", async () => {
    await api("GET", "/health");
    const res = await api<string>("GET", "/metrics", { token: await adminToken() });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/plain");
    expect(res.body).toContain("# TYPE http_requests_total counter");
    expect(res.body).toMatch(/http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    expect(res.body).toMatch(/http_request_duration_ms_bucket\{method="GET",route="\/health",le="\+Inf"\} \d+/);
  });
});
