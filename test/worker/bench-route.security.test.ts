import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";

describe("benchmark baseline routes", () => {
  const dev = { ...env, ENVIRONMENT: "development", BENCH_BARE_ROUTE: "1" };

  it("are unreachable unless development + BENCH_BARE_ROUTE=1", async () => {
    const app = createApp();
    for (const path of ["/__bench/bare", "/__bench/stream?tokens=2&interval=0"]) {
      expect((await SELF.fetch(`http://localhost${path}`)).status).toBe(404);
      expect((await app.request(path, {}, { ...env, BENCH_BARE_ROUTE: "1" })).status).toBe(404);
      expect((await app.request(path, {}, { ...env, ENVIRONMENT: "development" })).status).toBe(404);
    }
    const res = await app.request("/__bench/bare", {}, dev);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
  });

  it("streams the paced model's tokens and nothing else", async () => {
    const res = await createApp().request("/__bench/stream?tokens=3&interval=1", {}, dev);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const frames = (await res.text()).trim().split("\n\n");
    expect(frames).toEqual(
      ["tok0", " tok1", " tok2"].map((delta) => `event: token\ndata: ${JSON.stringify({ type: "token", delta })}`),
    );
  });

  it("refuses a stream without sane bounds", async () => {
    const app = createApp();
    for (const q of [
      "",
      "?tokens=0&interval=1",
      "?tokens=3",
      "?tokens=3&interval=-1",
      "?tokens=1e3&interval=1",
      "?tokens=20000&interval=1",
    ]) {
      const res = await app.request(`/__bench/stream${q}`, {}, dev);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "VALIDATION_ERROR" } });
    }
  });
});
