import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("error envelope", () => {
  it("answers an unknown route with the 404 envelope and a request id", async () => {
    const res = await SELF.fetch("http://localhost/api/nope");
    expect(res.status).toBe(404);
    const body = await res.json<{ error: Record<string, unknown> }>();
    expect(body.error.code).toBe("NOT_FOUND");
    expect(body.error.request_id).toMatch(/^req_/);
    expect(res.headers.get("X-Request-Id")).toBe(body.error.request_id);
  });
});
