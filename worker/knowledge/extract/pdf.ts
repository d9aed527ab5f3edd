// PDF text through unpdf (pdf.js built for serverless runtimes). Loaded on first use: it is
// 1.6 MB of code that only PDF uploads need. Pages are read one at a time, not all at once as
// unpdf's extractText does, so the page count, the text gathered so far and the time spent are
// checked before each next page (see ./limits.ts).
import { type ExtractLimits, limitExceeded } from "./limits";
import { mismatch } from "./sniff";

const unreadable = (err: unknown) => {
  const reason =
    err instanceof Error && /password/i.test(err.message) ? "it is encrypted" : "it is damaged or not a PDF";
  return mismatch("application/pdf", `The PDF could not be read: ${reason}`);
};

/** Deployed Workers advance the clock only on I/O; a timer turn lets the elapsed time show. */
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function pdfToText(bytes: Uint8Array, limits: ExtractLimits): Promise<string> {
  const { getDocumentProxy } = await import("unpdf");
  const started = Date.now();
  // pdf.js takes ownership of the buffer it is given; hand it a copy.
  const pdf = await getDocumentProxy(bytes.slice(), { verbosity: 0 }).catch((err: unknown) => {
    throw unreadable(err);
  });
  try {
    const pages = pdf.numPages;
    if (pages > limits.maxPdfPages) throw limitExceeded("pages", limits.maxPdfPages, { pages });
    const texts: string[] = [];
    let chars = 0;
    for (let n = 1; n <= pages; n++) {
      await nextTurn();
      const elapsed = Date.now() - started;
      if (elapsed > limits.timeBudgetMs)
        throw limitExceeded("time", limits.timeBudgetMs, { pages, pages_read: n - 1, elapsed_ms: elapsed });
      const text = await pageText(pdf, n);
      chars += text.length;
      if (chars > limits.maxChars)
        throw limitExceeded("characters", limits.maxChars, { pages, pages_read: n, characters_read: chars });
      texts.push(text);
    }
    return texts.join("\n\n");
  } finally {
    await pdf.loadingTask.destroy();
  }
}

type Pdf = Awaited<ReturnType<typeof import("unpdf").getDocumentProxy>>;

async function pageText(pdf: Pdf, n: number): Promise<string> {
  try {
    const content = await (await pdf.getPage(n)).getTextContent();
    return content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join("");
  } catch (err) {
    throw unreadable(err);
  }
}
