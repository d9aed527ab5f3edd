// The tracer's own rules: spans whose end the caller controls, bounded segments and attribute
// values, valid W3C ids, and content capture that writes nothing unless switched on (and then
// only what the redactor returns).
import { describe, expect, it } from "vitest";
import { captureContent } from "../../worker/core/trace/content";
import { parseTraceparent } from "../../worker/core/trace/traceparent";
import { newSpanId, newTraceId, runSegment, startSpan, withSpan } from "../../worker/core/trace/tracer";

const redact = (text: string) => text.replaceAll(/[\w.]+@[\w.]+/g, "[email]");

describe("tracer", () => {
  it("keeps a started span open until the caller ends it, once", async () => {
    const { segment, result } = runSegment("root", "internal", undefined, undefined, async () => {
      const span = startSpan("stream", { "gen_ai.operation.name": "chat" }, "client");
      await new Promise((r) => setTimeout(r, 5));
      span.end();
      span.recordError(new Error("after the end"));
      span.end();
    });
    await result;
    const stream = segment.spans.find((s) => s.name === "stream");
    expect(stream).toMatchObject({ kind: "client", status: "unset" });
    expect(stream?.durationMs).toBeGreaterThanOrEqual(4);
    expect(segment.spans.filter((s) => s.name === "stream")).toHaveLength(1);
  });

  it("bounds a segment's spans and long attribute values", async () => {
    const { segment, result } = runSegment("root", "internal", undefined, { long: "x".repeat(5000) }, async () => {
      for (let i = 0; i < 1100; i++) await withSpan("child", undefined, () => undefined);
    });
    await result;
    // The root is kept past the cap: the sink names and judges the trace by it.
    expect(segment.spans).toHaveLength(1001);
    expect(segment.droppedSpans).toBe(100);
    expect(segment.spans.at(-1)?.name).toBe("root");
    const { segment: small, result: done } = runSegment("r", "internal", undefined, { long: "y".repeat(5000) }, () =>
      Promise.resolve(),
    );
    await done;
    expect(String(small.spans[0]?.attributes.long)).toHaveLength(1024);
  });

  it("makes ids a traceparent accepts", () => {
    for (let i = 0; i < 200; i++) {
      const header = `00-${newTraceId()}-${newSpanId()}-01`;
      expect(parseTraceparent(header)).toBeDefined();
    }
  });
});

describe("content capture", () => {
  const run = (capture: boolean) => {
    const { segment, result } = runSegment(
      "turn",
      "internal",
      undefined,
      undefined,
      async (span) => captureContent(span, "gen_ai.prompt", "mail me at a.b@example.com", redact),
      { captureContent: capture },
    );
    return result.then(() => segment.spans[0]?.attributes);
  };

  it("writes nothing when TRACE_CAPTURE_CONTENT is off", async () => {
    expect(await run(false)).not.toHaveProperty("gen_ai.prompt");
  });

  it("writes only the redacted text when it is on", async () => {
    expect((await run(true))?.["gen_ai.prompt"]).toBe("mail me at [email]");
  });
});
