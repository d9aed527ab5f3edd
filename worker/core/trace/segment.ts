// Runs one unit of work that is not an HTTP request (a Durable Object RPC call or alarm, a queue
// message) as a segment of a trace: continued from the `traceparent` the caller handed over, or
// a new trace. When the work (and whatever it handed to `hold`: a streamed turn running on in
// waitUntil) is over, the segment goes to the sink in the host's waitUntil.
import { type Config, traceSampleRate } from "../config";
import { storeTrace, type TraceSink } from "./sink";
import { parseTraceparent } from "./traceparent";
import {
  type Attributes,
  activeSegment,
  runSegment,
  type Segment,
  type SpanKind,
  segmentSettled,
  untraced,
} from "./tracer";

export interface SegmentHost {
  env: { DB: D1Database };
  config: Config;
  waitUntil(work: Promise<unknown>): void;
}

export interface SegmentSpec {
  name: string;
  kind: SpanKind;
  traceparent: string | undefined;
  attributes?: Attributes;
  /** True where the trace begins here (a queue message nobody traced upstream): its root names the trace. */
  entry?: boolean;
  sink?: TraceSink;
}

/** Delays the segment's flush until `work` settles. */
export type Hold = (work: Promise<unknown>) => void;

const ignore = () => undefined;

export function inSegment<T>(host: SegmentHost, spec: SegmentSpec, fn: (hold: Hold) => Promise<T>): Promise<T> {
  if (host.config.TRACING === "off") return fn(ignore);
  let rootSpanId = "";
  const parent = parseTraceparent(spec.traceparent);
  const { segment, result } = runSegment(
    spec.name,
    spec.kind,
    parent,
    spec.attributes,
    (root, seg) => {
      rootSpanId = root.context.spanId;
      return fn((work) => seg.held.push(work));
    },
    {
      sampleRate: traceSampleRate(host.config),
      captureContent: host.config.TRACE_CAPTURE_CONTENT === "on",
    },
  );
  const sink = spec.sink ?? storeTrace;
  const entry = spec.entry ?? parent === undefined;
  host.waitUntil(
    result
      .then(ignore, ignore)
      .then(() => segmentSettled(segment))
      .then(() => untraced(() => sink(host.env, host.config, { segment, rootSpanId, entry }))),
  );
  return result;
}

/** Sets what the current segment learned about the trace (workspace, agent, conversation, run, outcome). */
export function markSegment(marks: Segment["marks"]): void {
  const segment = activeSegment();
  if (segment) Object.assign(segment.marks, marks);
}
