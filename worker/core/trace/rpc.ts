// A call into a Durable Object as a client span (rpc.system=durable_object); the callee gets the
// span's traceparent as a field of its input and continues the trace in a segment of its own
// (core/trace/segment.ts), so the object's work shows under the call in the same trace.
import { withPropagatedSpan } from "./traceparent";

export function callDurableObject<T>(
  service: string,
  method: string,
  call: (traceparent: string | undefined) => Promise<T>,
): Promise<T> {
  const attributes = { "rpc.system": "durable_object", "rpc.service": service, "rpc.method": method };
  return withPropagatedSpan(`${service}/${method}`, attributes, "client", call);
}
