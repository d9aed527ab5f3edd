// HTML to text that keeps the structure the chunker looks for: headings become `#` lines,
// paragraphs and list items their own lines, tables pipe rows, <pre> fenced code. Scripts,
// styles and other non-content elements are dropped; entities are decoded by the parser.
import { Parser } from "htmlparser2";

const SKIP = new Set(["script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas", "head"]);
const BLOCK = new Set([
  "p",
  "div",
  "section",
  "article",
  "header",
  "footer",
  "main",
  "nav",
  "aside",
  "blockquote",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "figure",
  "figcaption",
  "form",
  "fieldset",
  "address",
  "details",
  "summary",
  "hr",
  "table",
  "caption",
  "body",
  "html",
]);

export function htmlToText(html: string): string {
  const out: string[] = [];
  let skipDepth = 0;
  let preDepth = 0;
  let title = "";
  let inTitle = false;
  let row: string[] | null = null;
  let cell: string[] | null = null;
  let headerRow = false;

  const write = (s: string) => {
    if (cell) cell.push(s);
    else out.push(s);
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (name === "title") inTitle = true;
        if (SKIP.has(name)) skipDepth++;
        if (skipDepth > 0) return;
        if (/^h[1-6]$/.test(name)) {
          write(`\n\n${"#".repeat(Number(name[1]))} `);
        } else if (name === "pre") {
          if (preDepth++ === 0) write("\n\n```\n");
        } else if (name === "li") write("\n- ");
        else if (name === "br") write("\n");
        else if (name === "tr") [row, headerRow] = [[], false];
        else if ((name === "td" || name === "th") && row) {
          cell = [];
          if (name === "th") headerRow = true;
        } else if (BLOCK.has(name)) write("\n\n");
      },
      ontext(text) {
        if (inTitle) title += text;
        if (skipDepth > 0) return;
        write(preDepth > 0 ? text : text.replace(/\s+/g, " "));
      },
      onclosetag(name) {
        if (name === "title") inTitle = false;
        if (SKIP.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth > 0) return;
        if (/^h[1-6]$/.test(name)) write("\n\n");
        else if (name === "pre") {
          if (--preDepth === 0) write("\n```\n\n");
        } else if ((name === "td" || name === "th") && row && cell) {
          row.push(cell.join("").replace(/\s+/g, " ").replace(/\|/g, "\\|").trim());
          cell = null;
        } else if (name === "tr" && row) {
          if (row.length > 0) {
            out.push(`\n| ${row.join(" | ")} |`);
            if (headerRow) out.push(`\n|${row.map(() => " --- ").join("|")}|`);
          }
          row = null;
        } else if (BLOCK.has(name)) write("\n\n");
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  const body = tidy(out.join(""));
  const cleanTitle = title.replace(/\s+/g, " ").trim();
  // The <title> heads the text unless the page already starts with that heading.
  if (cleanTitle && !body.startsWith(`# ${cleanTitle}`)) return `# ${cleanTitle}\n\n${body}`;
  return body;
}

/** Trims lines outside code fences (inline whitespace collapsing leaves stray spaces at line starts). */
function tidy(text: string): string {
  let inFence = false;
  return text
    .split("\n")
    .map((line) => {
      if (line.startsWith("```")) {
        inFence = !inFence;
        return line;
      }
      return inFence ? line : line.trim();
    })
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
