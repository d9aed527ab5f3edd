// Normalises extracted text before it is stored and chunked. Every citation offset points into
// the cleaned text, so this runs once, at upload, and its output is what the API serves back.
// The zero-width joiner stands alone: inside a character class it reads as joining its neighbours.
const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F\u200B\u200C\u2060\uFEFF]|\u200D/g;

export function cleanText(raw: string): string {
  return raw
    .replace(/\r\n?/g, "\n")
    .normalize("NFC")
    .replace(/\f/g, "\n\n")
    .replace(CONTROL, "")
    .replace(/[^\S\n]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\n+/, "")
    .trimEnd();
}
