// The HTTP request as a trace's root span (kind server): continues an incoming W3C traceparent
// (a malformed one starts a new trace), answers with X-Trace-Id, names the span by the matched
// route once routing is done and records the status. The URL's query is never recorded (it may
// hold a search term or a token). `phase` wraps a middleware so its own work is a child span.
import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { endpointPath } from "../authorize";
import { type Config, getConfig, traceSampleRate } from "../config";
import type { HonoEnv } from "../env";
import type { TraceSink } from "./sink";
import { parseTraceparent } from "./traceparent";
import { runSegment, segmentSettled, tracePhase, untraced } from "./tracer";

function configOf(env: object): Config | undefined {
  try {
    return getConfig(env);
  } catch {
    // withConfig answers 503 with the problems; an untraced request is the least of them.
    return undefined;
  }
}

export const traceRequests =
  (sink: TraceSink): MiddlewareHandler<HonoEnv> =>
  async (c, next) => {
    const config = configOf(c.env);
    if (!config || config.TRACING === "off") return next();
    const method = c.req.method;
    let rootSpanId = "";
    const { segment, result } = runSegment(
      method,
      "server",
      parseTraceparent(c.req.header("traceparent"), c.req.header("tracestate")),
      { "http.request.method": method, "url.path": c.req.path },
      async (span, seg) => {
        rootSpanId = span.context.spanId;
        c.header("X-Trace-Id", span.context.traceId);
        await next();
        const route = endpointPath(c);
        const status = c.res.status;
        if (route) {
          span.updateName(`${method} ${route}`);
          span.setAttribute("http.route", route);
        }
        span.setAttribute("http.response.status_code", status);
        if (status >= 500) span.recordError(c.error ?? new Error(`HTTP ${status}`));
        const principal = c.get("principal");
        if (principal && principal.kind !== "anonymous") {
          seg.marks.workspaceId = principal.workspaceId;
          seg.marks.userId = principal.userId;
        }
      },
      { sampleRate: traceSampleRate(config), captureContent: config.TRACE_CAPTURE_CONTENT === "on" },
    );
    try {
      await result;
    } finally {
      // A streamed answer holds the segment until it ends: how it ended (degraded, blocked) is
      // part of the keep decision, so the request's part of a kept trace is kept with it.
      const flush = segmentSettled(segment).then(() =>
        untraced(() => sink(c.env, config, { segment, rootSpanId, entry: true })),
      );
      try {
        c.executionCtx.waitUntil(flush);
      } catch {
        // No execution context (app.request in a unit test): the flush runs unawaited.
      }
    }
  };

/** A client's mistake (4xx) thrown by a phase is its answer, not the phase failing. */
const isFailure = (err: unknown) => !(err instanceof HTTPException) || err.status >= 500;

/** Runs a middleware as a child span named `name` that ends where it hands on to the next one. */
export const phase =
  (name: string, middleware: MiddlewareHandler<HonoEnv>): MiddlewareHandler<HonoEnv> =>
  (c, next) =>
    tracePhase(name, (resume) => middleware(c, () => resume(next)), isFailure);
