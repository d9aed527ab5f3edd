// PDF text through unpdf (pdf.js built for serverless runtimes). Loaded on first use: it is
// 1.6 MB of code that only PDF uploads need.
import { mismatch } from "./sniff";

export async function pdfToText(bytes: Uint8Array): Promise<string> {
  const { extractText, getDocumentProxy } = await import("unpdf");
  let pages: string[];
  try {
    // pdf.js takes ownership of the buffer it is given; hand it a copy.
    const pdf = await getDocumentProxy(bytes.slice(), { verbosity: 0 });
    pages = (await extractText(pdf, { mergePages: false })).text;
    await pdf.cleanup();
  } catch (err) {
    const reason = err instanceof Error && /password/i.test(err.message) ? "it is encrypted" : "it is damaged or not a PDF";
    throw mismatch("application/pdf", `The PDF could not be read: ${reason}`);
  }
  return pages.join("\n\n");
}
