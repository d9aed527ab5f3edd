// Benchmark baselines: routes ahead of every middleware, live only in development with
// BENCH_BARE_ROUTE=1; anywhere else they fall through to the 404 every unknown path gets.
//   GET /__bench/bare                          "ok": the HTTP round trip (bench/middleware-stack.ts)
//   GET /__bench/stream?tokens=N&interval=MS   the paced model's tokens as SSE, nothing else: what
//       streaming costs on this server without the platform (bench/streaming-overhead.ts)
import type { Context, Next } from "hono";
import { SSE_HEADERS, sseFrame } from "../chat/events";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import type { Router } from "../core/openapi";
import { PacedModel } from "../core/providers/paced-model";

const live = (c: Context<HonoEnv>) => c.env.ENVIRONMENT === "development" && c.env.BENCH_BARE_ROUTE === "1";

/** A whole number in [min, max], or null. */
function bounded(value: string | undefined, min: number, max: number): number | null {
  const n = Number(value);
  return value !== undefined && /^\d+$/.test(value) && n >= min && n <= max ? n : null;
}

export function registerBenchBaselines(app: Router) {
  app.get("/__bench/bare", (c, next: Next) => (live(c) ? c.text("ok") : next()));

  app.get("/__bench/stream", (c, next: Next) => {
    if (!live(c)) return next();
    const tokens = bounded(c.req.query("tokens"), 1, 10_000);
    const interval = bounded(c.req.query("interval"), 0, 10_000);
    if (tokens === null || interval === null) {
      throw new ApiError("VALIDATION_ERROR", "tokens (1-10000) and interval (0-10000 ms) are required", {
        details: { tokens: c.req.query("tokens") ?? null, interval: c.req.query("interval") ?? null },
      });
    }
    const events = new PacedModel(tokens, interval)
      .stream({ messages: [{ role: "user", content: "go" }] })
      [Symbol.asyncIterator]();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        for (let r = await events.next(); ; r = await events.next()) {
          if (r.done) return controller.close();
          if (r.value.type === "text") return controller.enqueue(sseFrame({ type: "token", delta: r.value.delta }));
        }
      },
    });
    return new Response(body, { headers: SSE_HEADERS });
  });
}
