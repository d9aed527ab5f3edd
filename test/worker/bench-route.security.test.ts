import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";

describe("benchmark baseline route", () => {
  it("is unreachable unless development + BENCH_BARE_ROUTE=1", async () => {
    expect((await SELF.fetch("http://localhost/__bench/bare")).status).toBe(404);
    const app = createApp();
    expect((await app.request("/__bench/bare", {}, { ...env, BENCH_BARE_ROUTE: "1" })).status).toBe(404);
    const res = await app.request("/__bench/bare", {}, { ...env, ENVIRONMENT: "development", BENCH_BARE_ROUTE: "1" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
  });
});
