// Checks the bytes against the declared type before anything is stored: text must decode as
// text, a PDF must be one, and a file of another kind must not pass for text.
import { ApiError } from "../../core/errors";

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);

/** Binary formats people upload by mistake, by magic number. */
const SIGNATURES: readonly { type: string; sig: readonly number[] }[] = [
  { type: "application/pdf", sig: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: "application/zip", sig: [0x50, 0x4b, 0x03, 0x04] },
  { type: "image/png", sig: [0x89, 0x50, 0x4e, 0x47] },
  { type: "image/jpeg", sig: [0xff, 0xd8, 0xff] },
  { type: "image/gif", sig: [0x47, 0x49, 0x46, 0x38] },
  { type: "application/gzip", sig: [0x1f, 0x8b] },
  { type: "application/x-executable", sig: [0x7f, 0x45, 0x4c, 0x46] },
  { type: "application/x-msdownload", sig: [0x4d, 0x5a] },
];

export const mismatch = (declared: string, message: string, detected: string | null = null) =>
  new ApiError("UNPROCESSABLE", message, { details: { declared_type: declared, detected_type: detected } });

/** PDF readers accept the header anywhere in the first kilobyte. */
export function isPdf(bytes: Uint8Array): boolean {
  const head = String.fromCharCode(...bytes.subarray(0, 1024));
  return head.includes("%PDF-");
}

export function detectBinary(bytes: Uint8Array): string | null {
  for (const { type, sig } of SIGNATURES) if (startsWith(bytes, sig)) return type;
  return null;
}

/** Share of control characters (other than tab, newline, carriage return, form feed) a text may hold. */
const MAX_CONTROL_RATIO = 0.001;

/** Decodes text bytes (UTF-8, or UTF-16 with a byte-order mark), refusing anything that is not text. */
export function decodeText(bytes: Uint8Array, declared: string): string {
  const binary = detectBinary(bytes);
  if (binary) throw mismatch(declared, `The content is ${binary}, not ${declared}`, binary);
  let encoding = "utf-8";
  let body = bytes;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) body = bytes.subarray(3);
  else if (startsWith(bytes, [0xff, 0xfe])) [encoding, body] = ["utf-16le", bytes.subarray(2)];
  else if (startsWith(bytes, [0xfe, 0xff])) {
    // Big-endian UTF-16: swap to little-endian, which every runtime's TextDecoder reads.
    encoding = "utf-16le";
    body = new Uint8Array(bytes.length - 2);
    for (let i = 2; i + 1 < bytes.length; i += 2)
      [body[i - 2], body[i - 1]] = [bytes[i + 1] as number, bytes[i] as number];
  }
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    throw mismatch(declared, `The content is not valid ${encoding.toUpperCase()} text`, "application/octet-stream");
  }
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0)
      throw mismatch(declared, "The content holds NUL bytes: it is binary, not text", "application/octet-stream");
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0x7f) control++;
  }
  if (control > Math.max(2, text.length * MAX_CONTROL_RATIO)) {
    throw mismatch(
      declared,
      "The content is mostly control characters: it is binary, not text",
      "application/octet-stream",
    );
  }
  return text;
}
