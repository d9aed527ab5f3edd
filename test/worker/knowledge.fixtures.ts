// Test documents built in code, so no binary fixtures live in the repository.

const pdfEscape = (s: string) => s.replace(/[\\()]/g, (ch) => `\\${ch}`);
const stream = (lines: readonly string[]) => {
  const text = lines.map((l, i) => `BT /F1 12 Tf 72 ${720 - i * 16} Td (${pdfEscape(l)}) Tj ET`).join("\n");
  return `<< /Length ${text.length} >>\nstream\n${text}\nendstream`;
};

/** A minimal, valid PDF with one page per entry of `pages`, each page's text layer holding its lines (ASCII only). */
export function makePdfPages(pages: readonly (readonly string[])[]): Uint8Array {
  // Objects: 1 catalog, 2 page tree, 3 font, then a page and its content stream per page.
  const pageRef = (i: number) => `${4 + 2 * i} 0 R`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${pages.map((_, i) => pageRef(i)).join(" ")}] /Count ${pages.length} >>`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ...pages.flatMap((lines, i) => [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${5 + 2 * i} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`,
      stream(lines),
    ]),
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** A minimal, valid one-page PDF whose text layer holds `lines` (ASCII only). */
export const makePdf = (lines: readonly string[]): Uint8Array => makePdfPages([lines]);

/** Three short aerospace notes, each about one subject, for tests whose answers must cite the right one. */
export const AERO_DOCS = {
  "boundary-layers.txt":
    "Boundary layer flow over a heated flat plate.\n\nThe heat transfer in a laminar boundary layer depends on the Prandtl number and the wall temperature gradient.",
  "wings.txt":
    "Slender wings at supersonic speeds.\n\nThe lift of a slender delta wing grows with the angle of attack, and leading edge vortices add nonlinear lift.",
  "buckling.txt":
    "Buckling of thin cylindrical shells.\n\nAxial compression of a thin cylinder causes buckling at loads far below the classical prediction.",
};
