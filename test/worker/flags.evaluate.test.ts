import { describe, expect, it } from "vitest";
import { bucketOf, evaluateFlag } from "../../worker/flags/evaluate";
import { FlagDefinition } from "../../worker/flags/schema";

const def = (over: Record<string, unknown>) => FlagDefinition.parse({ enabled: true, ...over });

describe("flag evaluation", () => {
  it("gives the same user the same variant every time", () => {
    const flag = def({
      variants: [
        { name: "control", weight: 50 },
        { name: "treatment", weight: 50 },
      ],
    });
    for (let i = 0; i < 200; i++) {
      const first = evaluateFlag("new-chat-ui", flag, { id: `usr_${i}` }).variant;
      for (let k = 0; k < 3; k++) expect(evaluateFlag("new-chat-ui", flag, { id: `usr_${i}` }).variant).toBe(first);
    }
  });

  it("lands a 10% rollout over 10,000 ids within ±1.5 points", () => {
    const flag = def({ rollout_percentage: 10 });
    let on = 0;
    for (let i = 0; i < 10_000; i++) if (evaluateFlag("beta-search", flag, { id: `usr_${i}` }).enabled) on++;
    expect(Math.abs(on / 100 - 10)).toBeLessThanOrEqual(1.5);
  });

  it("is sticky as a rollout grows: users in at 10% stay in at 30%", () => {
    const ten = def({ rollout_percentage: 10 });
    const thirty = def({ rollout_percentage: 30 });
    for (let i = 0; i < 2000; i++) {
      if (evaluateFlag("grow", ten, { id: `u${i}` }).enabled)
        expect(evaluateFlag("grow", thirty, { id: `u${i}` }).enabled).toBe(true);
    }
  });

  it("splits variants by weight", () => {
    const flag = def({
      variants: [
        { name: "a", weight: 80 },
        { name: "b", weight: 20 },
      ],
    });
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++) counts[evaluateFlag("split", flag, { id: `x${i}` }).variant as "a" | "b"]++;
    expect(Math.abs(counts.a / 100 - 80)).toBeLessThanOrEqual(2);
  });

  it("targets by role and workspace, and reports why", () => {
    const flag = def({ targeting: { roles: ["admin"], workspaces: ["ws_1"] } });
    expect(evaluateFlag("t", flag, { id: "u", role: "admin", workspaceId: "ws_1" }).reason).toBe("rollout_included");
    expect(evaluateFlag("t", flag, { id: "u", role: "user", workspaceId: "ws_1" }).reason).toBe("not_targeted");
    expect(evaluateFlag("t", flag, { id: "u", role: "admin", workspaceId: "ws_2" }).reason).toBe("not_targeted");
    expect(evaluateFlag("t", def({ enabled: false }), { id: "u" }).reason).toBe("disabled");
    expect(evaluateFlag("t", undefined, { id: "u" })).toEqual({
      key: "t",
      enabled: false,
      variant: null,
      reason: "unknown_flag",
    });
  });

  it("spreads buckets independently per flag", () => {
    let same = 0;
    for (let i = 0; i < 1000; i++) if (bucketOf("f1", `u${i}`) < 5000 === bucketOf("f2", `u${i}`) < 5000) same++;
    expect(same).toBeGreaterThan(400);
    expect(same).toBeLessThan(600);
  });

  it("rejects invalid definitions", () => {
    expect(FlagDefinition.safeParse({ enabled: true, rollout_percentage: 101 }).success).toBe(false);
    expect(
      FlagDefinition.safeParse({
        enabled: true,
        variants: [
          { name: "a", weight: 1 },
          { name: "a", weight: 2 },
        ],
      }).success,
    ).toBe(false);
    expect(FlagDefinition.safeParse({ enabled: true, variants: [{ name: "a", weight: 0 }] }).success).toBe(false);
  });
});
