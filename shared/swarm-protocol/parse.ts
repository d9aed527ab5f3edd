// The one gate every incoming protocol message passes (WebSocket frames, agent outputs turned
// into messages, anything an HTTP ingress accepts): a typed result, never a throw, with an
// error a sender can act on — which version, which type, which fields.
import { MESSAGE_TYPES, PROTOCOL_VERSION, type SwarmErrorCode, SwarmMessage } from "./messages";

/** Larger frames are refused before JSON parsing. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export interface ParseError {
  code: Extract<SwarmErrorCode, "MALFORMED" | "UNKNOWN_TYPE" | "UNSUPPORTED_VERSION" | "INVALID_FIELDS">;
  message: string;
  issues: { path: string; message: string }[];
}

export type ParseResult = { ok: true; message: SwarmMessage } | { ok: false; error: ParseError };

const fail = (code: ParseError["code"], message: string, issues: ParseError["issues"] = []): ParseResult => ({
  ok: false,
  error: { code, message, issues },
});

/** Any view as its bytes: Node's and the Workers runtime's TextDecoder types accept different views. */
const asBytes = (raw: ArrayBuffer | ArrayBufferView) =>
  raw instanceof ArrayBuffer ? raw : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);

function decode(raw: unknown): { value: unknown } | { error: string } {
  if (typeof raw !== "string" && !(raw instanceof ArrayBuffer) && !ArrayBuffer.isView(raw)) return { value: raw };
  const bytes = typeof raw === "string" ? raw.length : raw.byteLength;
  if (bytes > MAX_MESSAGE_BYTES) return { error: `message is larger than ${MAX_MESSAGE_BYTES} bytes` };
  const textValue = typeof raw === "string" ? raw : new TextDecoder().decode(asBytes(raw));
  try {
    return { value: JSON.parse(textValue) as unknown };
  } catch {
    return { error: "message is not valid JSON" };
  }
}

/** Parses a frame (string or bytes, JSON) or an already-decoded value into a protocol message. */
export function parseSwarmMessage(raw: unknown): ParseResult {
  const decoded = decode(raw);
  if ("error" in decoded) return fail("MALFORMED", decoded.error);
  const value = decoded.value;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return fail("MALFORMED", "message must be a JSON object");
  const { v, type } = value as { v?: unknown; type?: unknown };
  if (v !== PROTOCOL_VERSION) {
    return fail(
      "UNSUPPORTED_VERSION",
      `unsupported protocol version ${JSON.stringify(v ?? null)}; this coordinator speaks v${PROTOCOL_VERSION}`,
    );
  }
  if (typeof type !== "string" || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    return fail(
      "UNKNOWN_TYPE",
      `unknown message type ${JSON.stringify(type ?? null)}; expected one of ${MESSAGE_TYPES.join(", ")}`,
    );
  }
  const parsed = SwarmMessage.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    return fail(
      "INVALID_FIELDS",
      `invalid ${type} message: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`,
      issues,
    );
  }
  return { ok: true, message: parsed.data };
}
